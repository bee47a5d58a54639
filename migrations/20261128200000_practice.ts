import { sql, type Kysely } from 'kysely';

// The good-practice library. An entry (practices) has versions: the published one that
// readers see, and at most one working version (a draft, a submission in review, or a
// revision of a published entry) that its authors edit and a reviewer publishes or
// returns. Published versions are kept, so history shows each one with its reviewer.
// Topics are a controlled list administrators edit; reviewers of site-wide entries are
// accounts an administrator marks. Frozen once landed.
const TOPICS = [
	'Modern slavery',
	'Labour exploitation',
	'Sexual exploitation',
	'Criminal exploitation',
	'County lines',
	'Victim care',
	'Partnership working',
	'Investigation',
	'Prevention',
	'Training'
];

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('users')
		.addColumn('practice_reviewer', 'boolean', (col) => col.notNull().defaultTo(false))
		.execute();

	await db.schema
		.createTable('practice_topics')
		.addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('name', 'text', (col) => col.notNull())
		.addColumn('retired_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('practice_topics_name_length', sql`char_length(name) between 2 and 60`)
		.execute();
	await sql`create unique index practice_topics_name_key on practice_topics (lower(name))`.execute(db);
	await db
		.insertInto('practice_topics')
		.values(TOPICS.map((name) => ({ name })))
		.execute();

	await db.schema
		.createTable('practices')
		.addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('group_id', 'integer', (col) => col.references('groups.id'))
		.addColumn('author_id', 'uuid', (col) => col.notNull().references('users.id'))
		.addColumn('published_version_id', 'integer')
		.addColumn('working_version_id', 'integer')
		.addColumn('source_thread_id', 'bigint', (col) => col.references('threads.id').onDelete('set null'))
		.addColumn('discussion_thread_id', 'bigint', (col) => col.references('threads.id').onDelete('set null'))
		.addColumn('first_published_at', 'timestamptz')
		.addColumn('last_published_at', 'timestamptz')
		.addColumn('archived_at', 'timestamptz')
		.addColumn('archived_by', 'uuid', (col) => col.references('users.id'))
		.addColumn('archived_reason', 'text')
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.execute();

	await db.schema
		.createTable('practice_versions')
		.addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('practice_id', 'integer', (col) =>
			col.notNull().references('practices.id').onDelete('cascade')
		)
		.addColumn('status', 'text', (col) =>
			col.notNull().check(sql`status in ('draft', 'in_review', 'returned', 'published', 'superseded')`)
		)
		.addColumn('title', 'text', (col) => col.notNull())
		.addColumn('summary', 'text', (col) => col.notNull())
		.addColumn('aim', 'text', (col) => col.notNull().defaultTo(''))
		.addColumn('aim_html', 'text', (col) => col.notNull().defaultTo(''))
		.addColumn('done', 'text', (col) => col.notNull().defaultTo(''))
		.addColumn('done_html', 'text', (col) => col.notNull().defaultTo(''))
		.addColumn('outcome', 'text', (col) => col.notNull().defaultTo(''))
		.addColumn('outcome_html', 'text', (col) => col.notNull().defaultTo(''))
		.addColumn('results', 'text', (col) => col.notNull().defaultTo(''))
		.addColumn('results_html', 'text', (col) => col.notNull().defaultTo(''))
		.addColumn('lessons', 'text', (col) => col.notNull().defaultTo(''))
		.addColumn('lessons_html', 'text', (col) => col.notNull().defaultTo(''))
		.addColumn('effectiveness', 'text', (col) =>
			col.check(sql`effectiveness in ('worked', 'promising', 'untested', 'did_not_work')`)
		)
		.addColumn('stage', 'text', (col) => col.check(sql`stage in ('idea', 'pilot', 'established', 'ended')`))
		.addColumn('lead_organisation_id', 'integer', (col) => col.references('organisations.id'))
		.addColumn('partners', 'text', (col) => col.notNull().defaultTo(''))
		.addColumn('region', 'text')
		.addColumn('scale', 'text', (col) => col.check(sql`scale in ('local', 'force', 'regional', 'national')`))
		.addColumn('target_group', 'text', (col) => col.notNull().defaultTo(''))
		.addColumn('start_date', 'date')
		.addColumn('end_date', 'date')
		.addColumn('contact_id', 'uuid', (col) => col.references('users.id'))
		.addColumn('links', 'text', (col) => col.notNull().defaultTo(''))
		.addColumn('topic_ids', sql`integer[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
		.addColumn('edited_by', 'uuid', (col) => col.references('users.id'))
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('submitted_at', 'timestamptz')
		.addColumn('reviewed_by', 'uuid', (col) => col.references('users.id'))
		.addColumn('reviewed_at', 'timestamptz')
		.addColumn('review_comment', 'text')
		.addCheckConstraint('practice_versions_title_length', sql`char_length(title) between 3 and 150`)
		.addCheckConstraint('practice_versions_summary_length', sql`char_length(summary) <= 300`)
		.addCheckConstraint(
			'practice_versions_dates',
			sql`end_date is null or start_date is null or end_date >= start_date`
		)
		.execute();
	await db.schema
		.createIndex('practice_versions_practice_idx')
		.on('practice_versions')
		.columns(['practice_id', 'id'])
		.execute();
	await sql`create index practice_versions_topics_idx on practice_versions using gin (topic_ids)`.execute(db);
	await sql`alter table practices add constraint practices_published_fkey foreign key (published_version_id) references practice_versions (id)`.execute(
		db
	);
	await sql`alter table practices add constraint practices_working_fkey foreign key (working_version_id) references practice_versions (id)`.execute(
		db
	);
	await sql`create index practices_listing_idx on practices (first_published_at desc, id desc) where published_version_id is not null`.execute(
		db
	);
	await db.schema.createIndex('practices_author_idx').on('practices').columns(['author_id', 'id']).execute();
	await db.schema.createIndex('practices_group_idx').on('practices').columns(['group_id']).execute();
	await db.schema
		.createIndex('practices_source_thread_idx')
		.on('practices')
		.columns(['source_thread_id'])
		.execute();

	await db.schema
		.createTable('practice_coauthors')
		.addColumn('practice_id', 'integer', (col) =>
			col.notNull().references('practices.id').onDelete('cascade')
		)
		.addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
		.addColumn('added_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('practice_coauthors_pkey', ['practice_id', 'user_id'])
		.execute();
	await db.schema
		.createIndex('practice_coauthors_user_idx')
		.on('practice_coauthors')
		.columns(['user_id'])
		.execute();

	// Every review decision, published or returned, with its comment: the entry's history.
	await db.schema
		.createTable('practice_reviews')
		.addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('practice_id', 'integer', (col) =>
			col.notNull().references('practices.id').onDelete('cascade')
		)
		.addColumn('version_id', 'integer', (col) => col.notNull().references('practice_versions.id'))
		.addColumn('reviewer_id', 'uuid', (col) => col.references('users.id'))
		.addColumn('decision', 'text', (col) => col.notNull().check(sql`decision in ('published', 'returned')`))
		.addColumn('comment', 'text', (col) => col.notNull().defaultTo(''))
		.addColumn('decided_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('practice_reviews_practice_idx')
		.on('practice_reviews')
		.columns(['practice_id', 'id'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('practice_reviews').execute();
	await db.schema.dropTable('practice_coauthors').execute();
	await sql`alter table practices drop constraint practices_published_fkey, drop constraint practices_working_fkey`.execute(
		db
	);
	await db.schema.dropTable('practice_versions').execute();
	await db.schema.dropTable('practices').execute();
	await db.schema.dropTable('practice_topics').execute();
	await db.schema.alterTable('users').dropColumn('practice_reviewer').execute();
}
