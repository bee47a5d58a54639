import { sql, type Kysely } from 'kysely';

// Discussion groups and who is in them: members with roles, bans, requests to join,
// and invitations. Uniqueness rules live here as constraints, so two moderators
// approving at once, or two joins at once, can never make two memberships.
// Frozen once landed.
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('groups')
		.addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('slug', 'text', (col) => col.notNull().unique())
		.addColumn('name', 'text', (col) => col.notNull())
		.addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
		.addColumn('description_html', 'text', (col) => col.notNull().defaultTo(''))
		.addColumn('visibility', 'text', (col) =>
			col.notNull().check(sql`visibility in ('open', 'restricted', 'private')`)
		)
		.addColumn('audience', 'text', (col) =>
			col.notNull().check(sql`audience in ('police', 'police_partner')`)
		)
		.addColumn('created_by', 'uuid', (col) => col.references('users.id'))
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('archived_at', 'timestamptz')
		.addColumn('member_count', 'integer', (col) => col.notNull().defaultTo(0))
		.addColumn('last_activity_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addCheckConstraint(
			'groups_slug_format',
			sql`slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and char_length(slug) between 2 and 60`
		)
		.addCheckConstraint('groups_name_length', sql`char_length(name) between 3 and 100`)
		.addCheckConstraint('groups_description_length', sql`char_length(description) <= 5000`)
		.addCheckConstraint('groups_member_count', sql`member_count >= 0`)
		.execute();
	await db.schema
		.createIndex('groups_activity_idx')
		.on('groups')
		.columns(['last_activity_at desc', 'id desc'])
		.execute();

	await db.schema
		.createTable('group_members')
		.addColumn('group_id', 'integer', (col) => col.notNull().references('groups.id').onDelete('cascade'))
		.addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
		.addColumn('role', 'text', (col) => col.notNull().check(sql`role in ('owner', 'moderator', 'member')`))
		.addColumn('joined_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('group_members_pkey', ['group_id', 'user_id'])
		.execute();
	await db.schema
		.createIndex('group_members_user_idx')
		.on('group_members')
		.columns(['user_id', 'group_id'])
		.execute();

	await db.schema
		.createTable('group_bans')
		.addColumn('group_id', 'integer', (col) => col.notNull().references('groups.id').onDelete('cascade'))
		.addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
		.addColumn('reason', 'text', (col) => col.notNull())
		.addColumn('banned_by', 'uuid', (col) => col.references('users.id'))
		.addColumn('banned_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('group_bans_pkey', ['group_id', 'user_id'])
		.execute();

	await db.schema
		.createTable('membership_requests')
		.addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('group_id', 'integer', (col) => col.notNull().references('groups.id').onDelete('cascade'))
		.addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
		.addColumn('message', 'text', (col) => col.notNull().defaultTo(''))
		.addColumn('status', 'text', (col) =>
			col
				.notNull()
				.defaultTo('pending')
				.check(sql`status in ('pending', 'approved', 'declined', 'withdrawn')`)
		)
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('decided_by', 'uuid', (col) => col.references('users.id'))
		.addColumn('decided_at', 'timestamptz')
		.addColumn('reason', 'text')
		.addCheckConstraint('membership_requests_message_length', sql`char_length(message) <= 1000`)
		.execute();
	await sql`create unique index membership_requests_one_pending on membership_requests (group_id, user_id) where status = 'pending'`.execute(
		db
	);

	await db.schema
		.createTable('invitations')
		.addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('group_id', 'integer', (col) => col.notNull().references('groups.id').onDelete('cascade'))
		.addColumn('email', sql`citext`, (col) => col.notNull())
		.addColumn('token_hash', 'text', (col) => col.notNull().unique())
		.addColumn('invited_by', 'uuid', (col) => col.references('users.id'))
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('expires_at', 'timestamptz', (col) => col.notNull())
		.addColumn('status', 'text', (col) =>
			col
				.notNull()
				.defaultTo('pending')
				.check(sql`status in ('pending', 'accepted', 'declined', 'revoked')`)
		)
		.addColumn('responded_at', 'timestamptz')
		.execute();
	await sql`create unique index invitations_one_pending on invitations (group_id, email) where status = 'pending'`.execute(
		db
	);
	await db.schema
		.createIndex('invitations_email_idx')
		.on('invitations')
		.columns(['email', 'status'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('invitations').execute();
	await db.schema.dropTable('membership_requests').execute();
	await db.schema.dropTable('group_bans').execute();
	await db.schema.dropTable('group_members').execute();
	await db.schema.dropTable('groups').execute();
}
