/**
 * The search benchmark (issue 15): on the 1,000,000-post seed (bench/seed.ts), a mix of searches
 * through the page (`GET /search?q=…`) as a member of five groups and as an administrator, with
 * autocannon on the built host, and each query's SQL run once directly with EXPLAIN (ANALYZE,
 * BUFFERS) for the slowest.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/search.ts [--connections 20] [--duration 20] [--per-query 4]
 *     [--warmup 3] [--explain-all]
 *
 * Steps: applies pending migrations itself and times them (the search migration backfills the
 * vectors of every post, longer than bench/host.ts waits for a host to be ready), then VACUUM
 * ANALYZE of the searched tables if it applied any; makes, idempotently, a member of the seed's
 * first five groups and an administrator (neither with two-factor authentication), each with a
 * fresh session; runs every query once through Muster's own search service, timing it and
 * recording its SQL; starts the host and times it; checks that every query's page answers 200
 * with its results heading and finds something (or, for the no-hits query, nothing); then, with
 * 20 connections, loads each query alone and then all of them mixed (each connection going through
 * every query in a shuffled order), and prints req/s and p50/p95/p99/max per query and overall,
 * and the targets as met or not met; finally the EXPLAIN (ANALYZE, BUFFERS) of the slowest
 * statement of the slowest query (every query's with --explain-all; all of them are written to
 * bench/.results/search-explain-<time>.txt).
 *
 * Runs are counted in requests, not seconds, sized from each query's unloaded time to last about
 * --per-query seconds (alone; at least two requests a connection) and --duration seconds (the
 * mix; every connection through every query at least once): a run stopped on the clock drops the
 * requests in flight, which for a search slower than the run would be all of them.
 *
 * Every response must be a 200 with the results heading; anything else (or a host that does not
 * start) exits non-zero. A missed target does not: this is a benchmark, not a test. Traffic goes to
 * 127.0.0.1 only, for a bounded time, and the host is stopped at the end (its log:
 * bench/.results/search-host.log).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type Options as CannonOptions, type Result } from 'autocannon';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { openDatabase, redactUrl } from '../src/lib/server/db/database.ts';
import { migrateToLatest } from '../src/lib/server/db/migrator.ts';
import { createSession, SESSION_COOKIE, type SessionUser } from '../src/lib/server/auth/session.ts';
import type { AppContext } from '../src/lib/server/context.ts';
import { search } from '../src/lib/server/search/search.service.ts';
import { parseSearch } from '../src/lib/server/search/search.query.ts';
import { CpuMeter, idleShare, type CpuShares } from './cpu.ts';
import { ensureBuilt, startHost } from './host.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = path.join(ROOT, 'bench', '.results');
/** Issue 15: overall p95 under 50 ms, at least 300 searches a second, no search above 500 ms. */
const TARGET = { p95Ms: 50, perSecond: 300, slowestMs: 500 };
/** Every results page has this heading ("1,234 results", "0 results"…). */
const RESULTS_HEADING = 'id="results-heading"';
const TOO_SLOW = 'The search took too long';
const USER_AGENT = 'muster-bench-search';

interface Options {
	connections: number;
	duration: number;
	perQuery: number;
	warmup: number;
	explainAll: boolean;
}

const FLAGS: Record<string, Exclude<keyof Options, 'explainAll'>> = {
	'--connections': 'connections',
	'--duration': 'duration',
	'--per-query': 'perQuery',
	'--warmup': 'warmup'
};

function parseArgs(argv: string[]): Options {
	const options: Options = { connections: 20, duration: 20, perQuery: 4, warmup: 3, explainAll: false };
	for (let i = 0; i < argv.length; i++) {
		const [flag = '', inline] = (argv[i] ?? '').split('=', 2);
		if (flag === '--explain-all') {
			options.explainAll = true;
			continue;
		}
		const key = FLAGS[flag];
		const value = Number(inline ?? argv[++i]);
		if (!key || !Number.isInteger(value) || value < 0) throw new Error(`unexpected argument ${flag}`);
		options[key] = value;
	}
	// Bounded load: at most a minute per run and 200 connections.
	if (options.duration < 1 || options.duration > 60) throw new Error('--duration must be 1–60 seconds');
	if (options.perQuery > 20) throw new Error('--per-query must be at most 20 seconds (0 skips it)');
	if (options.warmup > 30) throw new Error('--warmup must be at most 30 seconds');
	if (options.connections < 1 || options.connections > 200) throw new Error('--connections must be 1–200');
	return options;
}

interface Query {
	name: string;
	params: Record<string, string>;
	/** Whether the query finds something. */
	finds: boolean;
}

const isoDay = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

/**
 * The mix. The seed's posts are 16 bodies (bench/seed-texts.ts) repeated, so every word of a post
 * is in at least one post in 16 (about 63,000): the rare word of the posts is one such, and a
 * thread's number (in its title) stands for a word found once. The page form has no prefix search
 * (websearch_to_tsquery; prefixes are for the suggestions to come), so "safeguard" stands in: it
 * finds safeguarding and safeguard by their stem, not by prefix.
 */
function queries(groupSlug: string): Query[] {
	return [
		{ name: 'common word', params: { q: 'victim' }, finds: true },
		{ name: 'rare word (1 body in 16)', params: { q: 'probationer' }, finds: true },
		{ name: "one thread's number", params: { q: '12301' }, finds: true },
		{ name: 'phrase', params: { q: '"first responder"' }, finds: true },
		{ name: 'two words', params: { q: 'interpreter community' }, finds: true },
		{ name: 'stem (no prefix search)', params: { q: 'safeguard' }, finds: true },
		{ name: 'group filter', params: { q: 'victim', group: groupSlug }, finds: true },
		{ name: 'newest first', params: { q: 'referral', sort: 'newest' }, finds: true },
		{ name: 'dates', params: { q: 'licensing', from: isoDay(120), to: isoDay(30) }, finds: true },
		{ name: 'thread titles only', params: { q: 'training', kind: 'thread' }, finds: true },
		{ name: "a person's name", params: { q: 'Priya Patel' }, finds: true },
		{ name: 'no hits', params: { q: 'zeppelin' }, finds: false }
	];
}

interface Viewer {
	name: string;
	user: SessionUser;
	cookie: string;
}

interface Statement {
	sql: string;
	parameters: readonly unknown[];
	ms: number;
}

interface Target {
	query: Query;
	viewer: Viewer;
	label: string;
	path: string;
	/** The search service run once directly (after a first run to warm the cache). */
	direct: { ms: number; statements: Statement[]; found: number };
	/** What the page says ("More than 1,000 results"). */
	summary: string;
}

function gitCommit(): string {
	try {
		const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'migrations', 'static'], {
			cwd: ROOT
		})
			.toString()
			.trim();
		return dirty ? `${commit} (with uncommitted changes to the sources)` : commit;
	} catch {
		return 'unknown';
	}
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * A member of the seed's first five groups and an administrator, made once (rows inserted
 * directly, like the seed's accounts: confirmed, no password, no two-factor), each with a new
 * session; their earlier benchmark sessions are removed.
 */
async function benchViewers(db: Kysely<unknown>, appDb: Parameters<typeof createSession>[0]) {
	const accounts = [
		{ email: 'search-member@muster-bench.example', name: 'Search Member', admin: false },
		{ email: 'search-admin@muster-bench.example', name: 'Search Administrator', admin: true }
	];
	const viewers: Viewer[] = [];
	for (const a of accounts) {
		await sql`
			insert into users (email, display_name, job_title, organisation_id, kind, is_admin, email_verified_at)
			values (${a.email}, ${a.name}, 'Benchmark account',
				(select id from organisations where kind = 'police' order by id limit 1), 'police', ${a.admin}, now())
			on conflict (email) do nothing`.execute(db);
		const { rows } = await sql<{
			id: string;
			email: string;
			display_name: string;
			is_admin: boolean;
			status: string;
			organisation_id: number | null;
			email_verified_at: Date | null;
			totp_enabled_at: Date | null;
		}>`select id, email, display_name, is_admin, status, organisation_id, email_verified_at, totp_enabled_at
			from users where email = ${a.email}`.execute(db);
		const row = rows[0];
		if (!row) throw new Error(`the account ${a.email} was not made`);
		if (row.is_admin !== a.admin || row.status !== 'active' || !row.email_verified_at || row.totp_enabled_at)
			throw new Error(`the account ${a.email} exists but is not as this benchmark needs it`);
		await sql`delete from sessions where user_id = ${row.id} and user_agent = ${USER_AGENT}`.execute(db);
		const { token } = await createSession(
			appDb,
			row.id,
			{ userAgent: USER_AGENT, ipAddress: '127.0.0.1' },
			new Date()
		);
		viewers.push({
			name: a.admin ? 'administrator' : 'member of 5',
			cookie: `${SESSION_COOKIE}=${token}`,
			user: {
				id: row.id,
				email: row.email,
				displayName: row.display_name,
				kind: 'police',
				isAdmin: row.is_admin,
				status: 'active',
				organisationId: row.organisation_id,
				emailVerified: true,
				twoFactorEnabled: false
			}
		});
	}
	// The member joins the seed's first five groups; a group's member count follows its rows.
	const member = viewers[0]!.user.id;
	await sql`
		with joined as (
			insert into group_members (group_id, user_id, role)
			select id, ${member}::uuid, 'member' from (select id from groups order by id limit 5) g
			on conflict do nothing
			returning group_id
		)
		update groups set member_count = member_count + 1 where id in (select group_id from joined)`.execute(db);
	const { rows } = await sql<{ slug: string }>`
		select g.slug from group_members m join groups g on g.id = m.group_id
		where m.user_id = ${member} order by g.id`.execute(db);
	if (rows.length !== 5) throw new Error(`the benchmark member is in ${rows.length} groups, not 5`);
	return { viewers, groups: rows.map((r) => r.slug) };
}

const percentile = (sorted: number[], p: number) =>
	sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

interface Figures {
	requests: number;
	perSecond: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
	non200: number;
	wrongBody: number;
}

function figures(latencies: number[], runSeconds: number, non200: number, wrongBody: number): Figures {
	const sorted = [...latencies].sort((a, b) => a - b);
	return {
		requests: sorted.length,
		perSecond: sorted.length / runSeconds,
		p50: percentile(sorted, 50),
		p95: percentile(sorted, 95),
		p99: percentile(sorted, 99),
		max: sorted.at(-1) ?? NaN,
		non200,
		wrongBody
	};
}

interface Load {
	result: Result;
	seconds: number;
	/** Per target (index into the targets given): latencies in ms, non-200s, 200s without the heading. */
	latencies: number[][];
	non200: number[];
	wrongBody: number[];
}

/** An autocannon instance: the promise of its result, and its per-response events. */
type Instance = Promise<Result> & {
	on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
	on(event: 'reqError', listener: (error: Error) => void): void;
};

interface CannonRequest {
	method: 'GET';
	path: string;
	headers: Record<string, string>;
	onResponse: (status: number, body: string) => void;
}

/**
 * Loads `order` (indexes into targets), each connection going through it in turn: for `run.seconds`,
 * or until `run.requests` responses (shared evenly by the connections; in-flight requests are not
 * cut off at the end, so a search slower than the run is still measured). Each response is told
 * to its request's onResponse and then, synchronously, to the instance's response event with its
 * latency: so each latency is the target's just named.
 */
async function load(
	base: string,
	targets: Target[],
	order: number[],
	connections: number,
	run: { seconds: number } | { requests: number }
): Promise<Load> {
	const latencies = targets.map((): number[] => []);
	const non200 = targets.map(() => 0);
	const wrongBody = targets.map(() => 0);
	let last = -1;
	const requests: CannonRequest[] = order.map((i) => ({
		method: 'GET',
		path: targets[i]!.path,
		headers: { cookie: targets[i]!.viewer.cookie },
		onResponse: (status, body) => {
			last = i;
			if (status !== 200) non200[i]! += 1;
			// A search stopped by its time limit (search.service.ts) is an answer, but not a result.
			else if (!body.includes(RESULTS_HEADING) || body.includes(TOO_SLOW)) wrongBody[i]! += 1;
		}
	}));
	const options: CannonOptions & { requests: CannonRequest[] } = {
		url: base,
		connections,
		...('seconds' in run ? { duration: run.seconds } : { amount: run.requests }),
		// A slow search is a result to report, not a reason to give up on it.
		timeout: 60,
		requests
	};
	const instance = autocannon(options) as Instance;
	let firstError: string | undefined;
	instance.on('reqError', (error) => {
		firstError ??= error.message;
	});
	instance.on('response', (_client, _status, _bytes, ms) => {
		if (last >= 0) latencies[last]!.push(ms);
		last = -1;
	});
	const result = await instance;
	if (firstError) console.log(`  (${result.errors} failed requests, the first: ${firstError})`);
	return {
		result,
		seconds: (result.finish.getTime() - result.start.getTime()) / 1000,
		latencies,
		non200,
		wrongBody
	};
}

/** The same order every run: each target once, shuffled. */
function mixedOrder(count: number): number[] {
	const order = Array.from({ length: count }, (_, i) => i);
	let seed = 15;
	for (let i = order.length - 1; i > 0; i--) {
		seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
		const j = seed % (i + 1);
		[order[i], order[j]] = [order[j]!, order[i]!];
	}
	return order;
}

async function checkPage(base: string, target: Target): Promise<string> {
	const response = await fetch(`${base}${target.path}`, {
		headers: { cookie: target.viewer.cookie },
		redirect: 'manual'
	});
	const body = await response.text();
	if (response.status !== 200)
		throw new Error(
			`${target.path} (${target.viewer.name}) answered ${response.status} ${response.headers.get('location') ?? ''}`.trim()
		);
	const heading = /id="results-heading"[^>]*>([^<]*)</.exec(body);
	if (!heading) throw new Error(`${target.path} (${target.viewer.name}) has no results heading`);
	const summary = heading[1]!.trim();
	const none = summary === '0 results';
	if (none === target.query.finds)
		throw new Error(
			`${target.path} (${target.viewer.name}) says “${summary}”, which is not what it should find`
		);
	return summary;
}

/** The statements worth a plan: the searches' own queries, not the transaction around them. */
const searchStatements = (statements: Statement[]) =>
	statements.filter((s) => /^\s*select\b/i.test(s.sql) && !/set_config/.test(s.sql));

async function explain(client: pg.Client, statement: Statement): Promise<string> {
	// The settings the search's transaction runs with (search.service.ts `searching`).
	await client.query(
		"select set_config('jit', 'off', false), set_config('max_parallel_workers_per_gather', '0', false), set_config('pg_trgm.word_similarity_threshold', '0.45', false)"
	);
	const { rows } = await client.query<{ 'QUERY PLAN': string }>(
		`explain (analyze, buffers) ${statement.sql}`,
		statement.parameters as unknown[]
	);
	return rows.map((r) => r['QUERY PLAN']).join('\n');
}

const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '-');

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));
	const databaseUrl = process.env.DATABASE_URL;
	if (!databaseUrl) throw new Error('DATABASE_URL is required (the database bench/seed.ts filled)');
	ensureBuilt(ROOT);
	mkdirSync(RESULTS_DIR, { recursive: true });
	console.log(`Database: ${redactUrl(databaseUrl)}`);

	// Statements the search service runs, recorded while `recording` is set.
	let recording: Statement[] | undefined;
	const handle = await openDatabase({
		databaseUrl,
		dataDir: 'memory://',
		poolSize: 3,
		log: (event) => {
			if (event.level === 'query' && recording)
				recording.push({
					sql: event.query.sql,
					parameters: event.query.parameters,
					ms: event.queryDurationMillis
				});
		}
	});
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	try {
		const raw = handle.db.withoutPlugins() as unknown as Kysely<unknown>;
		const { rows } = await client.query<{ version: string; posts: string }>(
			`select current_setting('server_version') as version,
				(select reltuples::bigint from pg_class where oid = 'posts'::regclass) as posts`
		);
		console.log(
			`Machine: ${os.cpus().length} cores, Node ${process.version}, PostgreSQL ${rows[0]?.version}; about ${Number(rows[0]?.posts).toLocaleString('en-GB')} posts`
		);
		console.log(`Commit: ${gitCommit()}`);
		const idle = await idleShare();
		console.log(`CPU idle before the run: ${Math.round(idle * 100)}%`);
		if (idle < 0.8) console.log('Warning: something else is using this machine; the figures will be lower.');

		// The host applies pending migrations when it starts, but bench/host.ts gives it 30 s, and the
		// search migration indexes every post: so they are applied (and timed) here.
		let started = performance.now();
		const applied = await migrateToLatest(handle.db);
		console.log(
			applied.length > 0
				? `Migrations applied (what the host would do at start): ${applied.join(', ')} in ${seconds(performance.now() - started)}`
				: 'No migrations pending'
		);
		if (applied.length > 0) {
			// As autovacuum would soon: the backfill left a dead row per post and no statistics.
			started = performance.now();
			await sql`vacuum (analyze) posts, threads, groups, users, organisations, practice_versions`.execute(
				raw
			);
			console.log(`VACUUM ANALYZE of the searched tables: ${seconds(performance.now() - started)}`);
		}

		const { viewers, groups } = await benchViewers(raw, handle.db);
		console.log(`Viewers: a member of ${groups.join(', ')}; an administrator (neither with two-factor)`);

		// Each query once through the service (the first run warms the cache), with its SQL.
		const ctx = { db: handle.db, now: () => new Date() } as unknown as AppContext;
		const targets: Target[] = [];
		for (const query of queries(groups[1]!))
			for (const viewer of viewers) {
				const params = new URLSearchParams(query.params);
				const { request } = parseSearch(params);
				await search(ctx, viewer.user, request);
				recording = [];
				const t0 = performance.now();
				const result = await search(ctx, viewer.user, request);
				const direct = {
					ms: performance.now() - t0,
					statements: recording,
					found: Object.values(result.counts).reduce((a, b) => a + b, 0)
				};
				recording = undefined;
				targets.push({
					query,
					viewer,
					label: `${query.name} / ${viewer.name}`,
					path: `/search?${params}`,
					direct,
					summary: ''
				});
			}

		started = performance.now();
		let hostExit: string | undefined;
		const host = await startHost(ROOT, databaseUrl, path.join(RESULTS_DIR, 'search-host.log'), {
			onUnexpectedExit: (code, signal) => {
				hostExit = `the host exited during the run (code ${code}, signal ${signal}; see bench/.results/search-host.log)`;
				console.error(hostExit);
			}
		});
		console.log(`Host ready in ${seconds(performance.now() - started)}`);
		let mixed: Load;
		const alone: Load[] = [];
		let meter: CpuShares | undefined;
		try {
			for (const t of targets) t.summary = await checkPage(host.base, t);
			console.log(`Checked ${targets.length} searches: 200 with their results heading`);
			const order = mixedOrder(targets.length);
			if (options.warmup > 0) {
				console.log(`Warming up for ${options.warmup} s on the mix (not counted)…`);
				await load(host.base, targets, order, options.connections, { seconds: options.warmup });
			}
			const settle = () => new Promise((r) => setTimeout(r, 1_000));
			await settle();
			// Runs are counted in requests, sized by each search's unloaded time on this machine's
			// cores, so that a search slower than a run is measured rather than cut off.
			const cores = os.cpus().length;
			const sized = (seconds: number, unloadedMs: number, least: number) =>
				Math.max(least, Math.min(20_000, Math.round((seconds * 1000 * cores) / Math.max(1, unloadedMs))));
			if (options.perQuery > 0) {
				console.log(
					`Each search alone: ${options.connections} connections, about ${options.perQuery} s each (at least ${2 * options.connections} requests), ${targets.length} searches…`
				);
				for (const [i, t] of targets.entries()) {
					const requests = sized(options.perQuery, t.direct.ms, 2 * options.connections);
					alone[i] = await load(host.base, [t], [0], options.connections, { requests });
					await settle();
				}
			}
			// Each connection goes through the shuffled list of every search the same number of times.
			const meanMs = targets.reduce((sum, t) => sum + t.direct.ms, 0) / targets.length;
			const rounds = Math.ceil(sized(options.duration, meanMs, 1) / (options.connections * order.length));
			const mixRequests = rounds * options.connections * order.length;
			console.log(
				`The mix: ${options.connections} connections, each through all ${order.length} searches ${rounds} time(s): ${mixRequests} requests…`
			);
			const postgresPids = async () =>
				(
					await client.query<{ pid: number }>(
						`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`
					)
				).rows.map((r) => r.pid);
			const cpu = new CpuMeter(host.process.pid, postgresPids);
			await cpu.begin();
			mixed = await load(host.base, targets, order, options.connections, { requests: mixRequests });
			meter = cpu.end(mixed.result['2xx'] + mixed.result.non2xx);
		} finally {
			await host.stop();
		}

		// Per search: alone, then in the mix; then the mix as a whole.
		const aloneFigures = alone.map((a) => figures(a.latencies[0]!, a.seconds, a.non200[0]!, a.wrongBody[0]!));
		const mixFigures = targets.map((_, i) =>
			figures(mixed.latencies[i]!, mixed.seconds, mixed.non200[i]!, mixed.wrongBody[i]!)
		);
		const overall = figures(
			mixed.latencies.flat(),
			mixed.seconds,
			mixed.non200.reduce((a, b) => a + b, 0),
			mixed.wrongBody.reduce((a, b) => a + b, 0)
		);
		console.log('');
		console.log('Each search once, through the service directly, unloaded (ms; SQL statements):');
		console.table(
			targets.map((t) => ({
				search: t.label,
				q: t.path.replace(/^\/search\?/, ''),
				page: t.summary,
				ms: ms(t.direct.ms),
				'slowest SQL ms': ms(Math.max(...t.direct.statements.map((s) => s.ms)))
			}))
		);
		if (aloneFigures.length > 0) {
			console.log(`Each search alone, ${options.connections} connections (latency in ms):`);
			console.table(
				targets.map((t, i) => {
					const f = aloneFigures[i]!;
					return {
						search: t.label,
						'req/s': Math.round(f.perSecond),
						p50: ms(f.p50),
						p95: ms(f.p95),
						p99: ms(f.p99),
						max: ms(f.max),
						requests: f.requests,
						'non-200': f.non200,
						'wrong body': f.wrongBody,
						'errors+timeouts': alone[i]!.result.errors,
						seconds: alone[i]!.seconds.toFixed(1)
					};
				})
			);
		}
		console.log(
			`The mix, ${options.connections} connections, ${seconds(mixed.seconds * 1000)} (latency in ms):`
		);
		console.table([
			...targets.map((t, i) => {
				const f = mixFigures[i]!;
				return {
					search: t.label,
					'req/s': Math.round(f.perSecond),
					p50: ms(f.p50),
					p95: ms(f.p95),
					p99: ms(f.p99),
					max: ms(f.max),
					requests: f.requests,
					'non-200': f.non200,
					'wrong body': f.wrongBody
				};
			}),
			{
				search: 'OVERALL',
				'req/s': Math.round(overall.perSecond),
				p50: ms(overall.p50),
				p95: ms(overall.p95),
				p99: ms(overall.p99),
				max: ms(overall.max),
				requests: overall.requests,
				'non-200': overall.non200,
				'wrong body': overall.wrongBody
			}
		]);
		if (meter)
			console.log(
				`CPU per search in the mix (ms): host ${meter.host.toFixed(2)}, PostgreSQL ${meter.postgres.toFixed(2)}, autocannon ${meter.autocannon.toFixed(2)}, anything else ${meter.other.toFixed(2)}; machine busy ${Math.round(meter.busy * 100)}%`
			);
		const slowestIndex = mixFigures.reduce((best, f, i) => (f.max > mixFigures[best]!.max ? i : best), 0);
		console.log(
			`Target overall p95 under ${TARGET.p95Ms} ms: ${met(overall.p95 < TARGET.p95Ms)} (${ms(overall.p95)} ms)`
		);
		console.log(
			`Target at least ${TARGET.perSecond} searches a second: ${met(overall.perSecond >= TARGET.perSecond)} (${Math.round(overall.perSecond)})`
		);
		console.log(
			`Target no search above ${TARGET.slowestMs} ms: ${met(overall.max <= TARGET.slowestMs)} (slowest response ${ms(overall.max)} ms, ${targets[slowestIndex]!.label})`
		);

		// EXPLAIN (ANALYZE, BUFFERS) of each search's slowest statement, with the host stopped.
		// The slowest search: the one whose slowest statement took longest, run alone.
		const slowestSql = (t: Target) => Math.max(...searchStatements(t.direct.statements).map((s) => s.ms));
		const slowest = targets.reduce(
			(best, t, i) => (slowestSql(t) > slowestSql(targets[best]!) ? i : best),
			0
		);
		const stamp = new Date().toISOString().replace(/[:.]/g, '-');
		const plans: string[] = [];
		for (const [i, t] of targets.entries()) {
			const statement = searchStatements(t.direct.statements).reduce((a, b) => (b.ms > a.ms ? b : a));
			const plan = await explain(client, statement);
			const text = `-- ${t.label}: ${t.path}\n-- parameters: ${JSON.stringify(statement.parameters)}\n${statement.sql}\n\n${plan}\n`;
			plans.push(text);
			if (options.explainAll || i === slowest) {
				console.log(
					`\nEXPLAIN (ANALYZE, BUFFERS) of the slowest statement of ${i === slowest ? 'the slowest search' : 'the search'}, ${t.label} (${t.path}):`
				);
				console.log(text);
			}
		}
		const explainFile = path.join(RESULTS_DIR, `search-explain-${stamp}.txt`);
		writeFileSync(explainFile, plans.join('\n'));
		const file = path.join(RESULTS_DIR, `search-${stamp}.json`);
		writeFileSync(
			file,
			`${JSON.stringify(
				{
					options,
					commit: gitCommit(),
					machine: { cores: os.cpus().length, node: process.version, idle },
					searches: targets.map((t, i) => ({
						search: t.label,
						path: t.path,
						page: t.summary,
						directMs: t.direct.ms,
						alone: aloneFigures[i],
						mixed: mixFigures[i]
					})),
					overall,
					cpu: meter
				},
				null,
				'\t'
			)}\n`
		);
		console.log(
			`Raw results: ${path.relative(process.cwd(), file)}; plans: ${path.relative(process.cwd(), explainFile)}`
		);
		if (hostExit) throw new Error(hostExit);
		const bad =
			overall.non200 +
			overall.wrongBody +
			mixed.result.errors +
			aloneFigures.reduce((n, f, i) => n + f.non200 + f.wrongBody + alone[i]!.result.errors, 0);
		if (bad > 0)
			throw new Error('some responses were not a 200 with the results heading, or failed (see above)');
	} finally {
		await client.end();
		await handle.close();
	}
}

main().catch((error: unknown) => {
	console.error(`Benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
	if (error instanceof Error && error.stack && process.env.DEBUG) console.error(error.stack);
	process.exitCode = 1;
});
