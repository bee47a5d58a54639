/**
 * The words of a library file, for search: a background job after the upload (after the virus
 * scan, when there is one: an untrusted file is parsed only once it is known to be clean). PDF
 * with unpdf (PDF.js), Word (.docx) with mammoth, text and CSV as they are; other kinds (pictures,
 * spreadsheets, presentations) are found by their title and description only. A file whose words
 * cannot be read is kept and found the same way; the job does not fail over it.
 */
import type { Readable } from 'node:stream';
import type { JobHandler } from '../jobs/jobs.ts';
import type { Logger } from '../logger.ts';
import type { FileStorage } from './storage.ts';

export const EXTRACT_JOB = 'file.extract';
/** Enough for any document's search vector (PostgreSQL caps one at 1 MB). */
const MAX_TEXT = 200_000;

const READABLE = new Set([
	'application/pdf',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	'text/plain',
	'text/csv'
]);

export function hasReadableText(mediaType: string): boolean {
	return READABLE.has(mediaType);
}

async function bytesOf(stream: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream)
		chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
	return Buffer.concat(chunks);
}

/** The words of a file of this type, or null for a type whose words are not read. */
export async function textOf(data: Buffer, mediaType: string): Promise<string | null> {
	switch (mediaType) {
		case 'text/plain':
		case 'text/csv':
			return data.toString('utf8');
		case 'application/pdf': {
			const { extractText, getDocumentProxy } = await import('unpdf');
			const pdf = await getDocumentProxy(new Uint8Array(data));
			try {
				const { text } = await extractText(pdf, { mergePages: true });
				return Array.isArray(text) ? text.join('\n') : text;
			} finally {
				await pdf.destroy();
			}
		}
		case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
			const mammoth = await import('mammoth');
			return (await mammoth.extractRawText({ buffer: data })).value;
		}
		default:
			return null;
	}
}

/** Text as PostgreSQL keeps it: no NUL characters, and not without end. */
function storable(text: string): string {
	return text.replaceAll('\u0000', ' ').slice(0, MAX_TEXT);
}

export function extractFile(deps: { storage: FileStorage; logger: Logger }): JobHandler {
	return async (trx, payload) => {
		const versionId = Number(payload.versionId);
		if (!Number.isInteger(versionId)) return;
		const version = await trx
			.selectFrom('documentVersions')
			.select(['id', 'documentId', 'number', 'fileSha256', 'mediaType', 'scanStatus'])
			.where('id', '=', versionId)
			.executeTakeFirst();
		if (!version || !hasReadableText(version.mediaType)) return;
		if (version.scanStatus !== 'clean' && version.scanStatus !== 'not_scanned') return;
		let text = '';
		try {
			text = storable(
				(await textOf(await bytesOf(await deps.storage.open(version.fileSha256)), version.mediaType)) ?? ''
			);
		} catch (error) {
			deps.logger.warn(
				{ err: error, versionId },
				'could not read the words of a library file; it is found by its title'
			);
		}
		await trx.updateTable('documentVersions').set({ text }).where('id', '=', versionId).execute();
		// The document's search vector is rebuilt by its trigger on any update.
		await trx
			.updateTable('documents')
			.set((eb) => ({ versionCount: eb.ref('versionCount') }))
			.where('id', '=', version.documentId)
			.where('versionCount', '=', version.number)
			.execute();
	};
}
