/**
 * Seeds a PostgreSQL database at the scale of issue 5's benchmark: 100 groups, 10,000 accounts,
 * 20,000 threads, about 1,000,000 posts, plus one thread of exactly 2,000 posts and one
 * benchmark member with a session, whose token goes to bench/.results/session.json.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/seed.ts [--force] [--scale 0.1]
 *
 * The schema comes from Muster's own migrator. The rows are made by INSERT … SELECT
 * generate_series inside PostgreSQL, in chunks, two at a time (this machine has two cores);
 * counters (threads.post_count, last_post_at, last_poster_id, posts.helpful_count,
 * groups.member_count, last_activity_at) are derived from the rows afterwards, so they agree.
 * A database that already has accounts is refused unless --force, which adds a second data
 * set beside the first (names get a suffix) and never deletes anything.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { openDatabase, redactUrl } from '../src/lib/server/db/database.ts';
import { migrateToLatest } from '../src/lib/server/db/migrator.ts';
import { createSession, SESSION_COOKIE } from '../src/lib/server/auth/session.ts';
import { threadPath } from '../src/lib/server/discussions/thread-paths.ts';
import { renderMarkdown } from '../src/lib/server/markdown/markdown.ts';
import { FIRST_NAMES, LAST_NAMES, POST_SOURCES, SUBJECTS, TOPICS } from './seed-texts.ts';
import { createTables, dropTables, fillPosts, finishCounters, type Scale } from './seed-sql.ts';

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '.results');
export const SESSION_FILE = path.join(RESULTS_DIR, 'session.json');

function parseArgs(argv: string[]): { force: boolean; scale: number } {
	let force = false;
	let scale = 1;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--force') force = true;
		else if (arg === '--scale' || arg?.startsWith('--scale=')) {
			const value = arg.includes('=') ? arg.split('=')[1] : argv[++i];
			scale = Number(value);
			if (!(scale > 0 && scale <= 1)) throw new Error(`--scale expects a number in (0, 1], not ${value}`);
		} else throw new Error(`unknown argument ${arg} (expected --force or --scale N)`);
	}
	return { force, scale };
}

const started = performance.now();
let stepStarted = started;
function step(label: string): void {
	const now = performance.now();
	console.log(
		`${label.padEnd(56)} ${((now - stepStarted) / 1000).toFixed(1).padStart(6)} s  (total ${((now - started) / 1000).toFixed(1)} s)`
	);
	stepStarted = now;
}

async function existingAccounts(db: Kysely<unknown>): Promise<number> {
	const { rows } = await sql<{
		table: string | null;
	}>`select to_regclass('public.users')::text as table`.execute(db);
	if (!rows[0]?.table) return 0;
	const count = await sql<{ n: string }>`select count(*) as n from users`.execute(db);
	return Number(count.rows[0]?.n ?? 0);
}

async function main(): Promise<void> {
	const { force, scale } = parseArgs(process.argv.slice(2));
	const databaseUrl = process.env.DATABASE_URL;
	if (!databaseUrl) throw new Error('DATABASE_URL is required (a PostgreSQL database to fill)');
	console.log(`Seeding ${redactUrl(databaseUrl)}${scale < 1 ? ` at scale ${scale}` : ''}`);

	const handle = await openDatabase({ databaseUrl, dataDir: 'memory://', poolSize: 3 });
	try {
		const raw = handle.db.withoutPlugins() as unknown as Kysely<unknown>;
		const accounts = await existingAccounts(raw);
		if (accounts > 0 && !force) {
			throw new Error(
				`the database already has ${accounts} account(s); seed an empty database, or pass --force to add a second data set beside them`
			);
		}
		// With --force, names get a suffix so they do not collide with an earlier data set.
		const suffix = accounts > 0 ? `-${Date.now().toString(36)}` : '';

		const applied = await migrateToLatest(handle.db);
		step(`schema: ${applied.length} migration(s) applied`);

		const s: Scale = {
			groups: 100,
			users: Math.max(100, Math.round(10_000 * scale)),
			threads: Math.max(200, Math.round(20_000 * scale)),
			groupsPerUser: 5,
			benchPosts: 2_000,
			suffix
		};
		const texts = POST_SOURCES.map((source) => ({ source, html: renderMarkdown(source) }));
		await dropTables(raw);
		await createTables(raw, s, {
			texts,
			topics: TOPICS,
			subjects: SUBJECTS,
			firstNames: FIRST_NAMES,
			lastNames: LAST_NAMES
		});
		const n = (x: number) => x.toLocaleString('en-GB');
		step(`${n(s.users)} accounts, ${s.groups} groups, memberships, ${n(s.threads + 1)} threads`);

		const posts = await fillPosts(raw, (done, total) => {
			if (done === total || done % 5 === 0) step(`posts: chunk ${done}/${total}`);
		});
		step(`${n(posts)} posts in all`);

		const bench = await finishAndDescribe(raw);
		step('counters, helpful marks, read positions');

		await sql`vacuum (analyze) users, groups, group_members, threads, posts, post_helpful, thread_reads`.execute(
			raw
		);
		step('vacuum analyze');

		const { token } = await createSession(
			handle.db,
			bench.userId,
			{ userAgent: 'muster-bench', ipAddress: '127.0.0.1' },
			new Date()
		);
		await dropTables(raw);
		const session = {
			cookie: `${SESSION_COOKIE}=${token}`,
			token,
			userId: bench.userId,
			email: bench.email,
			groupSlug: bench.slug,
			threadId: bench.threadId,
			threadPath: threadPath(bench.slug, { id: bench.threadId, title: bench.title }),
			threadPosts: bench.postCount,
			seededAt: new Date().toISOString()
		};
		mkdirSync(RESULTS_DIR, { recursive: true });
		writeFileSync(SESSION_FILE, `${JSON.stringify(session, null, '\t')}\n`, { mode: 0o600 });
		step('benchmark member session');

		console.log('');
		console.log(`Benchmark member: ${session.email} (member of ${session.groupSlug})`);
		console.log(`Thread of ${session.threadPosts} posts: ${session.threadPath}`);
		console.log(`Session cookie:   ${session.cookie}`);
		console.log(`Written to ${path.relative(process.cwd(), SESSION_FILE)}`);
		console.log(`Seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
	} finally {
		await handle.close();
	}
}

/** Derived counters and extras, then the benchmark thread's description. */
async function finishAndDescribe(db: Kysely<unknown>) {
	await finishCounters(db);
	const { rows } = await sql<{
		user_id: string;
		email: string;
		slug: string;
		thread_id: string;
		title: string;
		post_count: number;
	}>`
		select u.id as user_id, u.email, g.slug, t.id as thread_id, t.title, t.post_count
		from _bench_seed_bench b
		join users u on u.id = b.user_id
		join threads t on t.id = b.thread_id
		join groups g on g.id = t.group_id`.execute(db);
	const row = rows[0];
	if (!row) throw new Error('the benchmark thread was not created');
	if (row.post_count !== 2_000)
		throw new Error(`the benchmark thread has ${row.post_count} posts, not 2,000`);
	return {
		userId: row.user_id,
		email: row.email,
		slug: row.slug,
		threadId: Number(row.thread_id),
		title: row.title,
		postCount: row.post_count
	};
}

main().catch((error: unknown) => {
	console.error(`Seeding failed: ${error instanceof Error ? error.message : String(error)}`);
	if (error instanceof Error && error.stack && process.env.DEBUG) console.error(error.stack);
	process.exit(1);
});
