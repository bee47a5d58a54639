/**
 * The built host as a real process: start-up failures give one clear line and a
 * non-zero exit; the embedded data directory is locked; SIGTERM closes gracefully.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import WebSocket from 'ws';
import { openDatabase } from '../../src/lib/server/db/database.ts';
import { freePort, spawnHost, waitForReady, type HostProcess } from '../support/spawn-host.ts';
import { signUpOverHttp } from '../support/http-account.ts';
import { startMailSink } from '../support/mail-sink.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { migrations } from '../../migrations/index.ts';

const NAMES = Object.keys(migrations).sort();

const run = promisify(execFile);
// Each test here starts real processes (the embedded database's first start takes seconds).
vi.setConfig({ testTimeout: 120_000 });
const MIGRATE_PATH = path.resolve('dist/server/migrate.js');
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup();
});

function tempDataDir(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-process-'));
	cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
	return path.join(dir, 'data');
}

async function started(env: Record<string, string | undefined>): Promise<HostProcess> {
	const host = await spawnHost({ env });
	cleanups.push(async () => void (await host.stop(2_000)));
	return host;
}

/** A fresh database for one test: a new PostgreSQL database, or a new embedded data directory. */
async function freshDatabaseEnv(
	label: string
): Promise<{ env: Record<string, string | undefined>; db: TestDatabase }> {
	const db = await createTestDatabase(label);
	cleanups.push(() => db.drop());
	return { env: db.url ? { DATABASE_URL: db.url } : { DATA_DIR: tempDataDir() }, db };
}

function expectNoStackTrace(output: string): void {
	expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

describe('start-up failures', () => {
	it('bad configuration: one line per problem, exit 1', async () => {
		const host = await started({ PORT: 'eighty', LOG_LEVEL: 'loud', ORIGIN: 'not a url' });
		expect(await host.exited).toBe(1);
		const output = host.output();
		expect(output).toContain('Muster could not start: the configuration has 3 problem(s).');
		expect(output).toContain('PORT: expected a whole number from 0 to 65535');
		expect(output).toContain('LOG_LEVEL: expected one of');
		expect(output).toContain('ORIGIN: expected the public address with no path');
		expectNoStackTrace(output);
	});

	it('unreachable DATABASE_URL: one line naming the database without its password, exit 1', async () => {
		const host = await started({ DATABASE_URL: 'postgres://muster:secret@127.0.0.1:1/muster_test_nowhere' });
		expect(await host.exited).toBe(1);
		const output = host.output().trim();
		expect(output).toMatch(
			/^Muster could not start: Cannot connect to the database at postgres:\/\/muster:\*\*\*@127\.0\.0\.1:1\/muster_test_nowhere: .*ECONNREFUSED/
		);
		expect(output).not.toContain('secret');
		expect(output.split('\n')).toHaveLength(1);
	});

	it('a failed migration stops the process with the error and exit 1', async () => {
		const { env, db } = await freshDatabaseEnv('badmigration');
		// Something already occupies a table the first migration creates.
		const handle = await openDatabase({ databaseUrl: db.url, dataDir: env.DATA_DIR ?? '' });
		await sql`create table organisations (id integer)`.execute(handle.db);
		await handle.close();

		const host = await started(env);
		expect(await host.exited).toBe(1);
		expect(host.output()).toMatch(
			/Muster could not start: Migration 20261128150000_foundation failed to apply: .*"organisations" already exists/
		);
		expectNoStackTrace(host.output());
	});
});

describe('migrations from the command line', () => {
	it('MIGRATE_ON_START=false leaves the schema alone until npm run migrate applies it', async () => {
		const { env } = await freshDatabaseEnv('cli');
		const migrate = async (direction: string) =>
			run(process.execPath, [MIGRATE_PATH, direction], { env: { PATH: process.env.PATH, ...env } });

		// Applied and reverted from the command line while no host holds the database.
		expect((await migrate('latest')).stdout).toContain(`Applied: ${NAMES.join(', ')}`);
		expect((await migrate('latest')).stdout).toContain('Nothing to do');
		expect((await migrate('down')).stdout).toContain(`Reverted: ${NAMES.at(-1)}`);

		const host = await started({ ...env, MIGRATE_ON_START: 'false' });
		await waitForHealthy(host);
		const pending = await fetch(`http://127.0.0.1:${host.port}/readyz`);
		expect(pending.status).toBe(503);
		expect(await pending.json()).toMatchObject({ reason: expect.stringContaining('1 migration(s) pending') });
		expect(await host.stop()).toBe(0);

		await migrate('latest');
		const ready = await started({ ...env, MIGRATE_ON_START: 'false' });
		await waitForReady(ready);
		expect(await ready.stop()).toBe(0);
	});
});

describe('the administrator command', () => {
	it('creates an administrator with a one-time set-password link, then promotes idempotently', async () => {
		const { env } = await freshDatabaseEnv('admincli');
		const admin = (...args: string[]) =>
			run(process.execPath, [path.resolve('dist/server/admin.js'), ...args], {
				env: { PATH: process.env.PATH, ...env }
			});
		const created = await admin(
			'create-admin',
			'--email',
			'Chief@Kent.Police.uk',
			'--name',
			'Chief Inspector'
		);
		expect(created.stdout).toContain('Created administrator chief@kent.police.uk.');
		expect(created.stdout).toMatch(/http:\/\/localhost:3000\/set-password\/[a-z2-7]{32}/);
		const again = await admin('create-admin', '--email', 'chief@kent.police.uk');
		expect(again.stdout).toContain('chief@kent.police.uk is an administrator.');
		await expect(admin('create-admin', '--email', 'not-an-address')).rejects.toMatchObject({
			code: 1,
			stderr: expect.stringContaining('--email: Enter an e-mail address in the correct format')
		});
		await expect(admin('promote')).rejects.toMatchObject({
			code: 1,
			stderr: expect.stringContaining('usage:')
		});
	});
});

async function waitForHealthy(host: HostProcess): Promise<void> {
	for (let i = 0; i < 600; i++) {
		try {
			if ((await fetch(`http://127.0.0.1:${host.port}/healthz`)).ok) return;
		} catch {
			// not yet listening
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`not healthy:\n${host.output()}`);
}

describe('npm start', () => {
	it('runs in production mode: a secret key made once in the data directory, and no development pages', async () => {
		const dataDir = tempDataDir();
		const start = (port?: number) =>
			spawnHost({
				script: path.resolve('scripts/start.mjs'),
				port,
				env: {
					NODE_ENV: undefined,
					LOG_LEVEL: 'info',
					DATA_DIR: dataDir,
					DATABASE_URL: undefined,
					// Never rebuild under the other test files using the build.
					MUSTER_SKIP_BUILD: '1'
				}
			});
		const first = await start();
		cleanups.push(async () => void (await first.stop(2_000)));
		await waitForReady(first);
		const keyFile = path.join(dataDir, 'secret-key');
		expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
		expect(fs.readFileSync(keyFile, 'utf8').trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
		expect(first.output()).toContain(`created a secret key in ${path.resolve(keyFile)}`);
		// Production logs are JSON lines, for log collectors.
		expect(
			first
				.output()
				.split('\n')
				.find((line) => line.includes('Muster is ready'))
		).toMatch(/^\{"level":30/);

		// The development outbox does not exist: it answers as an address that does not exist,
		// signed out (sent to sign in, like everywhere) and signed in.
		// Pages at ORIGIN itself (another name for the host is sent there first).
		const base = first.url;
		const outbox = await fetch(`${base}/dev/outbox?to=someone%40kent.police.uk`, { redirect: 'manual' });
		const unknown = await fetch(`${base}/no-such/page?to=someone%40kent.police.uk`, { redirect: 'manual' });
		expect(outbox.status).toBe(303);
		expect(outbox.headers.get('location')).toBe(
			'/login?next=%2Fdev%2Foutbox%3Fto%3Dsomeone%2540kent.police.uk'
		);
		expect(unknown.status).toBe(303);
		// The log says which address to open, and why a form from elsewhere was refused.
		expect(first.output()).toContain(`open Muster at http://localhost:${first.port}`);
		const crossSite = await fetch(`${base}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: `http://127.0.0.1:${first.port}`
			},
			body: 'email=a%40kent.police.uk&password=x'
		});
		expect(crossSite.status).toBe(403);
		await vi.waitFor(() =>
			expect(first.output()).toContain(
				`refused a form sent from http://127.0.0.1:${first.port}: Muster's ORIGIN is http://localhost:${first.port}`
			)
		);
		expect(await first.stop()).toBe(0);

		const again = await start(first.port);
		cleanups.push(async () => void (await again.stop(2_000)));
		await waitForReady(again);
		expect(again.output()).not.toContain('created a secret key');
		expect(fs.readFileSync(keyFile, 'utf8').trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
		expect(await again.stop()).toBe(0);
	});
});

describe('operators', () => {
	it('SIGTERM to npm start stops Muster too (no orphan holding the data), and the log stays readable', async () => {
		const dataDir = tempDataDir();
		const port = await freePort();
		const child = spawn('npm', ['start', '--silent'], {
			env: {
				PATH: process.env.PATH,
				HOME: process.env.HOME,
				PORT: String(port),
				HOST: '127.0.0.1',
				DATA_DIR: dataDir,
				LOG_LEVEL: 'info',
				LOG_FORMAT: 'json',
				MUSTER_SKIP_BUILD: '1',
				SETUP_REMINDER_MS: '300'
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
		cleanups.push(() => void child.kill('SIGKILL'));
		await vi.waitFor(async () => expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200), {
			timeout: 60_000,
			interval: 200
		});
		for (let i = 0; i < 5; i++) await fetch(`http://127.0.0.1:${port}/healthz`);
		// The set-up link is said again until someone uses it; health checks are not logged at info.
		await vi.waitFor(
			() => expect(output.match(/Open this one-time link/g)?.length ?? 0).toBeGreaterThanOrEqual(2),
			{
				timeout: 10_000
			}
		);
		expect(output).not.toContain('"url":"/healthz"');
		expect(output).not.toContain('"url":"/readyz"');

		child.kill('SIGTERM');
		expect(await exited).toBe(0);
		expect(output).toContain('closed cleanly');
		// Nothing is left listening or holding the data directory.
		await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
		expect(fs.existsSync(path.join(dataDir, 'muster.lock'))).toBe(false);
	});
});

describe('the embedded database', () => {
	it('is locked against a second process, and SIGTERM closes sockets with 1001 and exits 0', async () => {
		const dataDir = tempDataDir();
		const sink = await startMailSink();
		onTestFinished(() => sink.close());
		const first = await started({ DATA_DIR: dataDir, DATABASE_URL: undefined, SMTP_URL: sink.url });
		await waitForReady(first);
		expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'muster.lock'), 'utf8')).pid).toBe(first.child.pid);

		const second = await started({ DATA_DIR: dataDir, DATABASE_URL: undefined });
		expect(await second.exited).toBe(1);
		expect(second.output()).toContain(
			`Muster could not start: Another Muster process is using ${dataDir} (pid ${first.child.pid})`
		);
		expectNoStackTrace(second.output());
		// The first is unharmed.
		expect((await fetch(`http://127.0.0.1:${first.port}/readyz`)).status).toBe(200);

		const token = await signUpOverHttp(
			`http://127.0.0.1:${first.port}`,
			first.url,
			'socket@kent.police.uk',
			sink
		);
		const socket = new WebSocket(`ws://127.0.0.1:${first.port}/ws`, {
			headers: { origin: first.url, cookie: `muster_session=${token}` }
		});
		await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
		const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

		const stoppedAt = Date.now();
		expect(await first.stop()).toBe(0);
		expect(Date.now() - stoppedAt).toBeLessThan(10_000);
		expect(await closed).toBe(1001);
		expect(fs.existsSync(path.join(dataDir, 'muster.lock'))).toBe(false);

		// The data survives a restart, and the lock is free again.
		const again = await started({ DATA_DIR: dataDir, DATABASE_URL: undefined, LOG_LEVEL: 'info' });
		await waitForReady(again);
		expect(again.output()).toContain(`opening the embedded database in ${dataDir}`);
		expect(again.output()).not.toContain('applied');
		expect(await again.stop()).toBe(0);
	}, 90_000);
});
