/**
 * The notifications benchmark (issue 16): one reply in a thread watched by 5,000 members.
 *
 *   npx tsx bench/notify.ts [--watchers 5000] [--accounts 10000] [--posts 60]
 *
 * It creates its own database, muster_bench_notify, on the PostgreSQL server that DATABASE_URL
 * names (default postgres://postgres@127.0.0.1:5432/postgres; nothing else there is touched),
 * and drops it at the end. In one process, through Muster's own services (the reply service a
 * page's form calls, the job runner the host runs), it:
 *
 * 1. makes --accounts police accounts in one group, and two threads: one watched by --watchers
 *    of them, one watched by nobody;
 * 2. posts --posts replies to each thread, alternating, each by another account (the posting
 *    limit is per account), while a worker loop runs the queued jobs as the host would, and
 *    prints the replies' p50/p99 for each thread: the target is the watched thread's p99 within
 *    20% of the quiet one's (the fan-out must not sit in the request);
 * 3. posts one more reply to the watched thread and times until all its watchers' in-app
 *    notifications are written and readable (target: under 5 s);
 * 4. starts a daily digest run for every account and times it until every digest is written
 *    (target: 10,000 accounts in under 60 s).
 *
 * A missed target is reported, not an error (it is a benchmark, not a test). Loopback only,
 * bounded in time.
 */
import pg from 'pg';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { loadConfig } from '../src/lib/server/config.ts';
import { createContext, type AppContext } from '../src/lib/server/context.ts';
import type { SessionUser } from '../src/lib/server/auth/session.ts';
import { reply } from '../src/lib/server/discussions/thread.service.ts';
import { startDueDigests } from '../src/lib/server/notifications/email-delivery.ts';

const DB_NAME = 'muster_bench_notify';
const TARGET = { p99Ratio: 1.2, fanOutMs: 5_000, digestMs: 60_000 };

function option(name: string, fallback: number): number {
	const i = process.argv.indexOf(`--${name}`);
	const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
	if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: expected a whole number`);
	return value;
}

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main() {
	const watchers = option('watchers', 5_000);
	const accounts = Math.max(option('accounts', 10_000), watchers + 1);
	const posts = option('posts', 60);
	if (accounts < watchers + 2 * posts + 2) throw new Error('--accounts: too few for the posts and watchers');
	const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
	const admin = new pg.Client({ connectionString: serverUrl });
	await admin.connect();
	const benchUrl = Object.assign(new URL(serverUrl), { pathname: `/${DB_NAME}` }).toString();
	await admin.query(`drop database if exists ${DB_NAME} with (force)`);
	await admin.query(`create database ${DB_NAME}`);
	const { rows } = await admin.query<{ version: string }>('select version()');
	console.log(`${rows[0]?.version}; database ${DB_NAME} (created now, dropped at the end)`);
	const loaded = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: benchUrl });
	if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
	const ctx = await createContext(loaded.config, { migrate: true });
	try {
		await run(ctx, { watchers, accounts, posts });
	} finally {
		await ctx.close();
		await admin.query(`drop database if exists ${DB_NAME} with (force)`).catch(() => {});
		await admin.end();
	}
}

async function run(ctx: AppContext, o: { watchers: number; accounts: number; posts: number }) {
	const t0 = performance.now();
	const kent = await ctx.db
		.selectFrom('organisations')
		.select('id')
		.where('name', 'ilike', 'Kent%')
		.executeTakeFirstOrThrow();
	await sql`
		insert into users (email, display_name, organisation_id, kind, email_verified_at, password_hash)
		select 'bench' || i || '@kent.police.uk', 'Bench officer ' || i, ${kent.id}, 'police', now(), null
		from generate_series(1, ${o.accounts}) as i`.execute(ctx.db);
	const users = await ctx.db
		.selectFrom('users')
		.select(['id', 'email', 'displayName'])
		.orderBy('email')
		.execute();
	const session = (u: (typeof users)[number]): SessionUser => ({
		id: u.id,
		email: u.email,
		displayName: u.displayName,
		kind: 'police',
		isAdmin: false,
		status: 'active',
		organisationId: kent.id,
		emailVerified: true,
		twoFactorEnabled: false
	});
	const group = await ctx.db
		.insertInto('groups')
		.values({ slug: 'bench-desk', name: 'Bench desk', visibility: 'open', audience: 'police' })
		.returning('id')
		.executeTakeFirstOrThrow();
	await sql`
		insert into group_members (group_id, user_id, role)
		select ${group.id}, id, case when email = ${users[0]!.email} then 'owner' else 'member' end from users`.execute(
		ctx.db
	);
	await sql`update groups set member_count = ${users.length} where id = ${group.id}`.execute(ctx.db);
	const { startThread } = await import('../src/lib/server/discussions/thread.service.ts');
	const owner = session(users[0]!);
	const watched = await startThread(ctx, owner, 'bench-desk', { title: 'Watched thread', body: 'Start.' });
	await new Promise((r) => setTimeout(r, 5_100)); // the posting limit: one post every 5 s
	const quiet = await startThread(ctx, owner, 'bench-desk', { title: 'Quiet thread', body: 'Start.' });
	// The watchers (the owner, who started it, already watches; they are left out of the count).
	await sql`
		insert into thread_follows (user_id, thread_id, level, updated_at)
		select id, ${watched.id}, 'watching', now() - interval '1 minute' from users
		where email <> ${users[0]!.email}
		order by email limit ${o.watchers}
		on conflict (user_id, thread_id) do update set level = 'watching', updated_at = excluded.updated_at`.execute(
		ctx.db
	);
	await ctx.jobs.drain();
	await sql`vacuum analyze`.execute(ctx.db);
	console.log(
		`set up ${users.length} accounts, ${o.watchers} watchers in ${((performance.now() - t0) / 1000).toFixed(1)} s`
	);

	// Posting, with the job runner working beside it as on the host.
	let posting = true;
	const worker = (async () => {
		while (posting) {
			await ctx.jobs.drain();
			await new Promise((r) => setTimeout(r, 5));
		}
	})();
	const timings: Record<'watched' | 'quiet', number[]> = { watched: [], quiet: [] };
	let next = users.length - 1;
	for (let i = 0; i < o.posts * 2; i++) {
		const which = i % 2 === 0 ? 'watched' : 'quiet';
		const author = session(users[next--]!);
		const start = performance.now();
		await reply(ctx, author, 'bench-desk', which === 'watched' ? watched.id : quiet.id, `Reply ${i}.`);
		timings[which].push(performance.now() - start);
	}
	posting = false;
	await worker;
	await ctx.jobs.drain();
	const p99 = { watched: percentile(timings.watched, 99), quiet: percentile(timings.quiet, 99) };
	console.log('\nposting a reply (the reply service, as the page calls it)');
	for (const which of ['quiet', 'watched'] as const)
		console.log(
			`  ${which.padEnd(8)} p50 ${ms(percentile(timings[which], 50))}  p99 ${ms(p99[which])}  (${timings[which].length} replies)`
		);
	const ratio = p99.watched / p99.quiet;
	console.log(`  watched p99 / quiet p99 = ${ratio.toFixed(2)} (target ≤ ${TARGET.p99Ratio})`);

	// One more reply: how long until every watcher can read their notification?
	const author = session(users[next--]!);
	const start = performance.now();
	const post = await reply(ctx, author, 'bench-desk', watched.id, 'The one that counts.');
	const posted = performance.now() - start;
	await ctx.jobs.drain();
	let written = 0;
	for (;;) {
		const row = await ctx.db
			.selectFrom('notifications')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('postId', '=', post.id)
			.executeTakeFirstOrThrow();
		written = Number(row.n);
		if (written >= o.watchers || performance.now() - start > 30_000) break;
		await ctx.jobs.drain();
	}
	const fanOut = performance.now() - start;
	console.log(
		`\nfan-out: the reply took ${ms(posted)}; ${written} notifications readable after ${ms(fanOut)} (target < ${TARGET.fanOutMs} ms)`
	);

	// A daily digest run for every account.
	const digestStart = performance.now();
	const started = await startDueDigests({ db: ctx.db, now: () => new Date() });
	await ctx.jobs.drain();
	const digestMs = performance.now() - digestStart;
	const mails = await ctx.db
		.selectFrom('outbox')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('subject', 'like', 'Your daily summary%')
		.executeTakeFirstOrThrow();
	const sent = await ctx.db
		.selectFrom('digestsSent')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('cadence', '=', 'daily')
		.executeTakeFirstOrThrow();
	console.log(
		`\ndigest: run ${started.join(', ') || '(none due: before 7am UK time)'}; ${sent.n} accounts' daily summaries done (${mails.n} with something to say) in ${ms(digestMs)}${started.length > 1 ? ', the weekly run included' : ''} (target < ${TARGET.digestMs} ms)`
	);

	console.log('\ntargets');
	console.log(`  posting p99 within 20% of no watchers: ${ratio <= TARGET.p99Ratio ? 'met' : 'NOT met'}`);
	console.log(
		`  ${o.watchers} notifications within 5 s: ${written >= o.watchers && fanOut < TARGET.fanOutMs ? 'met' : 'NOT met'}`
	);
	console.log(
		`  daily digest for ${o.accounts} accounts within 60 s: ${Number(sent.n) >= o.accounts && digestMs < TARGET.digestMs ? 'met' : 'NOT met'}`
	);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
