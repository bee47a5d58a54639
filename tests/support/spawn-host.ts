/**
 * Runs the built host (dist/server/main.js) as a real process, the way `npm start`
 * and production do. Used by process-level tests and by the browser tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export const MAIN_PATH = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));

export interface HostProcess {
	child: ChildProcess;
	url: string;
	port: number;
	output(): string;
	/** Resolves with the exit code (or the signal's name). */
	exited: Promise<number | string>;
	/** SIGTERM, then SIGKILL after `graceMs`. */
	stop(graceMs?: number): Promise<number | string>;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

export interface SpawnHostOptions {
	env: Record<string, string | undefined>;
	port?: number;
	/** The script to run instead of the built host (e.g. scripts/start.mjs, as `npm start` does). */
	script?: string;
}

/** Starts the host; does not wait for readiness (see waitForReady). */
export async function spawnHost(options: SpawnHostOptions): Promise<HostProcess> {
	if (!existsSync(MAIN_PATH)) {
		throw new Error(`The host is not built (${MAIN_PATH} is missing): run npm run build before the tests.`);
	}
	const port = options.port ?? (await freePort());
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries({
		PATH: process.env.PATH,
		HOME: process.env.HOME,
		NODE_ENV: 'test',
		LOG_LEVEL: 'warn',
		HOST: '127.0.0.1',
		PORT: String(port),
		...options.env
	})) {
		if (value !== undefined) env[key] = value;
	}
	const child = spawn(process.execPath, [options.script ?? MAIN_PATH], {
		env,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout?.on('data', (chunk) => (output += chunk));
	child.stderr?.on('data', (chunk) => (output += chunk));
	const exited = new Promise<number | string>((resolve) => {
		child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
	});
	const url = env.ORIGIN ?? `http://localhost:${port}`;
	return {
		child,
		url,
		port,
		output: () => output,
		exited,
		async stop(graceMs = 10_000) {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
				const code = await exited;
				clearTimeout(timer);
				return code;
			}
			return exited;
		}
	};
}

/** Polls /readyz until it answers 200, the process exits, or the time runs out. */
export async function waitForReady(host: HostProcess, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let exited = false;
	void host.exited.then(() => (exited = true));
	while (Date.now() < deadline) {
		if (exited) throw new Error(`Muster exited before it was ready:\n${host.output()}`);
		try {
			const res = await fetch(`http://127.0.0.1:${host.port}/readyz`);
			if (res.status === 200) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`Muster was not ready within ${timeoutMs} ms:\n${host.output()}`);
}
