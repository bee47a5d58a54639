import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir, type DataDirLock } from '../../src/lib/server/db/data-dir-lock.ts';

const dirs: string[] = [];
function tempDir(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-lock-'));
	dirs.push(dir);
	return dir;
}
afterEach(() => {
	for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function startTimeOf(pid: number): string {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

/** The lock is now this process's, written fresh (not the old file), with nothing left beside it; release removes it. */
function expectTakenOverAndReleased(dir: string, lock: DataDirLock): void {
	expect(lock.file).toBe(path.join(dir, 'muster.lock'));
	const owner = JSON.parse(fs.readFileSync(lock.file, 'utf8')) as {
		pid: number;
		started: string;
		token: string;
	};
	expect(owner.pid).toBe(process.pid);
	expect(owner.started).toBe(startTimeOf(process.pid));
	expect(owner.token).toMatch(/^[0-9a-f]{24}$/); // ours, not 'someone-else'
	expect(fs.readdirSync(dir)).toEqual(['muster.lock']); // the stale lock moved aside is gone, no temporary file
	lock.release();
	expect(fs.existsSync(lock.file)).toBe(false);
}

function writeLock(dir: string, owner: { pid: number; started: string | null; token?: string }): void {
	fs.writeFileSync(path.join(dir, 'muster.lock'), JSON.stringify({ token: 'someone-else', ...owner }));
}

describe('lockDataDir', () => {
	it('creates the directory and a lock file naming this process, removed on release', () => {
		const dir = path.join(tempDir(), 'nested', 'data');
		const lock = lockDataDir(dir);
		expect(JSON.parse(fs.readFileSync(lock.file, 'utf8'))).toMatchObject({ pid: process.pid });
		expect(fs.readdirSync(dir)).toEqual(['muster.lock']); // no temporary files left behind
		lock.release();
		expect(fs.existsSync(lock.file)).toBe(false);
	});

	it('refuses while another running process holds it, naming the directory and the pid', () => {
		const dir = tempDir();
		// The parent process (vitest's runner) is alive and is not us.
		writeLock(dir, { pid: process.ppid, started: startTimeOf(process.ppid) });
		expect(() => lockDataDir(dir, './data')).toThrow(DataDirLockedError);
		expect(() => lockDataDir(dir, './data')).toThrow(
			`Another Muster process is using ./data (pid ${process.ppid})`
		);
		// The other process's lock is left alone.
		expect(JSON.parse(fs.readFileSync(path.join(dir, 'muster.lock'), 'utf8')).pid).toBe(process.ppid);
	});

	it('refuses a second lock in the same process', () => {
		const dir = tempDir();
		const lock = lockDataDir(dir);
		expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
		lock.release();
		lockDataDir(dir).release();
	});

	it('takes over a stale lock whose process has gone', () => {
		const dir = tempDir();
		const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
		writeLock(dir, { pid: Number(child.stdout.trim()), started: '1' });
		const lock = lockDataDir(dir);
		expect(JSON.parse(fs.readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
		lock.release();
	});

	it('takes over a lock left by an earlier process with the same pid (a restarted container)', () => {
		const dir = tempDir();
		writeLock(dir, { pid: process.pid, started: '1' });
		expectTakenOverAndReleased(dir, lockDataDir(dir));
	});

	it('takes over a lock whose pid now belongs to a different, newer process', () => {
		const dir = tempDir();
		writeLock(dir, { pid: process.ppid, started: 'a-different-start-time' });
		expectTakenOverAndReleased(dir, lockDataDir(dir));
	});

	it('treats a fresh unreadable lock file as held for a moment, and an old one as stale', () => {
		const dir = tempDir();
		const file = path.join(dir, 'muster.lock');
		fs.writeFileSync(file, '');
		const old = new Date(Date.now() - 60_000);
		fs.utimesSync(file, old, old);
		expectTakenOverAndReleased(dir, lockDataDir(dir));

		// One written 9.7 s ago is waited for until it is 10 s old, then taken over.
		fs.writeFileSync(file, 'not json');
		const almost = new Date(Date.now() - 9_700);
		fs.utimesSync(file, almost, almost);
		const started = Date.now();
		const lock = lockDataDir(dir);
		expect(Date.now() - started).toBeGreaterThanOrEqual(250);
		expectTakenOverAndReleased(dir, lock);
	});

	it('is released when the process exits without releasing it', () => {
		const dir = tempDir();
		const script = `import('${path.resolve('src/lib/server/db/data-dir-lock.ts')}').then((m) => { m.lockDataDir(${JSON.stringify(dir)}); process.exit(3); })`;
		const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
		expect(run.status).toBe(3);
		expect(fs.existsSync(path.join(dir, 'muster.lock'))).toBe(false);
	});
});
