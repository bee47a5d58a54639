/**
 * An exclusive lock on the embedded database's data directory.
 *
 * PGlite is a single in-process database: two processes opening the same directory
 * silently lose data. The lock file is created atomically (written in full under a
 * temporary name, then hard-linked into place, which fails if it exists) and names its
 * owner by pid and process start time, so a lock left by a crash is recognised as
 * stale even when a new process reuses the pid (PID 1 in a container restarts as
 * PID 1). A second lock inside one process is refused by an in-memory registry.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export class DataDirLockedError extends Error {
	constructor(
		readonly dataDir: string,
		readonly pid: number
	) {
		super(
			`Another Muster process is using ${dataDir} (pid ${pid}). Stop it first (Ctrl-C in its terminal, or kill ${pid}), or set DATA_DIR to use another directory`
		);
		this.name = 'DataDirLockedError';
	}
}

export interface DataDirLock {
	readonly file: string;
	release(): void;
}

interface Owner {
	pid: number;
	/** Process start time in clock ticks since boot (Linux), when known. */
	started: string | null;
	token: string;
}

const REGISTRY_KEY = Symbol.for('muster.data-dir-locks');
type GlobalWithLocks = typeof globalThis & { [REGISTRY_KEY]?: Set<string> };
function registry(): Set<string> {
	const g = globalThis as GlobalWithLocks;
	return (g[REGISTRY_KEY] ??= new Set());
}

/** Field 22 of /proc/<pid>/stat: when the process started. Undefined where /proc is absent. */
function startTime(pid: number): string | null {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name (field 2) may contain spaces; count from the closing parenthesis.
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
	} catch {
		return null;
	}
}

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: the process exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function readOwner(file: string): Owner | 'missing' | 'unreadable' {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
	}
	try {
		const owner = JSON.parse(text) as Owner;
		return Number.isInteger(owner.pid) && owner.pid > 0 && typeof owner.token === 'string'
			? owner
			: 'unreadable';
	} catch {
		return 'unreadable';
	}
}

/** The owner is this very process's lock, or a live process that really is the one that wrote it. */
function isLive(owner: Owner): boolean {
	if (owner.pid === process.pid) return false; // ours would be in the registry; this is a previous life
	if (!isRunning(owner.pid)) return false;
	const now = startTime(owner.pid);
	return owner.started === null || now === null || now === owner.started;
}

function ageMs(file: string): number {
	try {
		return Date.now() - fs.statSync(file).mtimeMs;
	} catch {
		return 0;
	}
}

function sleep(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Takes the lock or throws DataDirLockedError naming the running owner.
 * `displayDir` is how the directory is named in messages (as configured, e.g. ./data).
 */
export function lockDataDir(dataDir: string, displayDir = dataDir): DataDirLock {
	const dir = path.resolve(dataDir);
	if (registry().has(dir)) throw new DataDirLockedError(displayDir, process.pid);
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, 'muster.lock');
	const me: Owner = {
		pid: process.pid,
		started: startTime(process.pid),
		token: randomBytes(12).toString('hex')
	};
	const temp = path.join(dir, `.muster.lock.${process.pid}.${me.token}`);
	fs.writeFileSync(temp, JSON.stringify(me), { mode: 0o600 });
	try {
		for (let attempt = 0; attempt < 50; attempt++) {
			try {
				fs.linkSync(temp, file);
				return hold(dir, file, me);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			}
			const owner = readOwner(file);
			if (owner === 'missing') continue;
			if (owner === 'unreadable') {
				// Not written by this code (or damaged): wait briefly, then treat an old one as stale.
				if (ageMs(file) < 10_000) {
					sleep(100);
					continue;
				}
			} else if (isLive(owner)) {
				throw new DataDirLockedError(displayDir, owner.pid);
			}
			takeOverStale(file, owner);
		}
		throw new Error(`Could not lock ${displayDir}: its lock file ${file} keeps changing`);
	} finally {
		fs.rmSync(temp, { force: true });
	}
}

/** Moves a stale lock aside; if what was moved turns out to be someone's fresh lock, puts it back. */
function takeOverStale(file: string, judged: Owner | 'unreadable'): void {
	const aside = `${file}.stale.${randomBytes(6).toString('hex')}`;
	try {
		fs.renameSync(file, aside);
	} catch {
		return; // someone else moved it first: look again
	}
	const moved = readOwner(aside);
	const same =
		judged === 'unreadable'
			? moved === 'unreadable'
			: typeof moved === 'object' && moved.token === judged.token;
	if (same) fs.rmSync(aside, { force: true });
	else fs.renameSync(aside, file);
}

function hold(dir: string, file: string, me: Owner): DataDirLock {
	registry().add(dir);
	let released = false;
	const release = () => {
		if (released) return;
		released = true;
		registry().delete(dir);
		const owner = readOwner(file);
		if (typeof owner === 'object' && owner.token === me.token) fs.rmSync(file, { force: true });
		process.off('exit', release);
	};
	// Even on process.exit() (a failed start, the shutdown deadline) the lock goes with us.
	process.on('exit', release);
	return { file, release };
}
