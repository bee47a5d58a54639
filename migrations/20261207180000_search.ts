import { sql, type Kysely } from 'kysely';

// Search (issue 15): a text-search vector on every searchable row, kept by a trigger in the
// same statement as the write (an edit, a new post, a new version), so a search never finds
// words the page no longer shows. Titles weigh more (A) than bodies (B, C). People, groups and
// organisations are also found by name with typo tolerance (pg_trgm). Existing rows are
// indexed in batches, so the update never holds a million rows' vectors in one statement.
// Frozen once landed.

const BATCH = 20_000;

async function backfill(db: Kysely<any>, table: string, vector: string): Promise<void> {
	const set =
		table === 'posts'
			? `search = ${vector}, group_id = (select t.group_id from threads t where t.id = posts.thread_id)`
			: `search = ${vector}`;
	const { rows } = await sql<{ max: number | string | null }>`select max(id) as max from ${sql.table(
		table
	)}`.execute(db);
	const max = Number(rows[0]?.max ?? 0);
	for (let from = 0; from < max; from += BATCH) {
		await sql`update ${sql.table(table)} set ${sql.raw(set)} where id > ${from} and id <= ${
			from + BATCH
		}`.execute(db);
	}
}

const POST_VECTOR = `setweight(to_tsvector('english', source), 'B')`;
const THREAD_VECTOR = `setweight(to_tsvector('english', title), 'A')`;
const GROUP_VECTOR = `setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', description), 'C')`;
const PRACTICE_VECTOR = `setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', summary), 'B') || setweight(to_tsvector('english', concat_ws(' ', aim, done, outcome, results, lessons, partners, target_group)), 'C')`;

const VECTORS: Array<{ table: string; vector: string; columns: string }> = [
	{ table: 'posts', vector: POST_VECTOR, columns: 'source, thread_id' },
	{ table: 'threads', vector: THREAD_VECTOR, columns: 'title' },
	{ table: 'groups', vector: GROUP_VECTOR, columns: 'name, description' },
	{
		table: 'practice_versions',
		vector: PRACTICE_VECTOR,
		columns: 'title, summary, aim, done, outcome, results, lessons, partners, target_group'
	}
];

export async function up(db: Kysely<any>): Promise<void> {
	await sql`create extension if not exists pg_trgm`.execute(db);
	// Each post carries its thread's group, so a search can find the posts of the viewer's groups
	// through indexes (the posts' words AND their groups) instead of walking every thread. Kept by
	// triggers: set when a post is written, changed with its thread when the thread moves.
	await sql`alter table posts add column group_id integer`.execute(db);
	for (const { table, vector, columns } of VECTORS) {
		await sql`alter table ${sql.table(table)} add column search tsvector`.execute(db);
		const extra =
			table === 'posts'
				? 'new.group_id := (select t.group_id from threads t where t.id = new.thread_id);'
				: '';
		await sql
			.raw(
				`create function ${table}_search_vector() returns trigger language plpgsql as $$
				begin
					${extra}
					new.search := ${vector.replace(/\b(source|title|name|description|summary|aim|done|outcome|results|lessons|partners|target_group)\b/g, 'new.$1')};
					return new;
				end $$`
			)
			.execute(db);
		await sql
			.raw(
				`create trigger ${table}_search before insert or update of ${columns} on ${table}
				for each row execute function ${table}_search_vector()`
			)
			.execute(db);
		await backfill(db, table, vector);
		await sql.raw(`create index ${table}_search_idx on ${table} using gin (search)`).execute(db);
	}
	await sql`alter table posts alter column group_id set not null`.execute(db);
	await sql`create index posts_group_idx on posts (group_id, id)`.execute(db);
	await sql`create function threads_move_posts() returns trigger language plpgsql as $$
		begin
			update posts set group_id = new.group_id where thread_id = new.id;
			return null;
		end $$`.execute(db);
	await sql`create trigger threads_move_posts after update of group_id on threads
		for each row when (old.group_id is distinct from new.group_id) execute function threads_move_posts()`.execute(
		db
	);
	// Names, with typo tolerance ("Lancshire" finds Lancashire Constabulary's people).
	await sql`create index users_display_name_trgm_idx on users using gin (display_name gin_trgm_ops)`.execute(
		db
	);
	await sql`create index organisations_name_trgm_idx on organisations using gin (name gin_trgm_ops)`.execute(
		db
	);
	await sql`create index groups_name_trgm_idx on groups using gin (name gin_trgm_ops)`.execute(db);
	// "Did you mean …?" offers the closest thread title when nothing is found.
	await sql`create index threads_title_trgm_idx on threads using gin (title gin_trgm_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop index threads_title_trgm_idx`.execute(db);
	await sql`drop index groups_name_trgm_idx`.execute(db);
	await sql`drop index organisations_name_trgm_idx`.execute(db);
	await sql`drop index users_display_name_trgm_idx`.execute(db);
	await sql`drop trigger threads_move_posts on threads`.execute(db);
	await sql`drop function threads_move_posts()`.execute(db);
	await sql`drop index posts_group_idx`.execute(db);
	for (const { table } of [...VECTORS].reverse()) {
		await sql.raw(`drop trigger ${table}_search on ${table}`).execute(db);
		await sql.raw(`drop function ${table}_search_vector()`).execute(db);
		await sql.raw(`alter table ${table} drop column search`).execute(db);
	}
	await sql`alter table posts drop column group_id`.execute(db);
}
