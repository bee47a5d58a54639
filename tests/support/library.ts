/** A document added to a group's library through the services, as an upload would add it. */
import { Readable } from 'node:stream';
import type { AppContext } from '../../src/lib/server/context.ts';
import type { SessionUser } from '../../src/lib/server/auth/session.ts';
import { keepUpload } from '../../src/lib/server/library/library.service.ts';
import { detectFileKind } from '../../src/lib/server/library/file-types.ts';
import { cleanFileName } from '../../src/lib/server/library/file-names.ts';

export const SMALL_PDF = Buffer.from(
	'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'
);

export async function storeDocument(
	ctx: AppContext,
	user: SessionUser,
	/** A group's address, or 'site' for the site library. */
	slug: string,
	file: { title: string; name: string; data: Buffer; folderId?: number | null }
): Promise<{ documentId: number; versionId: number }> {
	const received = await ctx.files.storage.receive(Readable.from([file.data]), ctx.config.fileMaxBytes);
	const detected = await detectFileKind(received.tempPath, file.name);
	if (!detected.ok) {
		await ctx.files.storage.discard(received);
		throw new Error(detected.message);
	}
	const { documentId } = await keepUpload(
		ctx,
		user,
		slug === 'site' ? 'site' : { slug },
		{ kind: 'document', title: file.title, description: '', folderId: file.folderId ?? null },
		{ received, kind: detected.kind, name: cleanFileName(file.name, detected.kind) },
		{ ip: '127.0.0.1', userAgent: 'test' }
	);
	const version = await ctx.db
		.selectFrom('documentVersions')
		.select('id')
		.where('documentId', '=', documentId)
		.orderBy('number', 'desc')
		.executeTakeFirstOrThrow();
	return { documentId, versionId: version.id };
}
