/**
 * The thread-page benchmark (issues 5 and 22): starts the built host on a free loopback port
 * against DATABASE_URL (seeded by bench/seed.ts), then loads the static accessibility page, page 1
 * and a deep page of the 2,000-post thread with autocannon, signed in as the benchmark member, and
 * prints requests per second and p50/p99 latency for each, the thread pages' ratios to the static
 * page measured in the same run (so that a slow or fast day does not decide them), the page's
 * weight and the JavaScript it loads, and whether issue 22's targets are met.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/thread-page.ts [--connections 50] [--duration 12] [--rounds 3]
 *     [--deep-page 100] [--warmup 3] [--profile]
 *
 * --profile runs the host under V8's CPU profiler, loads page 1 only, and prints the functions
 * that took most of the host's time (the profile itself is kept in bench/.results/profiles).
 *
 * Every response must be a 200 that carries the page's posts; anything else (or a host that
 * does not start) exits non-zero. Missing a target is reported, not an error: this is a
 * benchmark, not a test. Traffic goes to 127.0.0.1 only, for a bounded time, and the host is
 * stopped at the end. The host's own log goes to bench/.results/host.log.
 */
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import { chromium } from '@playwright/test';
import pg from 'pg';
import { CpuMeter, idleShare, type CpuShares } from './cpu.ts';
import { ensureBuilt, HOST_NODE_FLAGS, startHost } from './host.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = path.join(ROOT, 'bench', '.results');
const SESSION_FILE = path.join(RESULTS_DIR, 'session.json');
const PER_PAGE = 20;
/**
 * Issue 22, as ratios to the static accessibility page in the same run: each thread page at least
 * 0.6× its requests a second with a p99 within 3× of its p99; the page (HTML with its hydration
 * data) at most 40 KB for 20 posts.
 */
const TARGET = { throughputRatio: 0.6, p99Ratio: 3, pageBytes: 40_000 };
const STATIC_PAGE = '/accessibility';

interface Options {
	profile: boolean;
	rounds: number;
	connections: number;
	duration: number;
	deepPage: number;
	warmup: number;
}

const FLAGS: Record<string, Exclude<keyof Options, 'profile'>> = {
	'--connections': 'connections',
	'--duration': 'duration',
	'--deep-page': 'deepPage',
	'--warmup': 'warmup',
	'--rounds': 'rounds'
};

function parseArgs(argv: string[]): Options {
	const options: Options = {
		profile: false,
		rounds: 3,
		connections: 50,
		duration: 12,
		deepPage: 100,
		warmup: 3
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag = '', inline] = (argv[i] ?? '').split('=', 2);
		if (flag === '--profile') {
			options.profile = true;
			continue;
		}
		const key = FLAGS[flag];
		const value = Number(inline ?? argv[++i]);
		if (!key || !Number.isInteger(value) || value < 0) throw new Error(`unexpected argument ${flag}`);
		options[key] = value;
	}
	// Bounded load: at most a minute per run and 200 connections.
	if (options.duration < 1 || options.duration > 60) throw new Error('--duration must be 1–60 seconds');
	if (options.connections < 1 || options.connections > 200) throw new Error('--connections must be 1–200');
	if (options.warmup > 60) throw new Error('--warmup must be at most 60 seconds');
	if (options.rounds < 1 || options.rounds > options.duration)
		throw new Error('--rounds must be 1 to --duration');
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

async function fetchPage(url: string, cookie: string): Promise<string> {
	const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
	const body = await response.text();
	if (response.status !== 200)
		throw new Error(`${url} answered ${response.status} ${response.headers.get('location') ?? ''}`.trim());
	return body;
}

async function checkPage(url: string, cookie: string, page: number, total: number): Promise<string> {
	const body = await fetchPage(url, cookie);
	const anchors = expectedAnchors(page, total);
	const shown = body.match(/id="post-number-\d+"/g)?.length ?? 0;
	if (shown !== anchors.count || !body.includes(anchors.first) || !body.includes(anchors.last))
		throw new Error(
			`${url} shows ${shown} posts, expected ${anchors.count} (${anchors.first} … ${anchors.last})`
		);
	return body;
}

interface Weight {
	files: number;
	bytes: number;
	gzip: number;
}

/**
 * The JavaScript a page loads, as Chromium loads it (entry points, their imports and the page's
 * own modules): files, bytes, and bytes gzipped.
 */
async function scriptWeight(url: string, cookie: string): Promise<Weight> {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
	});
	try {
		const context = await browser.newContext({ extraHTTPHeaders: { cookie } });
		const page = await context.newPage();
		const scripts: Array<Promise<Buffer>> = [];
		page.on('response', (response) => {
			if (response.request().resourceType() === 'script') scripts.push(response.body());
		});
		await page.goto(url, { waitUntil: 'networkidle' });
		const weight: Weight = { files: 0, bytes: 0, gzip: 0 };
		for (const body of await Promise.all(scripts)) {
			weight.files += 1;
			weight.bytes += body.length;
			weight.gzip += gzipSync(body).length;
		}
		return weight;
	} finally {
		await browser.close();
	}
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

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
	/** The page's rounds, and all of them combined (see combine). */
	rounds: Result[];
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

		const profiles = path.join(RESULTS_DIR, 'profiles');
		const host = await startHost(ROOT, databaseUrl, path.join(RESULTS_DIR, 'host.log'), {
			command: options.profile
				? {
						file: process.execPath,
						args: [...HOST_NODE_FLAGS, '--cpu-prof', '--cpu-prof-dir', profiles, 'dist/server/main.js']
					}
				: undefined
		});
		let stopped = false;
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
			if (options.profile) {
				await host.stop();
				stopped = true;
				printProfile(profiles);
			}
			const bad = runs.filter(({ result: r }) => r.non2xx + r.errors + r.timeouts + r.mismatches > 0);
			if (bad.length > 0) throw new Error("some responses were not a 200 with the page's posts (see above)");
		} finally {
			if (!stopped) await host.stop();
		}
	} finally {
		await db.end();
	}
}

interface Target {
	name: string;
	url: string;
	/** The thread page shown, or undefined for the static page. */
	page?: number;
}

async function measure(
	base: string,
	hostPid: number | undefined,
	postgresPids: () => Promise<number[]>,
	session: BenchSession,
	options: Options
): Promise<Run[]> {
	// A profile is of page 1 alone, so that its entries are that page's.
	const targets: Target[] = [
		...(options.profile ? [] : [{ name: 'static page', url: `${base}${STATIC_PAGE}` }]),
		...(options.profile ? [1] : [1, options.deepPage]).map((page) => ({
			name: `page ${page}`,
			page,
			url: `${base}${session.threadPath}?page=${page}`
		}))
	];
	// The static page is checked for its heading; the thread pages for their first and last posts.
	const expected = (t: Target) => {
		if (t.page === undefined) return ['<h1 class="govuk-heading-l">Accessibility'];
		const anchors = expectedAnchors(t.page, session.threadPosts);
		return [anchors.first, anchors.last];
	};
	for (const t of targets) {
		const body =
			t.page === undefined
				? await fetchPage(t.url, session.cookie)
				: await checkPage(t.url, session.cookie, t.page, session.threadPosts);
		if (!expected(t).every((s) => body.includes(s))) throw new Error(`${t.url} is not the expected page`);
		const bytes = Buffer.byteLength(body);
		const verdict =
			t.page === undefined
				? ''
				: ` (target at most ${kb(TARGET.pageBytes)}: ${met(bytes <= TARGET.pageBytes)})`;
		console.log(
			`Checked ${t.name}: 200, ${kb(bytes)} of HTML with its data, ${kb(gzipSync(body).length)} gzipped${verdict}`
		);
		if (t.page === 1) {
			const js = await scriptWeight(t.url, session.cookie);
			console.log(
				`JavaScript the thread page loads: ${js.files} files, ${kb(js.bytes)}, ${kb(js.gzip)} gzipped`
			);
		}
	}
	const load = async (t: Target, duration: number) => {
		const marks = expected(t);
		return autocannon({
			url: t.url,
			connections: options.connections,
			duration,
			headers: { cookie: session.cookie },
			verifyBody: (body) => marks.every((s) => body.includes(s))
		});
	};
	// Let the host finish what autocannon left in flight before the next run (or the stop).
	const settle = () => new Promise((r) => setTimeout(r, 1_000));
	if (options.warmup > 0) {
		console.log(`Warming up for ${options.warmup} s on each page (not counted)…`);
		for (const t of targets) await load(t, options.warmup);
		await settle();
	}
	// The pages take turns, a slice each per round, so that a machine whose speed drifts during the
	// run (other tenants) affects them alike and the ratios compare like with like.
	const slice = Math.max(1, Math.round(options.duration / options.rounds));
	console.log(
		`Loading ${targets.map((t) => t.name).join(', ')} in turn: ${options.connections} connections, ${options.rounds} rounds of ${slice} s each…`
	);
	const rounds: Array<Array<{ result: Result; cpu: CpuShares | undefined }>> = targets.map(() => []);
	for (let round = 0; round < options.rounds; round++) {
		for (const [i, t] of targets.entries()) {
			const meter = new CpuMeter(hostPid, postgresPids);
			await meter.begin();
			const result = await load(t, slice);
			await settle();
			rounds[i]!.push({ result, cpu: meter.end(result['2xx'] + result.non2xx) });
		}
	}
	return targets.map((t, i) => ({ name: t.name, ...combine(rounds[i]!) }));
}

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** One page's rounds as one run: requests a second over all of them, the median round's latency. */
function combine(rounds: Array<{ result: Result; cpu: CpuShares | undefined }>): Omit<Run, 'name'> {
	const sum = (f: (r: Result) => number) => rounds.reduce((total, { result }) => total + f(result), 0);
	const seconds = sum((r) => (r.finish.getTime() - r.start.getTime()) / 1000);
	const requests = sum((r) => r['2xx'] + r.non2xx);
	const cpus = rounds.filter((r) => r.cpu !== undefined);
	const weighted = (k: keyof CpuShares) =>
		cpus.reduce((t, { result: r, cpu }) => t + cpu![k] * (r['2xx'] + r.non2xx), 0) / Math.max(1, requests);
	const first = rounds[0]!.result;
	return {
		rounds: rounds.map((r) => r.result),
		result: {
			...first,
			'2xx': sum((r) => r['2xx']),
			non2xx: sum((r) => r.non2xx),
			errors: sum((r) => r.errors),
			timeouts: sum((r) => r.timeouts),
			mismatches: sum((r) => r.mismatches),
			requests: { ...first.requests, average: requests / seconds },
			latency: {
				...first.latency,
				p50: median(rounds.map((r) => r.result.latency.p50)),
				p99: median(rounds.map((r) => r.result.latency.p99))
			}
		},
		cpu:
			cpus.length === 0
				? undefined
				: {
						host: weighted('host'),
						postgres: weighted('postgres'),
						autocannon: weighted('autocannon'),
						other: weighted('other'),
						busy: median(cpus.map((r) => r.cpu!.busy))
					}
	};
}

interface ProfileNode {
	id: number;
	hitCount?: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
}

/** The host's newest CPU profile, by self time: the 25 functions that took most of it. */
function printProfile(dir: string): void {
	const newest = readdirSync(dir)
		.filter((f) => f.endsWith('.cpuprofile'))
		.map((f) => path.join(dir, f))
		.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
	if (!newest) throw new Error(`no CPU profile was written to ${dir}`);
	const { nodes } = JSON.parse(readFileSync(newest, 'utf8')) as { nodes: ProfileNode[] };
	const self = new Map<string, number>();
	let busy = 0;
	for (const { hitCount = 0, callFrame: f } of nodes) {
		if (f.functionName === '(idle)') continue;
		busy += hitCount;
		const where = f.url
			? ` ${f.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/dist\//, 'dist/')}:${f.lineNumber + 1}`
			: '';
		const key = `${f.functionName || '(anonymous)'}${where}`;
		self.set(key, (self.get(key) ?? 0) + hitCount);
	}
	console.log(
		`\nCPU profile of the host (${path.relative(ROOT, newest)}), self time as a share of busy samples:`
	);
	console.table(
		[...self]
			.sort((a, b) => b[1] - a[1])
			.slice(0, 25)
			.map(([fn, hits]) => ({ function: fn, share: `${((hits / busy) * 100).toFixed(1)}%` }))
	);
}

const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

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
	const [still, first, deep] = runs.map((x) => x.result);
	if (options.profile || !still || !first) return;
	if (deep)
		console.log(
			`Deep/page-1: ${(first.requests.average / deep.requests.average).toFixed(2)}× the time per request by throughput, ${(deep.latency.p50 / first.latency.p50).toFixed(2)}× the p50 latency`
		);
	const stillRounds = runs[0]!.rounds;
	for (const { name, rounds } of runs.slice(1)) {
		// Each round's ratio to the static page's turn beside it; the median round decides.
		const throughput = median(rounds.map((r, i) => r.requests.average / stillRounds[i]!.requests.average));
		const p99 = median(rounds.map((r, i) => r.latency.p99 / stillRounds[i]!.latency.p99));
		const ok = throughput >= TARGET.throughputRatio && p99 <= TARGET.p99Ratio;
		console.log(
			`Target ${name} ≥ ${TARGET.throughputRatio}× the static page's req/s with p99 within ${TARGET.p99Ratio}×: ${met(ok)} (${throughput.toFixed(2)}× the req/s, ${p99.toFixed(2)}× the p99)`
		);
	}
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
