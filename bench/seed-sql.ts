/**
 * The seed's SQL. Rows are generated inside PostgreSQL (INSERT … SELECT generate_series), and
 * helper tables named _bench_seed_* map small indexes to the generated ids so that every post's
 * author is a member of the post's group. The helpers are unlogged and dropped at the end.
 *
 * Memberships: account i joins groups 1 + (17i + 23j) mod 100 for j = 0..4 (five distinct
 * groups each, about 500 members a group). Thread i has 1 + (37i mod 100) posts, so the
 * 20,000 threads hold about 1,010,000 posts, one every 37 minutes; the benchmark thread has
 * exactly 2,000, one every 20 minutes, in group 1, of which the benchmark member is a member.
 */
import { sql, type Kysely } from 'kysely';

export interface Scale {
	groups: number;
	users: number;
	threads: number;
	groupsPerUser: number;
	benchPosts: number;
	/** Appended to e-mail addresses and slugs ('' on an empty database). */
	suffix: string;
}

export interface Words {
	texts: Array<{ source: string; html: string }>;
	topics: string[];
	subjects: string[];
	firstNames: string[];
	lastNames: string[];
}

/** About this many posts per INSERT: big enough to be quick, small enough to report progress. */
const POSTS_PER_CHUNK = 50_000;
/** Two statements at a time: one per core. */
const PARALLEL = 2;

const HELPERS = [
	'_bench_seed_bench',
	'_bench_seed_threads',
	'_bench_seed_members',
	'_bench_seed_groups',
	'_bench_seed_users',
	'_bench_seed_texts'
];

export async function dropTables(db: Kysely<unknown>): Promise<void> {
	for (const table of HELPERS) await sql`drop table if exists ${sql.table(table)}`.execute(db);
}

function slugify(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

/** Accounts, groups, memberships and threads (with their final post counts). */
export async function createTables(db: Kysely<unknown>, s: Scale, words: Words): Promise<void> {
	await sql`create unlogged table _bench_seed_texts (k int primary key, source text not null, html text not null)`.execute(
		db
	);
	await sql`
		insert into _bench_seed_texts (k, source, html)
		select k - 1, source, html
		from unnest(${words.texts.map((t) => t.source)}::text[], ${words.texts.map((t) => t.html)}::text[])
			with ordinality as x(source, html, k)`.execute(db);

	// Accounts: confirmed police officers of the first police organisation, without passwords
	// (nobody signs in with them; the benchmark member gets a session directly).
	await sql`create unlogged table _bench_seed_users (idx int primary key, user_id uuid not null)`.execute(db);
	await sql`
		with ins as (
			insert into users (email, display_name, job_title, organisation_id, kind, email_verified_at, created_at)
			select
				format('member-%s%s@muster-bench.example', lpad(i::text, 6, '0'), ${s.suffix}::text),
				(${words.firstNames}::text[])[1 + i % ${words.firstNames.length}] || ' ' ||
					(${words.lastNames}::text[])[1 + (i * 7) % ${words.lastNames.length}],
				(array['Police constable', 'Detective sergeant', 'Analyst', 'Inspector', null])[1 + i % 5],
				(select id from organisations where kind = 'police' order by id limit 1),
				'police',
				now() - interval '700 days' + (i % 300) * interval '1 day',
				now() - interval '700 days' + (i % 300) * interval '1 day'
			from generate_series(1, ${s.users}) i
			returning id, email
		)
		insert into _bench_seed_users (idx, user_id)
		select row_number() over (order by email), id from ins`.execute(db);

	await sql`create unlogged table _bench_seed_bench (user_id uuid not null, thread_id bigint)`.execute(db);
	await sql`
		with ins as (
			insert into users (email, display_name, job_title, organisation_id, kind, email_verified_at)
			values (
				${`bench-reader${s.suffix}@muster-bench.example`},
				'Bench Reader',
				'Benchmark account',
				(select id from organisations where kind = 'police' order by id limit 1),
				'police',
				now()
			)
			returning id
		)
		insert into _bench_seed_bench (user_id) select id from ins`.execute(db);

	const groups = Array.from({ length: s.groups }, (_, i) => {
		const g = i + 1;
		const topic = words.topics[i % words.topics.length] ?? 'Good practice';
		return {
			g,
			slug: `${slugify(topic)}-${String(g).padStart(3, '0')}${s.suffix}`,
			name: `${topic}, network ${g}`,
			visibility: ['open', 'restricted', 'private'][g % 3] ?? 'open',
			audience: g % 2 === 0 ? 'police' : 'police_partner'
		};
	});
	await sql`create unlogged table _bench_seed_groups (gidx int primary key, group_id int not null, size int not null default 0)`.execute(
		db
	);
	await sql`
		insert into groups (slug, name, description, description_html, visibility, audience, created_by, created_at)
		select x.slug, x.name, 'A group made by the benchmark seed.', '<p>A group made by the benchmark seed.</p>',
			x.visibility, x.audience, u.user_id, now() - interval '720 days'
		from unnest(${groups.map((g) => g.g)}::int[], ${groups.map((g) => g.slug)}::text[],
			${groups.map((g) => g.name)}::text[], ${groups.map((g) => g.visibility)}::text[],
			${groups.map((g) => g.audience)}::text[]) as x(g, slug, name, visibility, audience)
		left join _bench_seed_users u on u.idx = x.g`.execute(db);
	await sql`
		insert into _bench_seed_groups (gidx, group_id)
		select x.g, groups.id
		from unnest(${groups.map((g) => g.g)}::int[], ${groups.map((g) => g.slug)}::text[]) as x(g, slug)
		join groups on groups.slug = x.slug`.execute(db);

	// Memberships; in each group the first member is its owner, the next two moderators.
	await sql`create unlogged table _bench_seed_members (gidx int not null, idx int not null, user_id uuid not null, primary key (gidx, idx))`.execute(
		db
	);
	await sql`
		insert into _bench_seed_members (gidx, idx, user_id)
		select x.gidx, row_number() over (partition by x.gidx order by u.idx), u.user_id
		from _bench_seed_users u
		cross join generate_series(0, ${s.groupsPerUser - 1}) j
		cross join lateral (select 1 + (u.idx * 17 + j * 23) % ${s.groups} as gidx) x`.execute(db);
	await sql`
		insert into group_members (group_id, user_id, role, joined_at)
		select g.group_id, m.user_id,
			case when m.idx = 1 then 'owner' when m.idx <= 3 then 'moderator' else 'member' end,
			now() - interval '700 days' + (m.idx % 300) * interval '1 day'
		from _bench_seed_members m join _bench_seed_groups g on g.gidx = m.gidx`.execute(db);
	await sql`
		insert into group_members (group_id, user_id, role)
		select g.group_id, b.user_id, 'member' from _bench_seed_bench b, _bench_seed_groups g where g.gidx = 1`.execute(
		db
	);
	await sql`
		update _bench_seed_groups g set size = c.n
		from (select gidx, count(*)::int as n from _bench_seed_members group by gidx) c
		where g.gidx = c.gidx`.execute(db);

	// Threads, created over the last two years, with the number of posts they will get.
	await sql`
		create unlogged table _bench_seed_threads (
			thread_id bigint primary key, gidx int not null, post_count int not null,
			created_at timestamptz not null, step interval not null)`.execute(db);
	await sql`
		with ins as (
			insert into threads (group_id, title, pinned, locked_at, lock_reason, created_at, last_post_at, post_count)
			select g.group_id,
				(${words.subjects}::text[])[1 + i % ${words.subjects.length}] || ' (' || i || ')',
				i % 97 = 0,
				case when i % 211 = 0 then now() - interval '30 days' end,
				case when i % 211 = 0 then 'Moved to the new thread on this topic.' end,
				now() - interval '730 days' + (i::float8 / ${s.threads}) * interval '720 days',
				now(),
				1 + (i * 37) % 100
			from generate_series(1, ${s.threads}) i
			join _bench_seed_groups g on g.gidx = 1 + i % ${s.groups}
			returning id, group_id, post_count, created_at
		)
		insert into _bench_seed_threads (thread_id, gidx, post_count, created_at, step)
		select ins.id, g.gidx, ins.post_count, ins.created_at, interval '37 minutes'
		from ins join _bench_seed_groups g on g.group_id = ins.group_id`.execute(db);
	await sql`
		with ins as (
			insert into threads (group_id, title, created_at, last_post_at, post_count)
			select g.group_id, 'Benchmark: first contact with potential victims, a long-running thread',
				now() - ${s.benchPosts}::int * interval '20 minutes' - interval '1 hour', now(), ${s.benchPosts}::int
			from _bench_seed_groups g where g.gidx = 1
			returning id, post_count, created_at
		), remember as (
			update _bench_seed_bench set thread_id = (select id from ins)
		)
		insert into _bench_seed_threads (thread_id, gidx, post_count, created_at, step)
		select id, 1, post_count, created_at, interval '20 minutes' from ins`.execute(db);
}

/** The posts, in chunks of about 50,000, two chunks at a time. Returns how many were inserted. */
export async function fillPosts(
	db: Kysely<unknown>,
	progress: (done: number, total: number) => void
): Promise<number> {
	const { rows } = await sql<{
		thread_id: number;
		post_count: number;
	}>`select thread_id, post_count from _bench_seed_threads order by thread_id`.execute(db);
	const chunks: Array<{ from: number; to: number }> = [];
	let current: { from: number; to: number; posts: number } | undefined;
	for (const row of rows) {
		if (!current) current = { from: row.thread_id, to: row.thread_id, posts: 0 };
		current.to = row.thread_id;
		current.posts += row.post_count;
		if (current.posts >= POSTS_PER_CHUNK) {
			chunks.push(current);
			current = undefined;
		}
	}
	if (current) chunks.push(current);

	const textCount = await sql<{ n: number }>`select count(*)::int as n from _bench_seed_texts`.execute(db);
	const texts = textCount.rows[0]?.n ?? 1;
	let inserted = 0;
	let done = 0;
	let next = 0;
	async function worker(): Promise<void> {
		while (next < chunks.length) {
			const chunk = chunks[next++]!;
			// Deleted (about 1 in 200) and hidden (about 1 in 500) posts keep the thread's shape;
			// the first two posts of a thread stay visible (the opening post and its answer).
			const result = await sql`
				insert into posts (thread_id, number, author_id, source, html, created_at,
					deleted_at, hidden_at, hidden_by, hidden_reason)
				select t.thread_id, n, m.user_id, x.source, x.html, t.created_at + (n - 1) * t.step,
					case when n > 2 and (t.thread_id + n) % 211 = 0 then t.created_at + n * t.step end,
					case when n > 2 and (t.thread_id * 3 + n) % 499 = 0 then t.created_at + n * t.step end,
					case when n > 2 and (t.thread_id * 3 + n) % 499 = 0 then mo.user_id end,
					case when n > 2 and (t.thread_id * 3 + n) % 499 = 0
						then 'It named a victim. Please share case details through the secure route.' end
				from _bench_seed_threads t
				join _bench_seed_groups g on g.gidx = t.gidx
				cross join generate_series(1, t.post_count) n
				join _bench_seed_members m on m.gidx = t.gidx and m.idx = 1 + (t.thread_id * 7919 + n * 104729) % g.size
				join _bench_seed_members mo on mo.gidx = t.gidx and mo.idx = 2
				join _bench_seed_texts x on x.k = (t.thread_id * 31 + n * 17) % ${texts}
				where t.thread_id between ${chunk.from} and ${chunk.to}
				order by t.thread_id, n`.execute(db);
			inserted += Number(result.numAffectedRows ?? 0);
			progress(++done, chunks.length);
		}
	}
	await Promise.all(Array.from({ length: Math.min(PARALLEL, chunks.length) }, () => worker()));
	return inserted;
}

/** Everything derived from the posts, computed from them so that it agrees with them. */
export async function finishCounters(db: Kysely<unknown>): Promise<void> {
	const check = await sql<{ expected: number; actual: number }>`
		select (select sum(post_count)::int from _bench_seed_threads) as expected,
			(select count(*)::int from posts p join _bench_seed_threads t on t.thread_id = p.thread_id) as actual`.execute(
		db
	);
	const counts = check.rows[0];
	if (!counts || counts.expected !== counts.actual)
		throw new Error(`posts do not match the threads' counts: ${counts?.actual} of ${counts?.expected}`);

	await sql`
		update threads t
		set author_id = first.author_id, created_at = first.created_at,
			last_post_at = last.created_at, last_poster_id = last.author_id
		from _bench_seed_threads s
		join posts first on first.thread_id = s.thread_id and first.number = 1
		join posts last on last.thread_id = s.thread_id and last.number = s.post_count
		where t.id = s.thread_id`.execute(db);
	// The benchmark thread's author marked the second post as the answer.
	await sql`
		update threads t set answer_post_id = p.id
		from _bench_seed_bench b join posts p on p.thread_id = b.thread_id and p.number = 2
		where t.id = b.thread_id`.execute(db);

	// Helpful marks on one post in 20 (one to three members each), and the benchmark member's
	// own marks on every seventh post of the benchmark thread; then the counts from the rows.
	await sql`
		insert into post_helpful (post_id, user_id, created_at)
		select p.id, m.user_id, p.created_at + interval '1 hour'
		from _bench_seed_threads s
		join posts p on p.thread_id = s.thread_id
		join _bench_seed_groups g on g.gidx = s.gidx
		cross join generate_series(1, 1 + (p.id % 3)::int) k
		join _bench_seed_members m on m.gidx = s.gidx and m.idx = 1 + (p.id + k * 97) % g.size
		where p.id % 20 = 0 and p.deleted_at is null and p.hidden_at is null and m.user_id <> p.author_id
		on conflict do nothing`.execute(db);
	await sql`
		insert into post_helpful (post_id, user_id, created_at)
		select p.id, b.user_id, p.created_at + interval '2 hours'
		from _bench_seed_bench b join posts p on p.thread_id = b.thread_id
		where p.number % 7 = 0 and p.deleted_at is null and p.hidden_at is null
		on conflict do nothing`.execute(db);
	await sql`
		update posts p set helpful_count = c.n
		from (select post_id, count(*)::int as n from post_helpful group by post_id) c
		where p.id = c.post_id and p.helpful_count <> c.n`.execute(db);

	// Two members of each thread's group have read part of it.
	await sql`
		insert into thread_reads (user_id, thread_id, last_read_number, updated_at)
		select m.user_id, s.thread_id, greatest(1, s.post_count * r / 3), now() - interval '1 day'
		from _bench_seed_threads s
		join _bench_seed_groups g on g.gidx = s.gidx
		cross join generate_series(1, 2) r
		join _bench_seed_members m on m.gidx = s.gidx and m.idx = 1 + (s.thread_id * 13 + r * 211) % g.size
		on conflict do nothing`.execute(db);

	await sql`
		update groups set member_count = c.n
		from (select group_id, count(*)::int as n from group_members group by group_id) c, _bench_seed_groups g
		where groups.id = c.group_id and g.group_id = groups.id`.execute(db);
	await sql`
		update groups set last_activity_at = c.last
		from (select group_id, max(last_post_at) as last from threads group by group_id) c, _bench_seed_groups g
		where groups.id = c.group_id and g.group_id = groups.id`.execute(db);
}
