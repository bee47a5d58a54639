import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../../src/lib/server/db/data-dir-lock.ts';

const dirs: string[] = [];
function tempDir(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-lock-'));
	dirs.push(dir);
	return dir;
}
afterEach(() => {
	for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('lockDataDir', () => {
	it('creates the directory and a lock file holding this pid, removed on release', () => {
		const dir = path.join(tempDir(), 'nested', 'data');
		const lock = lockDataDir(dir);
		expect(fs.readFileSync(lock.file, 'utf8').trim()).toBe(String(process.pid));
		lock.release();
		expect(fs.existsSync(lock.file)).toBe(false);
	});

	it('refuses while another running process holds it, naming the directory and the pid', () => {
		const dir = tempDir();
		// The parent process (vitest's runner) is alive and is not us.
		fs.writeFileSync(path.join(dir, 'muster.lock'), `${process.ppid}\n`);
		expect(() => lockDataDir(dir, './data')).toThrow(DataDirLockedError);
		expect(() => lockDataDir(dir, './data')).toThrow(
			`Another Muster process is using ./data (pid ${process.ppid})`
		);
		// The other process's lock is left alone.
		expect(fs.readFileSync(path.join(dir, 'muster.lock'), 'utf8').trim()).toBe(String(process.ppid));
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
		// pid_max is at most 2^22 on Linux, so this pid cannot be running.
		fs.writeFileSync(path.join(dir, 'muster.lock'), '4194305\n');
		const lock = lockDataDir(dir);
		expect(fs.readFileSync(lock.file, 'utf8').trim()).toBe(String(process.pid));
		lock.release();
	});

	it('takes over an unreadable (empty) lock file', () => {
		const dir = tempDir();
		fs.writeFileSync(path.join(dir, 'muster.lock'), '');
		lockDataDir(dir).release();
	});
});
