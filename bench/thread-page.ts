/**
 * The thread-page benchmark of issue 5: starts the built host on a free loopback port against
 * DATABASE_URL (seeded by bench/seed.ts), then loads page 1 and a deep page of the 2,000-post
 * thread with autocannon, signed in as the benchmark member, and prints requests per second and
 * p50/p99 latency for each, the deep/page-1 ratio, and whether the issue's targets are met.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/thread-page.ts [--connections 50] [--duration 10]
 *     [--deep-page 100] [--warmup 3]
 *
 * Every response must be a 200 that carries the page's posts; anything else (or a host that
 * does not start) exits non-zero. Missing a target is reported, not an error: this is a
 * benchmark, not a test. Traffic goes to 127.0.0.1 only, for a bounded time, and the host is
 * stopped at the end. The host's own log goes to bench/.results/host.log.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import pg from 'pg';
import { CpuMeter, idleShare, type CpuShares } from './cpu.ts';
import { ensureBuilt, startHost } from './host.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = path.join(ROOT, 'bench', '.results');
const SESSION_FILE = path.join(RESULTS_DIR, 'session.json');
const PER_PAGE = 20;
/** Issue 5: at least 600 req/s with p99 under 150 ms; a deep page at most 20% slower than page 1. */
const TARGET = { requestsPerSecond: 600, p99Ms: 150, deepSlowdown: 1.2 };

interface Options {
	connections: number;
	duration: number;
	deepPage: number;
	warmup: number;
}

const FLAGS: Record<string, keyof Options> = {
	'--connections': 'connections',
	'--duration': 'duration',
	'--deep-page': 'deepPage',
	'--warmup': 'warmup'
};

function parseArgs(argv: string[]): Options {
	const options: Options = { connections: 50, duration: 10, deepPage: 100, warmup: 3 };
	for (let i = 0; i < argv.length; i++) {
		const [flag = '', inline] = (argv[i] ?? '').split('=', 2);
		const key = FLAGS[flag];
		const value = Number(inline ?? argv[++i]);
		if (!key || !Number.isInteger(value) || value < 0) throw new Error(`unexpected argument ${flag}`);
		options[key] = value;
	}
	// Bounded load: at most a minute per run and 200 connections.
	if (options.duration < 1 || options.duration > 60) throw new Error('--duration must be 1–60 seconds');
	if (options.connections < 1 || options.connections > 200) throw new Error('--connections must be 1–200');
	if (options.warmup > 60) throw new Error('--warmup must be at most 60 seconds');
	return options;
}

interface BenchSession {
	cookie: string;
	threadPath: string;
	threadPosts: number;
}

function readSession(): BenchSession {
	if (!existsSync(SESSION_FILE))
		throw new Error(`${path.relative(ROOT, SESSION_FILE)} is missing: run npm run bench:seed first`);
	return JSON.parse(readFileSync(SESSION_FILE, 'utf8')) as BenchSession;
}

/** The anchors of a page's first and last posts (`<span id="post-number-N">`). */
function expectedAnchors(page: number, total: number): { first: string; last: string; count: number } {
	const first = (page - 1) * PER_PAGE + 1;
	const last = Math.min(page * PER_PAGE, total);
	return { first: `id="post-number-${first}"`, last: `id="post-number-${last}"`, count: last - first + 1 };
}

async function checkPage(url: string, cookie: string, page: number, total: number): Promise<number> {
	const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
	const body = await response.text();
	if (response.status !== 200)
		throw new Error(`${url} answered ${response.status} ${response.headers.get('location') ?? ''}`.trim());
	const anchors = expectedAnchors(page, total);
	const shown = body.match(/id="post-number-\d+"/g)?.length ?? 0;
	if (shown !== anchors.count || !body.includes(anchors.first) || !body.includes(anchors.last))
		throw new Error(
			`${url} shows ${shown} posts, expected ${anchors.count} (${anchors.first} … ${anchors.last})`
		);
	return body.length;
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

interface Run {
	name: string;
	result: Result;
	cpu: CpuShares | undefined;
}

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));
	const databaseUrl = process.env.DATABASE_URL;
	if (!databaseUrl) throw new Error('DATABASE_URL is required (the database bench/seed.ts filled)');
	const session = readSession();
	const pages = Math.ceil(session.threadPosts / PER_PAGE);
	if (options.deepPage < 2 || options.deepPage > pages)
		throw new Error(`--deep-page must be between 2 and ${pages}, the thread's last page`);
	ensureBuilt(ROOT);
	mkdirSync(RESULTS_DIR, { recursive: true });

	const db = new pg.Client({ connectionString: databaseUrl });
	await db.connect();
	try {
		const { rows } = await db.query<{ version: string; posts: string }>(
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

		const host = await startHost(ROOT, databaseUrl, path.join(RESULTS_DIR, 'host.log'));
		try {
			// The host's connections to this database, for the CPU shares.
			const postgresPids = async () =>
				(
					await db.query<{ pid: number }>(
						`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`
					)
				).rows.map((r) => r.pid);
			const runs = await measure(host.base, host.process.pid, postgresPids, session, options);
			report(runs, options);
			const bad = runs.filter(({ result: r }) => r.non2xx + r.errors + r.timeouts + r.mismatches > 0);
			if (bad.length > 0) throw new Error("some responses were not a 200 with the page's posts (see above)");
		} finally {
			await host.stop();
		}
	} finally {
		await db.end();
	}
}

async function measure(
	base: string,
	hostPid: number | undefined,
	postgresPids: () => Promise<number[]>,
	session: BenchSession,
	options: Options
): Promise<Run[]> {
	const targets = [1, options.deepPage].map((page) => ({
		name: `page ${page}`,
		page,
		url: `${base}${session.threadPath}?page=${page}`
	}));
	for (const t of targets) {
		const bytes = await checkPage(t.url, session.cookie, t.page, session.threadPosts);
		console.log(`Checked ${t.name}: 200, ${PER_PAGE} posts, ${(bytes / 1024).toFixed(1)} KiB`);
	}
	const load = async (url: string, page: number, duration: number) => {
		const anchors = expectedAnchors(page, session.threadPosts);
		return autocannon({
			url,
			connections: options.connections,
			duration,
			headers: { cookie: session.cookie },
			verifyBody: (body) => body.includes(anchors.first) && body.includes(anchors.last)
		});
	};
	// Let the host finish what autocannon left in flight before the next run (or the stop).
	const settle = () => new Promise((r) => setTimeout(r, 1_000));
	if (options.warmup > 0) {
		console.log(`Warming up for ${options.warmup} s on each page (not counted)…`);
		for (const t of targets) await load(t.url, t.page, options.warmup);
		await settle();
	}
	const runs: Run[] = [];
	for (const t of targets) {
		console.log(`Loading ${t.name}: ${options.connections} connections for ${options.duration} s…`);
		const meter = new CpuMeter(hostPid, postgresPids);
		await meter.begin();
		const result = await load(t.url, t.page, options.duration);
		await settle();
		runs.push({ name: t.name, result, cpu: meter.end(result['2xx'] + result.non2xx) });
	}
	return runs;
}

function report(runs: Run[], options: Options): void {
	const ms = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(2));
	console.log('');
	console.table(
		runs.map(({ name, result: r }) => ({
			page: name,
			'req/s': Math.round(r.requests.average),
			'p50 ms': r.latency.p50,
			'p99 ms': r.latency.p99,
			requests: r['2xx'] + r.non2xx,
			'non-2xx': r.non2xx,
			'errors+timeouts': r.errors + r.timeouts,
			'wrong body': r.mismatches
		}))
	);
	console.log('CPU time per request (ms), on a machine shared by all four:');
	console.table(
		runs.map(({ name, cpu }) => ({
			page: name,
			host: ms(cpu?.host),
			PostgreSQL: ms(cpu?.postgres),
			autocannon: ms(cpu?.autocannon),
			'anything else': ms(cpu?.other),
			'machine busy': cpu ? `${Math.round(cpu.busy * 100)}%` : '-'
		}))
	);
	const [first, deep] = runs.map((x) => x.result);
	if (!first || !deep) return;
	const throughputRatio = first.requests.average / deep.requests.average;
	const p50Ratio = deep.latency.p50 / first.latency.p50;
	console.log(
		`Deep/page-1: ${throughputRatio.toFixed(2)}× the time per request by throughput, ${p50Ratio.toFixed(2)}× the p50 latency`
	);
	const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
	for (const { name, result: r } of runs) {
		const ok = r.requests.average >= TARGET.requestsPerSecond && r.latency.p99 < TARGET.p99Ms;
		console.log(
			`Target ≥ ${TARGET.requestsPerSecond} req/s with p99 < ${TARGET.p99Ms} ms, ${name}: ${verdict(ok)}`
		);
	}
	const slower = Math.max(throughputRatio, p50Ratio);
	console.log(
		`Target deep page at most ${Math.round((TARGET.deepSlowdown - 1) * 100)}% slower than page 1: ${verdict(slower <= TARGET.deepSlowdown)} (deep page ${slower >= 1 ? `${Math.round((slower - 1) * 100)}% slower` : `${Math.round((1 - slower) * 100)}% faster`})`
	);
	const file = path.join(RESULTS_DIR, `thread-page-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
	writeFileSync(
		file,
		`${JSON.stringify({ options, commit: gitCommit(), machine: { cores: os.cpus().length, node: process.version }, runs }, null, '\t')}\n`
	);
	console.log(`Raw results: ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
	console.error(`Benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
});
