/**
 * An exclusive lock on the embedded database's data directory.
 *
 * PGlite is a single in-process database: two processes opening the same directory
 * silently lose data. The lock is a file created with O_EXCL holding the owner's pid;
 * a lock whose owner is no longer running is stale and is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {
	constructor(
		readonly dataDir: string,
		readonly pid: number
	) {
		super(`Another Muster process is using ${dataDir} (pid ${pid})`);
		this.name = 'DataDirLockedError';
	}
}

export interface DataDirLock {
	readonly file: string;
	release(): void;
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

function readOwner(file: string): number | undefined {
	try {
		const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Takes the lock or throws DataDirLockedError naming the running owner.
 * `displayDir` is how the directory is named in messages (as configured, e.g. ./data).
 */
export function lockDataDir(dataDir: string, displayDir = dataDir): DataDirLock {
	fs.mkdirSync(dataDir, { recursive: true });
	const file = path.join(dataDir, 'muster.lock');
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			const fd = fs.openSync(file, 'wx', 0o600);
			fs.writeSync(fd, `${process.pid}\n`);
			fs.closeSync(fd);
			let released = false;
			return {
				file,
				release() {
					if (released) return;
					released = true;
					if (readOwner(file) === process.pid) fs.rmSync(file, { force: true });
				}
			};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const owner = readOwner(file);
			if (owner !== undefined && owner !== process.pid && isRunning(owner)) {
				throw new DataDirLockedError(displayDir, owner);
			}
			if (owner === process.pid) throw new DataDirLockedError(displayDir, owner);
			// Stale: its owner has gone. Remove it and try again.
			fs.rmSync(file, { force: true });
		}
	}
	throw new Error(`Could not lock ${displayDir}: the lock file ${file} keeps reappearing`);
}
