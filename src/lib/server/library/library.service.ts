/**
 * The libraries: each group's, and the site's (`/library`, group_id null). Folders (one level of
 * nesting), documents, and each upload of a document as a version. Every read and write asks the
 * policy through the one door: for a group, `findGroup` (the library is readable exactly when the
 * group's discussions are, `read_library`; members add to it when the group allows,
 * `upload_document`, moderators always; moderators, and an uploader for their own documents,
 * rename, move, delete and restore); for the site, `decideSiteLibrary` (police and partners read;
 * administrators and publishers publish).
 *
 * The bytes are kept by `storage.ts`, named by their SHA-256, and scanned for viruses by a
 * background job (`scan.ts`) before anyone may download them.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database, ScanStatus } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import type { RequestMeta } from '../request-meta.ts';
import { DomainError } from '../errors.ts';
import { inTransaction } from '../db/transaction.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { groupTarget } from '../groups/group.service.ts';
import { decision, findGroup, policyActor, type GroupRow } from '../policy/group.access.ts';
import type { Decision } from '../policy/group.policy.ts';
import { decideSiteLibrary } from '../policy/library.policy.ts';
import { requireAdmin } from '../policy/site.policy.ts';
import { isUuid } from '../ids.ts';
import { enqueueJob } from '../jobs/jobs.ts';
import { kindLabel, type FileKind } from './file-types.ts';
import type { Received } from './storage.ts';
import { EXTRACT_JOB, hasReadableText } from './extract.ts';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 2000;
export const FOLDER_NAME_MAX = 100;
export const REASON_MAX = 500;
export const DOCUMENTS_PER_PAGE = 50;
export const SCAN_JOB = 'file.scan';

export interface Library {
	/** The group whose library it is; null for the site library. */
	group: GroupRow | null;
	groupId: number | null;
	/** Where its pages are. */
	path: string;
	/** May add documents (and new versions of documents they may change). */
	mayUpload: boolean;
	/** Manages the library: a group's moderators (with two-factor), the site's publishers. */
	mayManage: boolean;
	uploadRefusal: Decision;
	manageRefusal: Decision;
	/** Its entries in the audit log are about this. */
	auditTarget: { type: string; id: string; label: string };
	/** Downloads are written to the audit log (restricted and private groups). */
	auditsDownloads: boolean;
	archived: boolean;
}

/** Which library: a group's (by its address) or the site's. */
export type LibraryPlace = { slug: string } | 'site';

export const SITE_LIBRARY_TARGET = { type: 'site_library', id: 'site', label: 'Site library' };

/** The library at `place`, for someone who may read it; otherwise the policy's refusal. */
export async function openLibrary(ctx: AppContext, user: SessionUser, place: LibraryPlace): Promise<Library> {
	if (place === 'site') {
		const row = await ctx.db
			.selectFrom('users')
			.select('libraryPublisher')
			.where('id', '=', user.id)
			.executeTakeFirst();
		const actor = policyActor(user);
		const read = decideSiteLibrary(actor, row?.libraryPublisher ?? false, 'read');
		if (!read.ok) throw new DomainError(read.code, read.message);
		const publish = decideSiteLibrary(actor, row?.libraryPublisher ?? false, 'publish');
		return {
			group: null,
			groupId: null,
			path: '/library',
			mayUpload: publish.ok,
			mayManage: publish.ok,
			uploadRefusal: publish,
			manageRefusal: publish,
			auditTarget: SITE_LIBRARY_TARGET,
			auditsDownloads: false,
			archived: false
		};
	}
	const access = await findGroup(ctx.db, user, place.slug, 'read_library', ctx.now());
	const uploadRefusal = decision(access, 'upload_document');
	const manageRefusal = decision(access, 'manage_library');
	return {
		group: access.group,
		groupId: access.group.id,
		path: `/groups/${access.group.slug}/library`,
		mayUpload: uploadRefusal.ok,
		mayManage: manageRefusal.ok,
		uploadRefusal,
		manageRefusal,
		auditTarget: groupTarget(access.group),
		auditsDownloads: access.group.visibility !== 'open',
		archived: access.group.archivedAt !== null
	};
}

/** `column` is this library's group (or, for the site library, no group). */
function inLibraryOf(groupId: number | null) {
	return (_eb: unknown, column: 'documents.groupId' | 'groupId' | 'f.groupId') =>
		groupId === null
			? sql<boolean>`${sql.ref(column)} is null`
			: sql<boolean>`${sql.ref(column)} = ${groupId}`;
}

/** May this person change this document (rename, move, delete, add a version)? */
function mayChange(library: Library, document: { createdBy: string | null }, user: SessionUser): boolean {
	return library.mayManage || (library.mayUpload && document.createdBy === user.id);
}

// ── Reading ─────────────────────────────────────────────────────────────────────────────

export interface FolderItem {
	id: number;
	name: string;
	parentId: number | null;
	documents: number;
}

export interface DocumentItem {
	id: number;
	title: string;
	description: string;
	folderId: number | null;
	version: number;
	versionId: number;
	fileName: string;
	mediaType: string;
	label: string;
	size: number;
	scanStatus: ScanStatus;
	updatedAt: Date;
	uploaderName: string | null;
	deletedAt: Date | null;
}

export type LibrarySort = 'name' | 'date';

function documentsQuery(db: Kysely<Database>) {
	return db
		.selectFrom('documents')
		.innerJoin('documentVersions as v', (join) =>
			join.onRef('v.documentId', '=', 'documents.id').onRef('v.number', '=', 'documents.versionCount')
		)
		.leftJoin('users as uploader', 'uploader.id', 'v.uploadedBy')
		.select([
			'documents.id',
			'documents.title',
			'documents.description',
			'documents.folderId',
			'documents.versionCount as version',
			'documents.createdBy',
			'documents.deletedAt',
			'v.id as versionId',
			'v.originalName as fileName',
			'v.mediaType',
			'v.size',
			'v.createdAt as updatedAt',
			'v.scanStatus',
			'uploader.displayName as uploaderName'
		]);
}

type DocumentRow = Awaited<ReturnType<ReturnType<typeof documentsQuery>['executeTakeFirstOrThrow']>>;

function documentItem(row: DocumentRow): DocumentItem {
	return {
		id: row.id,
		title: row.title,
		description: row.description,
		folderId: row.folderId,
		version: row.version,
		versionId: row.versionId,
		fileName: row.fileName,
		mediaType: row.mediaType,
		label: kindLabel(row.mediaType),
		size: Number(row.size),
		scanStatus: row.scanStatus,
		updatedAt: row.updatedAt,
		uploaderName: row.uploaderName,
		deletedAt: row.deletedAt
	};
}

async function folderIn(
	db: Kysely<Database>,
	groupId: number | null,
	folderId: number
): Promise<{ id: number; name: string; parentId: number | null } | undefined> {
	return db
		.selectFrom('libraryFolders')
		.select(['id', 'name', 'parentId'])
		.where('id', '=', folderId)
		.where((eb) => inLibraryOf(groupId)(eb, 'groupId'))
		.where('deletedAt', 'is', null)
		.executeTakeFirst();
}

export interface LibraryPage {
	library: Library;
	folder: { id: number; name: string; parentId: number | null; parentName: string | null } | null;
	folders: FolderItem[];
	documents: DocumentItem[];
	/** Deleted documents in this place (moderators only), to restore. */
	deleted: DocumentItem[];
	/** Folders a document may be put in (for the upload form and "move"). */
	places: Array<{ id: number; name: string }>;
	page: number;
	pages: number;
	total: number;
}

export async function listLibrary(
	ctx: AppContext,
	user: SessionUser,
	place: LibraryPlace,
	options: { folderId?: number; sort: LibrarySort; page: number }
): Promise<LibraryPage> {
	const library = await openLibrary(ctx, user, place);
	const groupId = library.groupId;
	let folder: LibraryPage['folder'] = null;
	if (options.folderId !== undefined) {
		const found = await folderIn(ctx.db, groupId, options.folderId);
		if (!found) throw new DomainError('not_found', 'This folder does not exist, or it was deleted.');
		const parent = found.parentId ? await folderIn(ctx.db, groupId, found.parentId) : undefined;
		folder = { ...found, parentName: parent?.name ?? null };
	}
	const folderId = folder?.id ?? null;
	const folders = await ctx.db
		.selectFrom('libraryFolders as f')
		.select((eb) => [
			'f.id',
			'f.name',
			'f.parentId',
			eb
				.selectFrom('documents')
				.select((c) => c.fn.countAll<number>().as('n'))
				.whereRef('documents.folderId', '=', 'f.id')
				.where('documents.deletedAt', 'is', null)
				.as('documents')
		])
		.where((eb) => inLibraryOf(groupId)(eb, 'f.groupId'))
		.where('f.deletedAt', 'is', null)
		.where((eb) => (folderId === null ? eb('f.parentId', 'is', null) : eb('f.parentId', '=', folderId)))
		.orderBy(sql`lower(f.name)`)
		.orderBy('f.id')
		.execute();
	const inPlace = (deleted: boolean) =>
		documentsQuery(ctx.db)
			.where((eb) => inLibraryOf(groupId)(eb, 'documents.groupId'))
			.where((eb) =>
				folderId === null ? eb('documents.folderId', 'is', null) : eb('documents.folderId', '=', folderId)
			)
			.where('documents.deletedAt', deleted ? 'is not' : 'is', null);
	const { total } = await ctx.db
		.selectFrom('documents')
		.select((eb) => eb.fn.countAll<number>().as('total'))
		.where((eb) => inLibraryOf(groupId)(eb, 'groupId'))
		.where((eb) => (folderId === null ? eb('folderId', 'is', null) : eb('folderId', '=', folderId)))
		.where('deletedAt', 'is', null)
		.executeTakeFirstOrThrow();
	const pages = Math.max(1, Math.ceil(Number(total) / DOCUMENTS_PER_PAGE));
	const page = Math.min(Math.max(1, options.page), pages);
	const sorted =
		options.sort === 'date'
			? inPlace(false).orderBy('v.createdAt', 'desc').orderBy('documents.id', 'desc')
			: inPlace(false)
					.orderBy(sql`lower(documents.title)`)
					.orderBy('documents.id');
	const documents = (
		await sorted
			.limit(DOCUMENTS_PER_PAGE)
			.offset((page - 1) * DOCUMENTS_PER_PAGE)
			.execute()
	).map(documentItem);
	const deleted = library.mayManage
		? (await inPlace(true).orderBy('documents.deletedAt', 'desc').limit(50).execute()).map(documentItem)
		: [];
	return {
		library,
		folder,
		folders: folders.map((f) => ({ ...f, documents: Number(f.documents ?? 0) })),
		documents,
		deleted,
		places: await placesIn(ctx.db, groupId),
		page,
		pages,
		total: Number(total)
	};
}

/** Every folder of the group, for a form's list of places. */
export function listFolders(ctx: AppContext, groupId: number | null) {
	return placesIn(ctx.db, groupId);
}

/** Every folder of the group, subfolders after their parent ("Parent / Child"). */
async function placesIn(
	db: Kysely<Database>,
	groupId: number | null
): Promise<Array<{ id: number; name: string }>> {
	const rows = await db
		.selectFrom('libraryFolders')
		.select(['id', 'name', 'parentId'])
		.where((eb) => inLibraryOf(groupId)(eb, 'groupId'))
		.where('deletedAt', 'is', null)
		.orderBy(sql`lower(name)`)
		.execute();
	const top = rows.filter((r) => r.parentId === null);
	return top.flatMap((parent) => [
		{ id: parent.id, name: parent.name },
		...rows
			.filter((r) => r.parentId === parent.id)
			.map((child) => ({ id: child.id, name: `${parent.name} / ${child.name}` }))
	]);
}

export interface VersionItem {
	id: number;
	number: number;
	fileName: string;
	label: string;
	size: number;
	scanStatus: ScanStatus;
	uploaderName: string | null;
	createdAt: Date;
}

export interface DocumentPage {
	library: Library;
	document: DocumentItem & { folderName: string | null; createdBy: string | null };
	versions: VersionItem[];
	mayChange: boolean;
	places: Array<{ id: number; name: string }>;
}

/** A document with its versions, newest first. Deleted documents only for moderators. */
export async function openDocument(
	ctx: AppContext,
	user: SessionUser,
	place: LibraryPlace,
	documentId: number
): Promise<DocumentPage> {
	const library = await openLibrary(ctx, user, place);
	const row = await documentsQuery(ctx.db)
		.leftJoin('libraryFolders as folder', 'folder.id', 'documents.folderId')
		.select('folder.name as folderName')
		.where('documents.id', '=', documentId)
		.where((eb) => inLibraryOf(library.groupId)(eb, 'documents.groupId'))
		.executeTakeFirst();
	if (!row || (row.deletedAt && !library.mayManage))
		throw new DomainError('not_found', 'This document does not exist, or it was deleted.');
	const versions = await ctx.db
		.selectFrom('documentVersions as v')
		.leftJoin('users', 'users.id', 'v.uploadedBy')
		.select([
			'v.id',
			'v.number',
			'v.originalName as fileName',
			'v.mediaType',
			'v.size',
			'v.createdAt',
			'v.scanStatus',
			'users.displayName as uploaderName'
		])
		.where('v.documentId', '=', documentId)
		.orderBy('v.number', 'desc')
		.execute();
	return {
		library,
		document: { ...documentItem(row), folderName: row.folderName, createdBy: row.createdBy },
		versions: versions.map((v) => ({
			id: v.id,
			number: v.number,
			fileName: v.fileName,
			label: kindLabel(v.mediaType),
			size: Number(v.size),
			scanStatus: v.scanStatus,
			uploaderName: v.uploaderName,
			createdAt: v.createdAt
		})),
		mayChange: !row.deletedAt && mayChange(library, row, user),
		places: await placesIn(ctx.db, library.groupId)
	};
}

// ── Writing ─────────────────────────────────────────────────────────────────────────────

function text(value: string, field: string, max: number, required: string | null): string {
	const trimmed = value.replace(/\r\n?/g, '\n').trim();
	if (required && trimmed === '') throw new DomainError('invalid', required, field);
	if (trimmed.length > max)
		throw new DomainError('invalid', `Keep this to ${max} characters or fewer.`, field);
	return trimmed;
}

async function placeFor(
	db: Kysely<Database>,
	groupId: number | null,
	folderId: number | null
): Promise<number | null> {
	if (folderId === null) return null;
	const folder = await folderIn(db, groupId, folderId);
	if (!folder) throw new DomainError('invalid', 'Choose a folder from the list.', 'folder');
	return folder.id;
}

export async function createFolder(
	ctx: AppContext,
	user: SessionUser,
	place: LibraryPlace,
	input: { name: string; parentId: number | null },
	meta: RequestMeta
): Promise<number> {
	const library = await openLibrary(ctx, user, place);
	if (!library.mayManage) {
		const refusal = library.manageRefusal;
		if (!refusal.ok && refusal.code === 'two_factor') throw new DomainError('two_factor', refusal.message);
		throw new DomainError(
			'forbidden',
			library.group ? 'Only the group’s moderators can add folders.' : 'Only publishers can add folders.'
		);
	}
	const name = text(input.name, 'name', FOLDER_NAME_MAX, 'Enter a name for the folder.');
	const groupId = library.groupId;
	return inTransaction(ctx.db, async (trx) => {
		if (input.parentId !== null) {
			const parent = await folderIn(trx, groupId, input.parentId);
			if (!parent) throw new DomainError('invalid', 'Choose a folder from the list.', 'parent');
			if (parent.parentId !== null)
				throw new DomainError('invalid', 'A folder can hold folders only one level deep.', 'parent');
		}
		const same = await trx
			.selectFrom('libraryFolders')
			.select('id')
			.where((eb) => inLibraryOf(groupId)(eb, 'groupId'))
			.where((eb) =>
				input.parentId === null ? eb('parentId', 'is', null) : eb('parentId', '=', input.parentId)
			)
			.where(sql`lower(name)`, '=', name.toLowerCase())
			.where('deletedAt', 'is', null)
			.executeTakeFirst();
		if (same) throw new DomainError('conflict', 'There is already a folder with this name here.', 'name');
		const { id } = await trx
			.insertInto('libraryFolders')
			.values({ groupId, parentId: input.parentId, name, createdBy: user.id })
			.returning('id')
			.executeTakeFirstOrThrow();
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: 'library.folder_created',
			target: library.auditTarget,
			details: { folder: name },
			ipAddress: meta.ip
		});
		return id;
	});
}

/** What an upload is for: a new document, or a new version of one. */
export type UploadTarget =
	| { kind: 'document'; title: string; description: string; folderId: number | null }
	| { kind: 'version'; documentId: number };

/**
 * Checks, before any byte is received, that this person may upload here (so a refused upload
 * is refused at once, not after 25 MB). Asked again when the upload is kept.
 */
export async function checkUpload(
	ctx: AppContext,
	user: SessionUser,
	place: LibraryPlace,
	target: UploadTarget
): Promise<Library> {
	const library = await openLibrary(ctx, user, place);
	const refusal = library.uploadRefusal;
	if (!refusal.ok) throw new DomainError(refusal.code, refusal.message);
	if (target.kind === 'version') {
		const document = await ctx.db
			.selectFrom('documents')
			.select(['id', 'createdBy', 'deletedAt'])
			.where('id', '=', target.documentId)
			.where((eb) => inLibraryOf(library.groupId)(eb, 'groupId'))
			.executeTakeFirst();
		if (!document || document.deletedAt)
			throw new DomainError('not_found', 'This document does not exist, or it was deleted.');
		if (!mayChange(library, document, user))
			throw new DomainError(
				'forbidden',
				'Only the person who added this document, or a moderator, can upload a new version.'
			);
	}
	return library;
}

/** A new document's title, description and folder, checked (before the file is received, too). */
export async function documentFields(
	db: Kysely<Database>,
	groupId: number | null,
	target: UploadTarget
): Promise<{ title: string; description: string; folderId: number | null } | undefined> {
	if (target.kind !== 'document') return undefined;
	return {
		title: text(target.title, 'title', TITLE_MAX, 'Enter a title for the document.'),
		description: text(target.description, 'description', DESCRIPTION_MAX, null),
		folderId: await placeFor(db, groupId, target.folderId)
	};
}

export interface UploadedFile {
	received: Received;
	kind: FileKind;
	/** The cleaned name (file-names.ts). */
	name: string;
}

/** How much this person has uploaded in all (every version they uploaded), in bytes. */
async function usedBytes(db: Kysely<Database>, userId: string): Promise<number> {
	const row = await db
		.selectFrom('documentVersions')
		.select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), sql<number>`0`).as('used'))
		.where('uploadedBy', '=', userId)
		.executeTakeFirstOrThrow();
	return Number(row.used);
}

function megabytes(bytes: number): string {
	const mb = bytes / (1024 * 1024);
	return `${mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`;
}

/** Records the stored bytes (once per content). */
async function recordFile(trx: Transaction<Database>, file: UploadedFile): Promise<void> {
	await trx
		.insertInto('files')
		.values({ sha256: file.received.sha256, size: file.received.size, mediaType: file.kind.mediaType })
		.onConflict((oc) => oc.column('sha256').doNothing())
		.execute();
}

/**
 * Keeps an upload: checks the policy again and the person's quota, keeps the bytes, and
 * records the document (or its new version), all or nothing. Returns the document's id.
 */
export async function keepUpload(
	ctx: AppContext,
	user: SessionUser,
	place: LibraryPlace,
	target: UploadTarget,
	file: UploadedFile,
	meta: RequestMeta
): Promise<{ documentId: number; version: number }> {
	const storage = ctx.files.storage;
	try {
		const library = await checkUpload(ctx, user, place, target);
		const groupId = library.groupId;
		const fields = await documentFields(ctx.db, groupId, target);
		// The bytes are kept first: a failure after this leaves an unreferenced file, which the
		// clean-up removes (cleanup.ts); the other order could leave a document without its bytes.
		await storage.commit(file.received);
		const kept = await inTransaction(ctx.db, async (trx) => {
			// One upload at a time per person, so two at once cannot both fit the allowance.
			await trx.selectFrom('users').select('id').where('id', '=', user.id).forUpdate().executeTakeFirst();
			const quota = ctx.config.fileQuotaBytes;
			const used = await usedBytes(trx, user.id);
			if (used + file.received.size > quota)
				throw new DomainError(
					'invalid',
					`This file would take you over your upload allowance of ${megabytes(quota)}: you have uploaded ${megabytes(used)}, counting earlier versions and deleted documents (which can be restored). Ask a Muster administrator if you need more.`,
					'file'
				);
			await recordFile(trx, file);
			let documentId: number;
			let version: number;
			if (fields) {
				const created = await trx
					.insertInto('documents')
					.values({
						groupId,
						folderId: fields.folderId,
						title: fields.title,
						description: fields.description,
						createdBy: user.id,
						versionCount: 1,
						updatedAt: ctx.now()
					})
					.returning('id')
					.executeTakeFirstOrThrow();
				documentId = created.id;
				version = 1;
			} else {
				const documentIdOf = (target as { documentId: number }).documentId;
				const updated = await trx
					.updateTable('documents')
					.set((eb) => ({ versionCount: eb('versionCount', '+', 1), updatedAt: ctx.now() }))
					.where('id', '=', documentIdOf)
					.where((eb) => inLibraryOf(groupId)(eb, 'groupId'))
					.where('deletedAt', 'is', null)
					.returning(['id', 'versionCount'])
					.executeTakeFirst();
				if (!updated) throw new DomainError('not_found', 'This document does not exist, or it was deleted.');
				documentId = updated.id;
				version = updated.versionCount;
			}
			await trx
				.insertInto('documentVersions')
				.values({
					documentId,
					number: version,
					fileSha256: file.received.sha256,
					originalName: file.name,
					mediaType: file.kind.mediaType,
					size: file.received.size,
					uploadedBy: user.id,
					createdAt: ctx.now(),
					scanStatus: ctx.files.scanning ? 'pending' : 'not_scanned'
				})
				.returning('id')
				.executeTakeFirstOrThrow()
				.then(async ({ id }) => {
					// Scanned first when scanning is on; its words are read after (extract.ts).
					if (ctx.files.scanning) await enqueueJob(trx, SCAN_JOB, { versionId: id });
					else if (hasReadableText(file.kind.mediaType))
						await enqueueJob(trx, EXTRACT_JOB, { versionId: id });
				});
			await appendAudit(trx, {
				actor: { id: user.id, label: user.email },
				action: version === 1 ? 'library.document_added' : 'library.version_added',
				target: library.auditTarget,
				details: { document: documentId, file: file.name, version, size: file.received.size },
				ipAddress: meta.ip
			});
			return { documentId, version };
		});
		// Should the nightly clean-up have removed identical, unreferenced bytes meanwhile.
		if (!(await storage.has(file.received.sha256))) await storage.commit(file.received);
		return kept;
	} finally {
		// Whatever happened, nothing is left in the temporary area.
		await storage.discard(file.received);
		ctx.jobs.kick();
	}
}

export async function editDocument(
	ctx: AppContext,
	user: SessionUser,
	place: LibraryPlace,
	documentId: number,
	input: { title: string; description: string; folderId: number | null },
	meta: RequestMeta
): Promise<void> {
	const page = await openDocument(ctx, user, place, documentId);
	if (!page.mayChange)
		throw new DomainError(
			'forbidden',
			'Only the person who added this document, or a moderator, can change it.'
		);
	const title = text(input.title, 'title', TITLE_MAX, 'Enter a title for the document.');
	const description = text(input.description, 'description', DESCRIPTION_MAX, null);
	const groupId = page.library.groupId;
	const folderId = await placeFor(ctx.db, groupId, input.folderId);
	await inTransaction(ctx.db, async (trx) => {
		await trx
			.updateTable('documents')
			.set({ title, description, folderId })
			.where('id', '=', documentId)
			.where('deletedAt', 'is', null)
			.execute();
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: 'library.document_changed',
			target: page.library.auditTarget,
			details: {
				document: documentId,
				title,
				...(title !== page.document.title ? { previousTitle: page.document.title } : {}),
				folder: folderId
			},
			ipAddress: meta.ip
		});
	});
}

/** Deletes (or restores) a document; a moderator deleting someone else's gives a reason. */
export async function setDocumentDeleted(
	ctx: AppContext,
	user: SessionUser,
	place: LibraryPlace,
	documentId: number,
	input: { deleted: boolean; reason: string },
	meta: RequestMeta
): Promise<void> {
	const page = await openDocument(ctx, user, place, documentId);
	const { library, document } = page;
	const own = document.createdBy === user.id;
	if (input.deleted ? !page.mayChange : !library.mayManage)
		throw new DomainError(
			'forbidden',
			input.deleted
				? 'Only the person who added this document, or a moderator, can delete it.'
				: 'Only the group’s moderators can restore a document.'
		);
	if (input.deleted === (document.deletedAt !== null))
		throw new DomainError(
			'conflict',
			input.deleted ? 'This document is already deleted.' : 'This document is not deleted.'
		);
	const reason = text(
		input.reason,
		'reason',
		REASON_MAX,
		own && input.deleted ? null : 'Give a reason: it is kept in the group’s audit log.'
	);
	await inTransaction(ctx.db, async (trx) => {
		await trx
			.updateTable('documents')
			.set(
				input.deleted ? { deletedAt: ctx.now(), deletedBy: user.id } : { deletedAt: null, deletedBy: null }
			)
			.where('id', '=', documentId)
			.execute();
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: input.deleted ? 'library.document_deleted' : 'library.document_restored',
			target: library.auditTarget,
			details: { document: documentId, title: document.title, reason },
			ipAddress: meta.ip
		});
	});
}

// ── Downloading ─────────────────────────────────────────────────────────────────────────

export interface Download {
	sha256: string;
	name: string;
	mediaType: string;
	size: number;
	scanStatus: ScanStatus;
}

/**
 * A version's file, for someone who may read the document (moderators also read deleted
 * documents); otherwise "not found". Downloads from restricted and private groups are
 * written to the audit log.
 */
export async function downloadVersion(
	ctx: AppContext,
	user: SessionUser,
	versionId: number,
	meta: RequestMeta & { record: boolean }
): Promise<Download> {
	const row = await ctx.db
		.selectFrom('documentVersions as v')
		.innerJoin('documents', 'documents.id', 'v.documentId')
		.leftJoin('groups', 'groups.id', 'documents.groupId')
		.select([
			'groups.slug',
			'documents.id as documentId',
			'documents.title',
			'documents.deletedAt',
			'v.number',
			'v.originalName',
			'v.mediaType',
			'v.size',
			'v.fileSha256 as sha256',
			'v.scanStatus'
		])
		.where('v.id', '=', versionId)
		.executeTakeFirst();
	const notFound = new DomainError('not_found', 'This file does not exist, or you cannot see it.');
	if (!row) throw notFound;
	let library: Library;
	try {
		library = await openLibrary(ctx, user, row.slug === null ? 'site' : { slug: row.slug });
	} catch (error) {
		if (error instanceof DomainError) throw notFound;
		throw error;
	}
	if (row.deletedAt && !library.mayManage) throw notFound;
	const download = {
		sha256: row.sha256,
		name: row.originalName,
		mediaType: row.mediaType,
		size: Number(row.size),
		scanStatus: row.scanStatus
	};
	if (row.scanStatus === 'clean' || row.scanStatus === 'not_scanned') {
		if (meta.record && library.auditsDownloads)
			await appendAudit(ctx.db, {
				actor: { id: user.id, label: user.email },
				action: 'library.downloaded',
				target: library.auditTarget,
				details: { document: row.documentId, title: row.title, version: row.number, file: row.originalName },
				ipAddress: meta.ip
			});
	}
	return download;
}

// ── Publishers of the site library ──────────────────────────────────────────────────────

/** Lets an account publish to the site library, or stops it, with the reason recorded. */
export async function setLibraryPublisher(
	ctx: AppContext,
	admin: SessionUser,
	userId: string,
	publisher: boolean,
	reason: string,
	meta: RequestMeta
): Promise<void> {
	requireAdmin(admin);
	if (!isUuid(userId)) throw new DomainError('not_found', 'That account was not found.');
	const why = text(reason, 'reason', REASON_MAX, 'Enter a reason');
	await inTransaction(ctx.db, async (trx) => {
		const row = await trx
			.updateTable('users')
			.set({ libraryPublisher: publisher })
			.where('id', '=', userId)
			.where('libraryPublisher', '=', !publisher)
			.returning(['email'])
			.executeTakeFirst();
		if (!row)
			throw new DomainError(
				'conflict',
				publisher
					? 'This account already publishes to the library.'
					: 'This account does not publish to the library.'
			);
		await appendAudit(trx, {
			actor: { id: admin.id, label: admin.email },
			action: publisher ? 'account.library_publisher_granted' : 'account.library_publisher_removed',
			target: { type: 'user', id: userId, label: row.email },
			details: { reason: why },
			ipAddress: meta.ip
		});
	});
}
