import { sql, type Kysely } from 'kysely';

// Accounts, sessions (Lucia guide: only the SHA-256 of a token is stored), single-use
// e-mail tokens, recovery codes, rate limits, the e-mail outbox and the audit log.
// Frozen once landed: later changes go in new migrations.
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('users')
		.addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('email', sql`citext`, (col) => col.notNull().unique())
		.addColumn('display_name', 'text', (col) => col.notNull())
		.addColumn('job_title', 'text')
		.addColumn('bio', 'text')
		.addColumn('organisation_id', 'integer', (col) => col.references('organisations.id').onDelete('set null'))
		.addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('police', 'partner', 'guest')`))
		.addColumn('is_admin', 'boolean', (col) => col.notNull().defaultTo(false))
		.addColumn('status', 'text', (col) =>
			col
				.notNull()
				.defaultTo('active')
				.check(sql`status in ('active', 'suspended')`)
		)
		.addColumn('suspended_at', 'timestamptz')
		.addColumn('suspended_reason', 'text')
		.addColumn('email_verified_at', 'timestamptz')
		.addColumn('password_hash', 'text')
		.addColumn('password_changed_at', 'timestamptz')
		.addColumn('totp_key_encrypted', 'text')
		.addColumn('totp_enabled_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('users_display_name_length', sql`char_length(display_name) between 1 and 100`)
		.addCheckConstraint('users_job_title_length', sql`job_title is null or char_length(job_title) <= 100`)
		.addCheckConstraint('users_bio_length', sql`bio is null or char_length(bio) <= 1000`)
		.addCheckConstraint('users_email_length', sql`char_length(email) <= 254`)
		.addCheckConstraint(
			'users_two_factor_complete',
			sql`totp_enabled_at is null or totp_key_encrypted is not null`
		)
		.execute();
	await db.schema.createIndex('users_organisation_id_idx').on('users').column('organisation_id').execute();

	await db.schema
		.createTable('sessions')
		.addColumn('id', 'text', (col) => col.primaryKey())
		.addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('expires_at', 'timestamptz', (col) => col.notNull())
		.addColumn('last_seen_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('two_factor_verified', 'boolean', (col) => col.notNull().defaultTo(false))
		.addColumn('user_agent', 'text')
		.addColumn('ip_address', 'text')
		.execute();
	await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute();

	await db.schema
		.createTable('email_tokens')
		.addColumn('id', 'text', (col) => col.primaryKey())
		.addColumn('purpose', 'text', (col) =>
			col.notNull().check(sql`purpose in ('verify_email', 'reset_password', 'set_password', 'setup')`)
		)
		.addColumn('user_id', 'uuid', (col) => col.references('users.id').onDelete('cascade'))
		.addColumn('email', sql`citext`)
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('expires_at', 'timestamptz', (col) => col.notNull())
		.addColumn('used_at', 'timestamptz')
		.execute();
	await db.schema.createIndex('email_tokens_user_id_idx').on('email_tokens').column('user_id').execute();

	await db.schema
		.createTable('recovery_codes')
		.addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
		.addColumn('code_hash', 'text', (col) => col.notNull())
		.addColumn('used_at', 'timestamptz')
		.addPrimaryKeyConstraint('recovery_codes_pkey', ['user_id', 'code_hash'])
		.execute();

	await db.schema
		.createTable('rate_limits')
		.addColumn('key', 'text', (col) => col.primaryKey())
		.addColumn('hits', 'integer', (col) => col.notNull())
		.addColumn('window_ends_at', 'timestamptz', (col) => col.notNull())
		.addColumn('locked_until', 'timestamptz')
		.execute();

	await db.schema
		.createTable('outbox')
		.addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('to_address', sql`citext`, (col) => col.notNull())
		.addColumn('subject', 'text', (col) => col.notNull())
		.addColumn('text_body', 'text', (col) => col.notNull())
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('sent_at', 'timestamptz')
		.addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
		.addColumn('last_error', 'text')
		.execute();
	await db.schema.createIndex('outbox_to_address_idx').on('outbox').columns(['to_address', 'id']).execute();

	await db.schema
		.createTable('audit_log')
		.addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('occurred_at', 'timestamptz', (col) => col.notNull())
		.addColumn('actor_id', 'uuid', (col) => col.references('users.id'))
		.addColumn('actor_label', 'text')
		.addColumn('action', 'text', (col) => col.notNull())
		.addColumn('target_type', 'text')
		.addColumn('target_id', 'text')
		.addColumn('target_label', 'text')
		.addColumn('details', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('ip_address', 'text')
		.addColumn('prev_hash', 'text')
		.addColumn('hash', 'text', (col) => col.notNull().unique())
		.execute();
	await db.schema.createIndex('audit_log_action_idx').on('audit_log').columns(['action', 'id']).execute();
	await db.schema.createIndex('audit_log_actor_idx').on('audit_log').columns(['actor_id', 'id']).execute();
	await db.schema
		.createIndex('audit_log_target_idx')
		.on('audit_log')
		.columns(['target_type', 'target_id', 'id'])
		.execute();

	// Append-only: the database itself refuses to change or remove an audit row.
	await sql`
		create function audit_log_append_only() returns trigger language plpgsql as $$
		begin
			raise exception 'audit_log is append-only';
		end;
		$$`.execute(db);
	await sql`
		create trigger audit_log_no_update_or_delete before update or delete on audit_log
		for each row execute function audit_log_append_only()`.execute(db);
	await sql`
		create trigger audit_log_no_truncate before truncate on audit_log
		for each statement execute function audit_log_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('audit_log').execute();
	await sql`drop function audit_log_append_only()`.execute(db);
	await db.schema.dropTable('outbox').execute();
	await db.schema.dropTable('rate_limits').execute();
	await db.schema.dropTable('recovery_codes').execute();
	await db.schema.dropTable('email_tokens').execute();
	await db.schema.dropTable('sessions').execute();
	await db.schema.dropTable('users').execute();
}
