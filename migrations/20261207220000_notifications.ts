import { sql, type Kysely } from 'kysely';

// Notifications (issue 16): how closely each member follows a thread or a group, one row per
// recipient of each notification, and a small job queue for the work that must not sit in a
// request (telling every watcher of a thread about a new post). Frozen once landed.
export async function up(db: Kysely<any>): Promise<void> {
	const level = (col: any) => col.notNull().check(sql`level in ('watching', 'normal', 'muted')`);

	// No row means the default: Normal.
	await db.schema
		.createTable('thread_follows')
		.addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
		.addColumn('thread_id', 'bigint', (col) => col.notNull().references('threads.id').onDelete('cascade'))
		.addColumn('level', 'text', level)
		.addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('thread_follows_pkey', ['user_id', 'thread_id'])
		.execute();
	await sql`create index thread_follows_watching_idx on thread_follows (thread_id) where level = 'watching'`.execute(
		db
	);

	await db.schema
		.createTable('group_follows')
		.addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
		.addColumn('group_id', 'integer', (col) => col.notNull().references('groups.id').onDelete('cascade'))
		.addColumn('level', 'text', level)
		.addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('group_follows_pkey', ['user_id', 'group_id'])
		.execute();
	await sql`create index group_follows_watching_idx on group_follows (group_id) where level = 'watching'`.execute(
		db
	);

	// Good-practice topics a person follows: a newly published entry in one tells them.
	await db.schema
		.createTable('topic_follows')
		.addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
		.addColumn('topic_id', 'integer', (col) =>
			col.notNull().references('practice_topics.id').onDelete('cascade')
		)
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('topic_follows_pkey', ['user_id', 'topic_id'])
		.execute();
	await db.schema.createIndex('topic_follows_topic_idx').on('topic_follows').column('topic_id').execute();

	// One row per recipient. `about` names what the notification is about, once per person:
	// a post notifies each person once, by its most specific reason (a mention beats a reply).
	await db.schema
		.createTable('notifications')
		.addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
		.addColumn('kind', 'text', (col) => col.notNull())
		.addColumn('about', 'text', (col) => col.notNull())
		.addColumn('actor_id', 'uuid', (col) => col.references('users.id').onDelete('set null'))
		.addColumn('group_id', 'integer', (col) => col.references('groups.id').onDelete('cascade'))
		.addColumn('thread_id', 'bigint', (col) => col.references('threads.id').onDelete('cascade'))
		.addColumn('post_id', 'bigint', (col) => col.references('posts.id').onDelete('cascade'))
		.addColumn('practice_id', 'integer', (col) => col.references('practices.id').onDelete('cascade'))
		.addColumn('data', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('read_at', 'timestamptz')
		// Set while an e-mail may still be owed ("immediately", after a short delay); cleared
		// once it is sent (emailed_at) or dropped (read meanwhile, or not wanted by e-mail).
		.addColumn('email_due_at', 'timestamptz')
		.addColumn('emailed_at', 'timestamptz')
		.addUniqueConstraint('notifications_about_key', ['user_id', 'about'])
		.execute();
	await db.schema
		.createIndex('notifications_user_idx')
		.on('notifications')
		.columns(['user_id', 'id'])
		.execute();
	await sql`create index notifications_unread_idx on notifications (user_id, id) where read_at is null`.execute(
		db
	);
	await sql`create index notifications_email_due_idx on notifications (email_due_at) where email_due_at is not null`.execute(
		db
	);
	await db.schema.createIndex('notifications_post_idx').on('notifications').column('post_id').execute();
	await db.schema.createIndex('notifications_thread_idx').on('notifications').column('thread_id').execute();

	// How each person wants to be e-mailed, per kind of notification (no row: the default).
	await db.schema
		.createTable('email_preferences')
		.addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
		.addColumn('category', 'text', (col) => col.notNull())
		.addColumn('cadence', 'text', (col) =>
			col.notNull().check(sql`cadence in ('immediately', 'daily', 'weekly', 'never')`)
		)
		.addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('email_preferences_pkey', ['user_id', 'category'])
		.execute();

	// Digests: each run (a cadence and its period, e.g. daily 2026-12-08) is claimed once, by
	// whichever node inserts it; each person's last digest bounds what the next one covers.
	await db.schema
		.createTable('digest_runs')
		.addColumn('cadence', 'text', (col) => col.notNull())
		.addColumn('period', 'text', (col) => col.notNull())
		.addColumn('started_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('digest_runs_pkey', ['cadence', 'period'])
		.execute();
	await db.schema
		.createTable('digests_sent')
		.addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
		.addColumn('cadence', 'text', (col) => col.notNull())
		.addColumn('sent_through', 'timestamptz', (col) => col.notNull())
		.addPrimaryKeyConstraint('digests_sent_pkey', ['user_id', 'cadence'])
		.execute();

	// E-mail has an HTML body beside the text, and headers (List-Unsubscribe).
	await db.schema.alterTable('outbox').addColumn('html_body', 'text').execute();
	await db.schema
		.alterTable('outbox')
		.addColumn('headers', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
		.execute();

	// "E-mails without content": messages about the group say only that there is something new.
	await db.schema
		.alterTable('groups')
		.addColumn('email_without_content', 'boolean', (col) => col.notNull().defaultTo(false))
		.execute();
	await sql`update groups set email_without_content = true where visibility = 'private'`.execute(db);

	// Background work, taken with FOR UPDATE SKIP LOCKED so with several nodes each job runs
	// once; a failed job is tried again later (backoff), up to a limit.
	await db.schema
		.createTable('jobs')
		.addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('kind', 'text', (col) => col.notNull())
		.addColumn('payload', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('run_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
		.addColumn('last_error', 'text')
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('done_at', 'timestamptz')
		.execute();
	await sql`create index jobs_due_idx on jobs (run_at, id) where done_at is null`.execute(db);

	// Those who started or replied to a thread already watch it.
	await sql`
		insert into thread_follows (user_id, thread_id, level)
		select distinct author_id, thread_id, 'watching' from posts where author_id is not null
		on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('groups').dropColumn('email_without_content').execute();
	await db.schema.alterTable('outbox').dropColumn('headers').execute();
	await db.schema.alterTable('outbox').dropColumn('html_body').execute();
	await db.schema.dropTable('digests_sent').execute();
	await db.schema.dropTable('digest_runs').execute();
	await db.schema.dropTable('email_preferences').execute();
	await db.schema.dropTable('jobs').execute();
	await db.schema.dropTable('notifications').execute();
	await db.schema.dropTable('topic_follows').execute();
	await db.schema.dropTable('group_follows').execute();
	await db.schema.dropTable('thread_follows').execute();
}
