/**
 * The built Muster host, for benchmarks: build it if needed, start it on a free loopback port
 * against a given database, wait until it is ready, and stop it.
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { dueDigestRuns } from '../src/lib/server/notifications/email-delivery.ts';

function newest(dir: string): number {
	let latest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
	}
	return latest;
}

/** Builds as `npm start` does: when there is no build, or the sources are newer than it. */
export function ensureBuilt(root: string): void {
	const outputs = ['build/handler.js', 'dist/server/main.js'].map((f) => path.join(root, f));
	const built = outputs.every((f) => existsSync(f));
	if (built) {
		const sources = Math.max(...['src', 'migrations', 'static'].map((d) => newest(path.join(root, d))));
		if (sources <= Math.min(...outputs.map((f) => statSync(f).mtimeMs))) return;
	}
	console.log(built ? 'The sources changed since the last build: building…' : 'No build yet: building…');
	execSync('npm run build', { cwd: root, stdio: 'inherit' });
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() =>
				typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))
			);
		});
	});
}

/** Node's flags for the host, as `npm start` and the Dockerfile give them (the Dockerfile says why). */
export const HOST_NODE_FLAGS = ['--max-semi-space-size=32'];

export interface RunningHost {
	base: string;
	process: ChildProcess;
	stop(): Promise<void>;
}

/**
 * Starts `node dist/server/main.js` on 127.0.0.1 in production mode, logging warnings and
 * errors to `logFile`, and resolves once /readyz answers 200.
 */
export interface HostOptions {
	/** How to run the host (default: this Node on dist/server/main.js), e.g. under a raised ulimit. */
	command?: { file: string; args: string[] };
	/** Told if the host exits before stop() is called. */
	onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

export async function startHost(
	root: string,
	databaseUrl: string,
	logFile: string,
	options: HostOptions = {}
): Promise<RunningHost> {
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const log = openSync(logFile, 'w');
	const { file, args } = options.command ?? {
		file: process.execPath,
		args: [...HOST_NODE_FLAGS, 'dist/server/main.js']
	};
	const child = spawn(file, args, {
		cwd: root,
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
	// Never leave the host running, whatever happens to this process.
	const kill = () => child.kill('SIGKILL');
	process.once('exit', kill);
	let stopping = false;
	child.once('exit', (code, signal) => {
		if (!stopping) options.onUnexpectedExit?.(code, signal);
	});
	const stop = async () => {
		stopping = true;
		process.off('exit', kill);
		if (child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
		await exited;
		clearTimeout(timer);
	};
	try {
		await waitUntilReady(base, child);
		await waitForBackgroundJobs(databaseUrl);
	} catch (error) {
		await stop();
		throw error;
	}
	return { base, process: child, stop };
}

async function waitUntilReady(base: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`the host exited with code ${child.exitCode} (see its log)`);
		try {
			if ((await fetch(`${base}/readyz`)).ok) return;
		} catch {
			// Not listening yet.
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`the host was not ready within ${timeoutMs / 1000} s (see its log)`);
}

/**
 * Waits until the host's background work is done before anything is measured: on a database
 * seeded earlier, the first start of the day runs that day's e-mail summaries for every account
 * (tens of seconds of the host's CPU), which would otherwise be measured as page time.
 */
async function waitForBackgroundJobs(databaseUrl: string, timeoutMs = 300_000): Promise<void> {
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	try {
		const deadline = Date.now() + timeoutMs;
		let told = false;
		for (;;) {
			const due = dueDigestRuns(new Date());
			const { rows } = await client.query<{ started: string; waiting: string }>(
				`select (select count(*) from digest_runs where (cadence, period) in
				           (select * from unnest($1::text[], $2::text[]))) as started,
				        (select count(*) from jobs where done_at is null and run_at <= now()) as waiting`,
				[due.map((r) => r.cadence), due.map((r) => r.period)]
			);
			const row = rows[0];
			if (row && Number(row.started) === due.length && Number(row.waiting) === 0) return;
			if (!told) {
				console.log("Waiting for the host's background jobs (today's e-mail summaries) to finish…");
				told = true;
			}
			if (Date.now() > deadline)
				throw new Error(`the host's background jobs did not finish within ${timeoutMs / 1000} s`);
			await new Promise((r) => setTimeout(r, 500));
		}
	} finally {
		await client.end();
	}
}
