import { sql, type Kysely } from 'kysely';

// Threads and posts in groups. Each post has its number in the thread, so a page of
// posts is a range of numbers (keyset, never OFFSET) and a permalink knows its page.
// Counters and "last post" change in the same transaction as the post. Frozen once landed.
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('threads')
		.addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('group_id', 'integer', (col) => col.notNull().references('groups.id').onDelete('cascade'))
		.addColumn('author_id', 'uuid', (col) => col.references('users.id'))
		.addColumn('title', 'text', (col) => col.notNull())
		.addColumn('pinned', 'boolean', (col) => col.notNull().defaultTo(false))
		.addColumn('locked_at', 'timestamptz')
		.addColumn('lock_reason', 'text')
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('last_post_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('last_poster_id', 'uuid', (col) => col.references('users.id'))
		.addColumn('post_count', 'integer', (col) => col.notNull().defaultTo(0))
		.addColumn('answer_post_id', 'bigint')
		.addCheckConstraint('threads_title_length', sql`char_length(title) between 3 and 150`)
		.execute();
	await sql`create index threads_group_listing_idx on threads (group_id, pinned desc, last_post_at desc, id desc)`.execute(
		db
	);

	await db.schema
		.createTable('posts')
		.addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('thread_id', 'bigint', (col) => col.notNull().references('threads.id').onDelete('cascade'))
		.addColumn('number', 'integer', (col) => col.notNull())
		.addColumn('author_id', 'uuid', (col) => col.references('users.id'))
		.addColumn('source', 'text', (col) => col.notNull())
		.addColumn('html', 'text', (col) => col.notNull())
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('edited_at', 'timestamptz')
		.addColumn('deleted_at', 'timestamptz')
		.addColumn('hidden_at', 'timestamptz')
		.addColumn('hidden_by', 'uuid', (col) => col.references('users.id'))
		.addColumn('hidden_reason', 'text')
		.addColumn('helpful_count', 'integer', (col) => col.notNull().defaultTo(0))
		.addUniqueConstraint('posts_thread_number_key', ['thread_id', 'number'])
		.addCheckConstraint('posts_source_length', sql`char_length(source) between 1 and 20000`)
		.execute();
	await db.schema.createIndex('posts_author_idx').on('posts').columns(['author_id', 'id']).execute();
	await sql`alter table threads add constraint threads_answer_fkey foreign key (answer_post_id) references posts (id) on delete set null`.execute(
		db
	);

	await db.schema
		.createTable('post_revisions')
		.addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('post_id', 'bigint', (col) => col.notNull().references('posts.id').onDelete('cascade'))
		.addColumn('source', 'text', (col) => col.notNull())
		.addColumn('html', 'text', (col) => col.notNull())
		.addColumn('written_at', 'timestamptz', (col) => col.notNull())
		.addColumn('replaced_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('post_revisions_post_idx')
		.on('post_revisions')
		.columns(['post_id', 'id'])
		.execute();

	await db.schema
		.createTable('post_helpful')
		.addColumn('post_id', 'bigint', (col) => col.notNull().references('posts.id').onDelete('cascade'))
		.addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('post_helpful_pkey', ['post_id', 'user_id'])
		.execute();

	await db.schema
		.createTable('thread_reads')
		.addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
		.addColumn('thread_id', 'bigint', (col) => col.notNull().references('threads.id').onDelete('cascade'))
		.addColumn('last_read_number', 'integer', (col) => col.notNull())
		.addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('thread_reads_pkey', ['user_id', 'thread_id'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('thread_reads').execute();
	await db.schema.dropTable('post_helpful').execute();
	await db.schema.dropTable('post_revisions').execute();
	await sql`alter table threads drop constraint threads_answer_fkey`.execute(db);
	await db.schema.dropTable('posts').execute();
	await db.schema.dropTable('threads').execute();
}
