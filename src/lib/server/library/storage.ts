/**
 * Where file bytes live, behind one small interface: local disk under FILES_DIR (default
 * DATA_DIR/files) for one node, S3-compatible object storage for several. Files are named by
 * the SHA-256 of their bytes, so an identical upload is stored once.
 *
 * An upload is first streamed to a temporary file (hashed and counted on the way, never held
 * in memory), so its type can be detected and limits checked before anything is kept; then it
 * is committed under its hash, or discarded. An interrupted upload leaves nothing behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export class TooLargeError extends Error {
	constructor(readonly limit: number) {
		super(`the file is larger than ${limit} bytes`);
	}
}

/** An upload received in full into a temporary file, not yet kept. */
export interface Received {
	tempPath: string;
	sha256: string;
	size: number;
}

export interface FileStorage {
	/** Streams `source` to a temporary file; refuses (and removes it) past `maxBytes`. */
	receive(source: Readable, maxBytes: number): Promise<Received>;
	/** Keeps a received file under its hash (a no-op when those bytes are already kept). */
	commit(received: Received): Promise<void>;
	/** Forgets a received file. */
	discard(received: Received): Promise<void>;
	/** The bytes of a kept file. */
	open(sha256: string): Promise<Readable>;
	has(sha256: string): Promise<boolean>;
	remove(sha256: string): Promise<void>;
	/** Every kept file, with when it was written (for the clean-up of unreferenced files). */
	list(): AsyncIterable<{ sha256: string; writtenAt: Date }>;
	/** Removes temporary files older than `before` (uploads cut off by a crash). */
	sweepTemporary(before: Date): Promise<number>;
	/** Lets go of the storage (a test's temporary directory is removed). */
	close(): Promise<void>;
}

const SHA256 = /^[0-9a-f]{64}$/;

export function checkedHash(sha256: string): string {
	if (!SHA256.test(sha256)) throw new Error('not a SHA-256 file name');
	return sha256;
}

/** Streams into `tempPath`, hashing and counting; removes the file on any failure. */
export async function receiveInto(source: Readable, tempPath: string, maxBytes: number): Promise<Received> {
	const hash = createHash('sha256');
	let size = 0;
	const count = new Transform({
		transform(chunk: Buffer, _encoding, done) {
			size += chunk.length;
			if (size > maxBytes) return done(new TooLargeError(maxBytes));
			hash.update(chunk);
			done(null, chunk);
		}
	});
	try {
		await pipeline(source, count, createWriteStream(tempPath, { flags: 'wx', mode: 0o600 }));
	} catch (error) {
		await rm(tempPath, { force: true });
		throw error;
	}
	// A stream that was cut short (the browser went away) ends without an error in some cases:
	// the multipart reader marks it truncated, which the caller checks.
	return { tempPath, sha256: hash.digest('hex'), size };
}

/** Removes the files in `dir` written before `before`; how many. */
export async function sweepDirectory(dir: string, before: Date): Promise<number> {
	let removed = 0;
	for (const name of await readdir(dir).catch(() => [] as string[])) {
		const file = path.join(dir, name);
		const info = await stat(file).catch(() => undefined);
		if (info && info.mtime < before) {
			await rm(file, { force: true });
			removed += 1;
		}
	}
	return removed;
}

export function temporaryName(): string {
	return `${Date.now()}-${randomBytes(8).toString('hex')}.part`;
}

export class LocalDiskStorage implements FileStorage {
	readonly #root: string;
	readonly #tmp: string;
	readonly #ownsRoot: boolean;

	constructor(root: string, options: { removeOnClose?: boolean } = {}) {
		this.#root = path.resolve(root);
		this.#tmp = path.join(this.#root, 'tmp');
		this.#ownsRoot = options.removeOnClose ?? false;
	}

	/** The directory the files are kept in. */
	get root(): string {
		return this.#root;
	}

	#pathOf(sha256: string): string {
		const h = checkedHash(sha256);
		return path.join(this.#root, h.slice(0, 2), h.slice(2, 4), h);
	}

	async receive(source: Readable, maxBytes: number): Promise<Received> {
		await mkdir(this.#tmp, { recursive: true, mode: 0o700 });
		return receiveInto(source, path.join(this.#tmp, temporaryName()), maxBytes);
	}

	async commit(received: Received): Promise<void> {
		const target = this.#pathOf(received.sha256);
		// Already kept: the temporary file stays until `discard`, so the caller can commit again
		// should the clean-up remove the kept one at that very moment.
		if (await this.has(received.sha256)) return;
		await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
		await rename(received.tempPath, target);
	}

	async discard(received: Received): Promise<void> {
		await rm(received.tempPath, { force: true });
	}

	async open(sha256: string): Promise<Readable> {
		const file = this.#pathOf(sha256);
		await stat(file);
		return createReadStream(file);
	}

	async has(sha256: string): Promise<boolean> {
		try {
			await stat(this.#pathOf(sha256));
			return true;
		} catch {
			return false;
		}
	}

	async remove(sha256: string): Promise<void> {
		await rm(this.#pathOf(sha256), { force: true });
	}

	async *list(): AsyncIterable<{ sha256: string; writtenAt: Date }> {
		const names = async (dir: string) => {
			try {
				return await readdir(dir);
			} catch {
				return [];
			}
		};
		for (const a of await names(this.#root)) {
			if (!/^[0-9a-f]{2}$/.test(a)) continue;
			for (const b of await names(path.join(this.#root, a))) {
				for (const name of await names(path.join(this.#root, a, b))) {
					if (!SHA256.test(name)) continue;
					const info = await stat(path.join(this.#root, a, b, name)).catch(() => undefined);
					if (info) yield { sha256: name, writtenAt: info.mtime };
				}
			}
		}
	}

	sweepTemporary(before: Date): Promise<number> {
		return sweepDirectory(this.#tmp, before);
	}

	async close(): Promise<void> {
		if (this.#ownsRoot) await rm(this.#root, { recursive: true, force: true });
	}
}
