/**
 * The clean-up of files nothing refers to any more (a periodic task): stored bytes are kept while
 * any version refers to them, so deleting a document (which can be restored) removes nothing; a
 * file with no reference for a day (its last reference gone, or a crash between keeping the bytes
 * and recording them) is removed with its row, and so are temporary files of uploads cut off by a
 * crash. A day's grace means an upload in progress is never swept from under itself.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { FileStorage } from './storage.ts';

const GRACE_MS = 24 * 60 * 60 * 1000;

export interface CleanupResult {
	rows: number;
	unrecorded: number;
	temporary: number;
}

export async function removeUnreferencedFiles(deps: {
	db: Kysely<Database>;
	storage: FileStorage;
	now: () => Date;
}): Promise<CleanupResult> {
	const { db, storage } = deps;
	const before = new Date(deps.now().getTime() - GRACE_MS);
	const gone = await db
		.deleteFrom('files')
		.where('createdAt', '<', before)
		.where((eb) =>
			eb.not(
				eb.exists(
					eb
						.selectFrom('documentVersions')
						.select('documentVersions.id')
						.whereRef('documentVersions.fileSha256', '=', 'files.sha256')
				)
			)
		)
		.returning('sha256')
		.execute();
	for (const { sha256 } of gone) await removeIfUnrecorded(db, storage, sha256);
	// Bytes kept without a row: an upload that failed after keeping them.
	let unrecorded = 0;
	for await (const stored of storage.list()) {
		if (stored.writtenAt >= before) continue;
		if (await removeIfUnrecorded(db, storage, stored.sha256)) unrecorded += 1;
	}
	const temporary = await storage.sweepTemporary(before);
	return { rows: gone.length, unrecorded, temporary };
}

/** Removes the bytes unless a row for them exists (an identical upload since). */
async function removeIfUnrecorded(
	db: Kysely<Database>,
	storage: FileStorage,
	sha256: string
): Promise<boolean> {
	const row = await db.selectFrom('files').select('sha256').where('sha256', '=', sha256).executeTakeFirst();
	if (row) return false;
	await storage.remove(sha256);
	return true;
}
