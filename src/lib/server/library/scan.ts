/**
 * The virus scan of a newly stored file, as a background job: until it is done the file is
 * "Scanning" and nobody can download it. Clean files become downloadable; infected ones are
 * quarantined (kept, never served), and the people who uploaded them and the moderators of the
 * groups they were uploaded to are told.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { JobHandler } from '../jobs/jobs.ts';
import { notifyAboutGroup } from '../notifications/notify.ts';
import type { FileStorage } from './storage.ts';
import type { Scanner } from './scanner.ts';

async function tellAboutInfection(trx: Transaction<Database>, sha256: string, signature: string, now: Date) {
	const uses = await trx
		.selectFrom('documentVersions as v')
		.innerJoin('documents', 'documents.id', 'v.documentId')
		.select(['documents.id', 'documents.title', 'documents.groupId', 'v.uploadedBy'])
		.where('v.fileSha256', '=', sha256)
		.execute();
	for (const use of uses) {
		if (use.groupId === null) continue;
		const moderators = await trx
			.selectFrom('groupMembers')
			.select('userId')
			.where('groupId', '=', use.groupId)
			.where('role', 'in', ['owner', 'moderator'])
			.execute();
		await notifyAboutGroup(trx, {
			kind: 'file_quarantined',
			about: `file_quarantined:${use.id}:${sha256}`,
			groupId: use.groupId,
			actorId: null,
			userIds: [...(use.uploadedBy ? [use.uploadedBy] : []), ...moderators.map((m) => m.userId)],
			data: { documentId: use.id, title: use.title, signature },
			now
		});
	}
}

export function scanFile(deps: { storage: FileStorage; scanner: Scanner; now: () => Date }): JobHandler {
	return async (trx, payload) => {
		const sha256 = String(payload.sha256 ?? '');
		const file = await trx
			.selectFrom('files')
			.select(['sha256', 'scanStatus'])
			.where('sha256', '=', sha256)
			.forUpdate()
			.executeTakeFirst();
		if (!file || file.scanStatus !== 'pending') return;
		const result = await deps.scanner.scan(await deps.storage.open(sha256));
		const now = deps.now();
		await trx
			.updateTable('files')
			.set({
				scanStatus: result.clean ? 'clean' : 'infected',
				scanSignature: result.clean ? null : result.signature,
				scannedAt: now
			})
			.where('sha256', '=', sha256)
			.execute();
		if (!result.clean) await tellAboutInfection(trx, sha256, result.signature, now);
	};
}
