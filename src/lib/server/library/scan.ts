/**
 * The virus scan of a newly stored file, as a background job: until it is done the file is
 * "Scanning" and nobody can download it. Clean files become downloadable; infected ones are
 * quarantined (kept, never served), and the people who uploaded them and the moderators of the
 * groups they were uploaded to are told.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { enqueueJob, type JobHandler } from '../jobs/jobs.ts';
import { EXTRACT_JOB } from './extract.ts';
import { notifyAboutQuarantine } from '../notifications/notify.ts';
import type { FileStorage } from './storage.ts';
import type { Scanner } from './scanner.ts';

async function tellAboutInfection(
	trx: Transaction<Database>,
	version: { documentId: number; uploadedBy: string | null },
	signature: string,
	now: Date
) {
	const document = await trx
		.selectFrom('documents')
		.select(['id', 'title', 'groupId'])
		.where('id', '=', version.documentId)
		.executeTakeFirst();
	if (!document) return;
	await notifyAboutQuarantine(trx, {
		documentId: document.id,
		title: document.title,
		groupId: document.groupId,
		uploadedBy: version.uploadedBy,
		signature,
		now
	});
}

/**
 * Scans one uploaded version. Each upload is scanned on its own, even when identical bytes were
 * scanned before: a verdict shared between uploads would tell one uploader that the same file
 * exists somewhere they may not look. The job's transaction is open while clamd reads the file
 * (seconds for 25 MB); jobs run one at a time on each node, so that is one connection.
 */
export function scanFile(deps: { storage: FileStorage; scanner: Scanner; now: () => Date }): JobHandler {
	return async (trx, payload) => {
		const versionId = Number(payload.versionId);
		if (!Number.isInteger(versionId)) return;
		const version = await trx
			.selectFrom('documentVersions')
			.select(['id', 'documentId', 'fileSha256', 'uploadedBy', 'scanStatus'])
			.where('id', '=', versionId)
			.executeTakeFirst();
		if (!version || version.scanStatus !== 'pending') return;
		const result = await deps.scanner.scan(await deps.storage.open(version.fileSha256));
		const now = deps.now();
		await trx
			.updateTable('documentVersions')
			.set({
				scanStatus: result.clean ? 'clean' : 'infected',
				scanSignature: result.clean ? null : result.signature,
				scannedAt: now
			})
			.where('id', '=', versionId)
			.execute();
		if (!result.clean) await tellAboutInfection(trx, version, result.signature, now);
		// Only a clean file's words are read (its parser sees only what the scan passed).
		else await enqueueJob(trx, EXTRACT_JOB, { versionId });
	};
}
