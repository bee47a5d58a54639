/**
 * Uploads and downloads of library files, served by the host itself rather than by SvelteKit:
 * an upload streams from the request (@fastify/multipart) to storage without being held in
 * memory, and a download streams from storage. The library pages' forms post here (they work
 * without JavaScript); with JavaScript the same forms are sent with a progress bar and the
 * answer is JSON (`Accept: application/json`).
 *
 *   POST /groups/:slug/library/upload              a new document (fields first, then the file)
 *   POST /groups/:slug/library/:document/versions  a new version of a document
 *   GET  /files/:version/:name                     a version's file
 *
 * Every request asks the same policy as the pages (library.service.ts); a file someone may not
 * read is "not found". Files are served with their detected type only, `nosniff`, and a
 * sandboxing Content Security Policy, so none can run as a page of Muster.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { AppContext } from '../../lib/server/context.ts';
import type { SessionUser } from '../../lib/server/auth/session.ts';
import { sessionFromCookieHeader } from '../../lib/server/auth/session-cookie.ts';
import { fullySignedIn } from '../../lib/server/policy/page-access.ts';
import { DomainError, HTTP_STATUS } from '../../lib/server/errors.ts';
import { hasUnstorable } from '../../lib/server/forms.ts';
import {
	checkUpload,
	documentFields,
	type LibraryPlace,
	downloadVersion,
	keepUpload,
	type UploadTarget
} from '../../lib/server/library/library.service.ts';
import { detectFileKind, kindOf } from '../../lib/server/library/file-types.ts';
import { withoutMetadata } from '../../lib/server/library/pictures.ts';
import { cleanFileName, contentDisposition } from '../../lib/server/library/file-names.ts';
import { TooLargeError, type Received } from '../../lib/server/library/storage.ts';
import { problemParams, type UploadProblem } from '../../lib/server/library/upload-problem.ts';

/** Every file response: nothing in it may run, load or frame anything. */
export const FILE_CONTENT_SECURITY_POLICY =
	"default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'";

const SLUG = /^[a-z0-9-]{1,60}$/;
const ID = /^[1-9]\d{0,8}$/;
const FIELD_BYTES = 8 * 1024;

const CROSS_SITE =
	'This form was sent from another website, or from an address for Muster other than its own, so it was not accepted. Nothing was changed.';

function wantsJson(request: FastifyRequest): boolean {
	return /\bapplication\/json\b/i.test(request.headers.accept ?? '');
}

function megabytes(bytes: number): string {
	return `${Math.round(bytes / (1024 * 1024))} MB`;
}

declare module 'fastify' {
	interface FastifyRequest {
		musterLibraryUser?: SessionUser;
	}
}

export const library: FastifyPluginAsync<{ context: AppContext }> = async (app, { context: ctx }) => {
	const maxBytes = ctx.config.fileMaxBytes;
	await app.register(multipart, {
		limits: {
			fields: 10,
			fieldSize: FIELD_BYTES,
			files: 1,
			parts: 12,
			fileSize: maxBytes + 1,
			headerPairs: 100
		}
	});

	async function signedInUser(request: FastifyRequest): Promise<SessionUser | null> {
		const session = await sessionFromCookieHeader(ctx.db, request.headers.cookie, ctx.now());
		if (!session || !fullySignedIn(session) || !session.user.emailVerified) return null;
		return session.user;
	}

	/** Where a refused upload goes back to, with the message and what was typed. */
	function refuse(
		request: FastifyRequest,
		reply: FastifyReply,
		status: number,
		problem: UploadProblem & { code: string },
		formPage: string,
		typed: Record<string, string>
	) {
		if (wantsJson(request))
			return reply
				.code(status)
				.header('cache-control', 'no-store')
				.send({ error: { code: problem.code, field: problem.field, message: problem.message } });
		const params = problemParams(ctx.secrets, problem);
		for (const [key, value] of Object.entries(typed)) if (value) params.set(key, value.slice(0, 2000));
		return reply.code(303).header('location', `${formPage}?${params}`).send();
	}

	async function upload(
		request: FastifyRequest<{ Params: { slug?: string; document?: string } }>,
		reply: FastifyReply
	) {
		const { slug } = request.params;
		const documentId = request.params.document;
		// The site library's forms have no group in their address.
		const place: LibraryPlace = slug === undefined ? 'site' : { slug };
		// Every answer before the body is read closes the connection (see `refuse`).
		reply.header('connection', 'close');
		if ((slug !== undefined && !SLUG.test(slug)) || (documentId !== undefined && !ID.test(documentId)))
			return reply.code(404).type('text/plain; charset=utf-8').send('Page not found');
		if (request.headers.origin !== ctx.config.origin)
			return reply.code(403).type('text/plain; charset=utf-8').send(CROSS_SITE);
		const user = await signedInUser(request);
		const libraryPath = slug === undefined ? '/library' : `/groups/${slug}/library`;
		const formPage = documentId ? `${libraryPath}/${documentId}` : `${libraryPath}/upload`;
		if (!user) {
			if (wantsJson(request))
				return reply.code(401).send({ error: { code: 'unauthorised', message: 'Sign in first.' } });
			return reply
				.code(303)
				.header('location', `/login?next=${encodeURIComponent(formPage)}`)
				.send();
		}
		if (!request.isMultipart())
			return reply
				.code(415)
				.type('text/plain; charset=utf-8')
				.send('Send the form from its page in a web browser.');

		const fields: Record<string, string> = {};
		const typed = () => ({
			title: fields.title ?? '',
			description: fields.description ?? '',
			folder: fields.folder ?? ''
		});
		let received: Received | undefined;
		let fileName = '';
		let target: UploadTarget | undefined;
		try {
			for await (const part of request.parts()) {
				if (part.type === 'field') {
					if (typeof part.value === 'string' && ['title', 'description', 'folder'].includes(part.fieldname))
						fields[part.fieldname] = part.value;
					continue;
				}
				const file = part as MultipartFile;
				if (file.fieldname !== 'file' || received) {
					await drain(file);
					continue;
				}
				const typedText = Object.values(fields).join('');
				if (hasUnstorable(typedText) || hasUnstorable(file.filename))
					throw new DomainError(
						'invalid',
						'The form contains characters that cannot be kept, such as a null character. Remove them and send it again.',
						'title'
					);
				const folder = fields.folder ?? '';
				if (folder !== '' && !ID.test(folder))
					throw new DomainError('invalid', 'Choose a folder from the list.', 'folder');
				target = documentId
					? { kind: 'version', documentId: Number(documentId) }
					: {
							kind: 'document',
							title: fields.title ?? '',
							description: fields.description ?? '',
							folderId: folder === '' ? null : Number(folder)
						};
				// Refused before a byte is kept: a group they may not add to, a document not theirs,
				// a title left out.
				const library = await checkUpload(ctx, user, place, target);
				await documentFields(ctx.db, library.groupId, target);
				if (!file.filename) throw new DomainError('invalid', 'Choose a file to upload.', 'file');
				fileName = file.filename;
				received = await ctx.files.storage.receive(file.file, maxBytes);
				if (file.file.truncated) throw new TooLargeError(maxBytes);
			}
			if (!received || !target) throw new DomainError('invalid', 'Choose a file to upload.', 'file');
			const detected = await detectFileKind(received.tempPath, fileName);
			if (!detected.ok) throw new DomainError('invalid', detected.message, 'file');
			const name = cleanFileName(fileName, detected.kind);
			// A picture keeps its pixels only: no position, camera or owner (pictures.ts).
			if (detected.kind.picture) {
				const original = received;
				received = undefined;
				received = await withoutMetadata(ctx.files.storage, original, detected.kind, maxBytes);
			}
			const kept = received;
			received = undefined;
			const result = await keepUpload(
				ctx,
				user,
				place,
				target,
				{ received: kept, kind: detected.kind, name },
				{
					ip: request.ip,
					userAgent: request.headers['user-agent'] ?? null
				}
			);
			// The whole body was read: the connection may serve the next request.
			reply.removeHeader('connection');
			const location = `${libraryPath}/${result.documentId}?notice=${result.version === 1 ? 'document-added' : 'version-added'}`;
			if (wantsJson(request))
				return reply.code(201).send({ documentId: result.documentId, version: result.version, location });
			return reply.code(303).header('location', location).send();
		} catch (error) {
			if (received) await ctx.files.storage.discard(received);
			const tooLarge =
				error instanceof TooLargeError || (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE';
			if (tooLarge)
				return refuse(
					request,
					reply,
					413,
					{
						code: 'too_large',
						field: 'file',
						message: `The file is larger than ${megabytes(maxBytes)}. Choose a smaller file.`
					},
					formPage,
					typed()
				);
			if (error instanceof DomainError) {
				if (error.code === 'not_found')
					return wantsJson(request)
						? reply.code(404).send({ error: { code: 'not_found', message: error.message } })
						: reply.code(404).type('text/plain; charset=utf-8').send('Page not found');
				const status = HTTP_STATUS[error.code] ?? 400;
				return refuse(
					request,
					reply,
					status,
					{ code: error.code, field: error.field ?? 'file', message: error.message },
					formPage,
					typed()
				);
			}
			// The browser went away, or sent a form that cannot be read: nothing was kept.
			const code = (error as { code?: string }).code ?? '';
			if (
				code.startsWith('FST_') ||
				/multipart|premature|aborted|terminated/i.test(String((error as Error).message))
			) {
				request.log.info({ err: error }, 'an upload ended early; nothing was kept');
				if (reply.raw.destroyed || request.raw.destroyed) return reply;
				return refuse(
					request,
					reply,
					400,
					{
						code: 'invalid',
						field: 'file',
						message: 'The upload did not finish, so nothing was kept. Try again.'
					},
					formPage,
					typed()
				);
			}
			throw error;
		}
	}

	app.post('/groups/:slug/library/upload', upload);
	app.post('/groups/:slug/library/:document/versions', upload);
	app.post('/library/upload', upload);
	app.post('/library/:document/versions', upload);

	// GET only: a HEAD would tell the size and name of a file without the download being audited.
	app.get<{ Params: { version: string; name?: string } }>(
		'/files/:version/:name',
		{ exposeHeadRoute: false },
		download
	);
	app.get<{ Params: { version: string; name?: string } }>(
		'/files/:version',
		{ exposeHeadRoute: false },
		download
	);

	async function download(request: FastifyRequest<{ Params: { version: string } }>, reply: FastifyReply) {
		reply.header('cache-control', 'private, no-store');
		const notFound = () =>
			reply
				.code(404)
				.type('text/plain; charset=utf-8')
				.send('This file does not exist, or you cannot see it.');
		if (!ID.test(request.params.version)) return notFound();
		const user = await signedInUser(request);
		if (!user) {
			const next = request.url.split('?')[0] ?? '/';
			return reply
				.code(303)
				.header('location', `/login?next=${encodeURIComponent(next)}`)
				.send();
		}
		let file;
		try {
			file = await downloadVersion(ctx, user, Number(request.params.version), {
				ip: request.ip,
				userAgent: request.headers['user-agent'] ?? null,
				record: request.method === 'GET'
			});
		} catch (error) {
			if (error instanceof DomainError && error.code === 'not_found') return notFound();
			throw error;
		}
		if (file.scanStatus === 'pending')
			return reply
				.code(409)
				.type('text/plain; charset=utf-8')
				.send('This file is still being checked for viruses. Try again in a minute.');
		if (file.scanStatus === 'infected')
			return reply
				.code(410)
				.type('text/plain; charset=utf-8')
				.send('This file contains a virus and has been quarantined. Nobody can download it.');
		const kind = kindOf(file.mediaType);
		let stream;
		try {
			stream = await ctx.files.storage.open(file.sha256);
		} catch (error) {
			request.log.error({ err: error, sha256: file.sha256 }, 'a library file is missing from storage');
			return reply
				.code(503)
				.type('text/plain; charset=utf-8')
				.send(
					'This file cannot be read at the moment. Try again later; if it keeps happening, tell a Muster administrator.'
				);
		}
		return reply
			.header(
				'content-type',
				file.mediaType.startsWith('text/') ? `${file.mediaType}; charset=utf-8` : file.mediaType
			)
			.header('content-length', String(file.size))
			.header('content-disposition', contentDisposition(file.name, kind?.inline ?? false))
			.header('content-security-policy', FILE_CONTENT_SECURITY_POLICY)
			.header('x-content-type-options', 'nosniff')
			.send(stream);
	}
};

async function drain(file: MultipartFile): Promise<void> {
	for await (const _chunk of file.file) {
		// Discarded: only one file, in the field named "file", is read.
	}
}
