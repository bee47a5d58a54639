/**
 * The thread-page benchmark of issue 5: starts the built host on a free loopback port against
 * DATABASE_URL (seeded by bench/seed.ts), then loads page 1 and a deep page of the 2,000-post
 * thread with autocannon, signed in as the benchmark member, and prints requests per second and
 * p50/p99 latency for each, the deep/page-1 ratio, and whether the targets are met.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/thread-page.ts [--connections 50] [--duration 10]
 *     [--deep-page 100] [--warmup 3]
 *
 * Every response must be a 200 that carries the page's posts; anything else (or a host that
 * does not start) exits non-zero. Missing a target is reported, not an error: this is a
 * benchmark, not a test. Traffic goes to 127.0.0.1 only, for a bounded time, and the host is
 * stopped at the end. The host's own log goes to bench/.results/host.log.
 */
import { execFileSync, execSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import pg from 'pg';

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

function parseArgs(argv: string[]): Options {
	const options: Options = { connections: 50, duration: 10, deepPage: 100, warmup: 3 };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = (argv[i] ?? '').split('=', 2);
		const key = {
			'--connections': 'connections',
			'--duration': 'duration',
			'--deep-page': 'deepPage',
			'--warmup': 'warmup'
		}[flag ?? ''] as keyof Options | undefined;
		const value = Number(inline ?? argv[++i]);
		if (!key || !Number.isInteger(value) || value < 0) throw new Error(`unexpected argument ${argv[i]}`);
		options[key] = value;
	}
	// Bounded load: at most a minute per run and 200 connections.
	if (options.duration < 1 || options.duration > 60) throw new Error('--duration must be 1–60 seconds');
	if (options.connections < 1 || options.connections > 200) throw new Error('--connections must be 1–200');
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

function newest(dir: string): number {
	let latest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
	}
	return latest;
}

/** Builds as `npm start` does: when there is no build, or the sources are newer than it. */
function ensureBuilt(): void {
	const outputs = ['build/handler.js', 'dist/server/main.js'].map((f) => path.join(ROOT, f));
	const built = outputs.every((f) => existsSync(f));
	const sources = built
		? Math.max(...['src', 'migrations', 'static'].map((d) => newest(path.join(ROOT, d))))
		: Infinity;
	if (built && sources <= Math.min(...outputs.map((f) => statSync(f).mtimeMs))) return;
	console.log(built ? 'Sources changed since the last build: building…' : 'No build yet: building…');
	execSync('npm run build', { cwd: ROOT, stdio: 'inherit' });
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
		});
	});
}

async function waitUntilReady(base: string, host: ChildProcess, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (host.exitCode !== null) throw new Error(`the host exited with code ${host.exitCode} (see host.log)`);
		try {
			if ((await fetch(`${base}/readyz`)).ok) return;
		} catch {
			// Not listening yet.
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`the host was not ready within ${timeoutMs / 1000} s (see host.log)`);
}

async function stopHost(host: ChildProcess): Promise<void> {
	if (host.exitCode !== null || host.signalCode !== null) return;
	const exited = new Promise((r) => host.once('exit', r));
	host.kill('SIGTERM');
	const timer = setTimeout(() => host.kill('SIGKILL'), 10_000);
	await exited;
	clearTimeout(timer);
}

/** The post numbers a page must show, as the ids of their anchors. */
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

async function describeDatabase(databaseUrl: string): Promise<string> {
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	try {
		const { rows } = await client.query<{ version: string; posts: string }>(
			`select current_setting('server_version') as version,
				(select reltuples::bigint from pg_class where oid = 'posts'::regclass) as posts`
		);
		return `PostgreSQL ${rows[0]?.version}, about ${Number(rows[0]?.posts).toLocaleString('en-GB')} posts`;
	} finally {
		await client.end();
	}
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

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));
	const databaseUrl = process.env.DATABASE_URL;
	if (!databaseUrl) throw new Error('DATABASE_URL is required (the database bench/seed.ts filled)');
	const session = readSession();
	const pages = Math.ceil(session.threadPosts / PER_PAGE);
	if (options.deepPage < 2 || options.deepPage > pages)
		throw new Error(`--deep-page must be between 2 and ${pages}, the thread's last page`);
	ensureBuilt();

	console.log(
		`Machine: ${os.cpus().length} cores, Node ${process.version}; ${await describeDatabase(databaseUrl)}`
	);
	console.log(`Commit: ${gitCommit()}`);

	mkdirSync(RESULTS_DIR, { recursive: true });
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const log = openSync(path.join(RESULTS_DIR, 'host.log'), 'w');
	const host = spawn(process.execPath, ['dist/server/main.js'], {
		cwd: ROOT,
		stdio: ['ignore', log, log],
		env: {
			...process.env,
			DATABASE_URL: databaseUrl,
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: base,
			NODE_ENV: 'production',
			LOG_LEVEL: 'warn',
			SECRET_KEY: randomBytes(32).toString('base64')
		}
	});
	const kill = () => host.kill('SIGKILL');
	process.once('exit', kill);
	try {
		await waitUntilReady(base, host);
		const targets = [
			{ name: 'page 1', page: 1 },
			{ name: `page ${options.deepPage}`, page: options.deepPage }
		].map((t) => ({ ...t, url: `${base}${session.threadPath}?page=${t.page}` }));
		for (const t of targets) {
			const bytes = await checkPage(t.url, session.cookie, t.page, session.threadPosts);
			console.log(`Checked ${t.name}: 200, ${PER_PAGE} posts, ${(bytes / 1024).toFixed(1)} KiB`);
		}

		const run = (url: string, duration: number, page: number) => {
			const anchors = expectedAnchors(page, session.threadPosts);
			return autocannon({
				url,
				connections: options.connections,
				duration,
				headers: { cookie: session.cookie },
				verifyBody: (body) => body.includes(anchors.first) && body.includes(anchors.last)
			});
		};
		if (options.warmup > 0) {
			console.log(`Warming up for ${options.warmup} s (not counted)…`);
			await run(targets[0]!.url, options.warmup, 1);
		}
		const results: Array<{ name: string; result: Result }> = [];
		for (const t of targets) {
			console.log(`Loading ${t.name}: ${options.connections} connections for ${options.duration} s…`);
			results.push({ name: t.name, result: await run(t.url, options.duration, t.page) });
		}
		report(results, options);
		const bad = results.filter(({ result: r }) => r.non2xx + r.errors + r.timeouts + r.mismatches > 0);
		if (bad.length > 0) throw new Error(`some responses were not a 200 with the page's posts (see above)`);
	} finally {
		await stopHost(host);
		process.off('exit', kill);
	}
}

function report(results: Array<{ name: string; result: Result }>, options: Options): void {
	const rows = results.map(({ name, result: r }) => ({
		page: name,
		'req/s': Math.round(r.requests.average),
		'p50 ms': r.latency.p50,
		'p99 ms': r.latency.p99,
		requests: r['2xx'] + r.non2xx,
		'non-2xx': r.non2xx,
		'errors+timeouts': r.errors + r.timeouts,
		'wrong body': r.mismatches
	}));
	console.log('');
	console.table(rows);
	const [first, deep] = results.map((x) => x.result);
	if (!first || !deep) return;
	const throughputRatio = first.requests.average / deep.requests.average;
	const p50Ratio = deep.latency.p50 / first.latency.p50;
	console.log(
		`Deep/page-1: ${throughputRatio.toFixed(2)}× the time per request by throughput, ${p50Ratio.toFixed(2)}× the p50 latency`
	);
	const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
	for (const { name, result: r } of results) {
		const ok = r.requests.average >= TARGET.requestsPerSecond && r.latency.p99 < TARGET.p99Ms;
		console.log(
			`Target ≥ ${TARGET.requestsPerSecond} req/s with p99 < ${TARGET.p99Ms} ms, ${name}: ${verdict(ok)}`
		);
	}
	const slower = Math.max(throughputRatio, p50Ratio);
	console.log(
		`Target deep page at most ${Math.round((TARGET.deepSlowdown - 1) * 100)}% slower than page 1: ${verdict(slower <= TARGET.deepSlowdown)} (${Math.round((slower - 1) * 100)}% slower)`
	);
	const file = path.join(RESULTS_DIR, `thread-page-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
	writeFileSync(
		file,
		`${JSON.stringify({ options, machine: { cores: os.cpus().length, node: process.version }, results }, null, '\t')}\n`
	);
	console.log(`Raw results: ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
	console.error(`Benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
});
