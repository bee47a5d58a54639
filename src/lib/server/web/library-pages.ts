/**
 * The library pages' loads and form actions, shared by a group's library
 * (`/groups/<slug>/library…`) and the site library (`/library…`): the routes only say which.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import {
	checkUpload,
	createFolder,
	DESCRIPTION_MAX,
	editDocument,
	FOLDER_NAME_MAX,
	listFolders,
	listLibrary,
	openDocument,
	REASON_MAX,
	setDocumentDeleted,
	TITLE_MAX,
	type Library,
	type LibraryPlace
} from '../library/library.service.ts';
import { readProblem } from '../library/upload-problem.ts';
import { ACCEPTED_SUMMARY } from '../library/file-types.ts';
import { parseForm, searchText } from '../forms.ts';
import { failWith, invalid, pageError, requestMeta } from './actions.ts';
import { formatDate, formatDateTime } from '../../format.ts';
import { formatSize } from '../../file-size.ts';

const ID = /^[1-9]\d{0,8}$/;

type Event = Pick<RequestEvent, 'locals' | 'url'>;

/** What every library page says about its library. */
function about(library: Library) {
	return {
		path: library.path,
		/** The group's name, or null for the site library. */
		groupName: library.group?.name ?? null,
		groupPath: library.group ? `/groups/${library.group.slug}` : null,
		archived: library.archived
	};
}

function documentId(value: string | undefined): number {
	if (!value || !ID.test(value)) error(404, 'Page not found');
	return Number(value);
}

/** A file's address: its version id, and its name for the browser's "save as". */
function fileHref(versionId: number, name: string): string {
	return `/files/${versionId}/${encodeURIComponent(name)}`;
}

export async function libraryListPage({ locals, url }: Event, place: LibraryPlace) {
	const folderParam = url.searchParams.get('folder');
	const sort = url.searchParams.get('sort') === 'date' ? 'date' : 'name';
	const pageParam = url.searchParams.get('page') ?? '1';
	const page = /^\d{1,6}$/.test(pageParam) ? Number(pageParam) : 1;
	if (folderParam !== null && !ID.test(folderParam)) error(404, 'Page not found');
	try {
		const listing = await listLibrary(locals.ctx, locals.user!, place, {
			folderId: folderParam === null ? undefined : Number(folderParam),
			sort,
			page
		});
		const item = (d: (typeof listing.documents)[number]) => ({
			id: d.id,
			title: d.title,
			description: d.description,
			label: d.label,
			size: formatSize(d.size),
			version: d.version,
			updated: formatDate(d.updatedAt),
			uploaderName: d.uploaderName,
			scanStatus: d.scanStatus
		});
		return {
			library: about(listing.library),
			folder: listing.folder,
			folders: listing.folders,
			documents: listing.documents.map(item),
			deleted: listing.deleted.map(item),
			sort,
			page: listing.page,
			pages: listing.pages,
			total: listing.total,
			mayUpload: listing.library.mayUpload,
			mayManage: listing.library.mayManage,
			scanning: locals.ctx.files.scanning,
			folderNameMax: FOLDER_NAME_MAX
		};
	} catch (err) {
		pageError(err);
	}
}

const folderSchema = z.object({
	name: z
		.string()
		.max(FOLDER_NAME_MAX * 4, { message: `Keep the name to ${FOLDER_NAME_MAX} characters or fewer.` }),
	parent: z
		.string()
		.regex(/^([1-9]\d{0,8})?$/, { message: 'Choose a folder from the list.' })
		.optional()
});

export async function addFolder(event: RequestEvent, place: LibraryPlace, libraryPath: string) {
	const parsed = parseForm(folderSchema, await event.request.formData());
	if (!parsed.ok) return invalid(parsed.values, parsed.errors);
	const parent = parsed.data.parent ?? '';
	try {
		await createFolder(
			event.locals.ctx,
			event.locals.user!,
			place,
			{ name: parsed.data.name, parentId: parent ? Number(parent) : null },
			requestMeta(event)
		);
	} catch (err) {
		return failWith(err, parsed.values, 'name');
	}
	const at = parent ? `folder=${parent}&` : '';
	redirect(303, `${libraryPath}?${at}notice=folder-added`);
}

export async function uploadPage({ locals, url }: Event, place: LibraryPlace) {
	try {
		const library = await checkUpload(locals.ctx, locals.user!, place, {
			kind: 'document',
			title: '',
			description: '',
			folderId: null
		});
		const places = await listFolders(locals.ctx, library.groupId);
		const problem = readProblem(locals.ctx.secrets, url.searchParams);
		const folder = searchText(url.searchParams, 'folder', 12);
		return {
			library: about(library),
			places,
			values: {
				title: searchText(url.searchParams, 'title', TITLE_MAX * 2),
				description: searchText(url.searchParams, 'description', DESCRIPTION_MAX * 2),
				folder: places.some((p) => String(p.id) === folder) ? folder : ''
			},
			errors: problem ? { [problem.field]: problem.message } : {},
			maxBytes: locals.ctx.config.fileMaxBytes,
			accepted: ACCEPTED_SUMMARY,
			titleMax: TITLE_MAX,
			descriptionMax: DESCRIPTION_MAX,
			scanning: locals.ctx.files.scanning
		};
	} catch (err) {
		pageError(err);
	}
}

export async function documentPage({ locals, url }: Event, place: LibraryPlace, param: string | undefined) {
	const id = documentId(param);
	try {
		const page = await openDocument(locals.ctx, locals.user!, place, id);
		const { document: d, library } = page;
		const problem = readProblem(locals.ctx.secrets, url.searchParams);
		return {
			library: about(library),
			document: {
				id: d.id,
				title: d.title,
				description: d.description,
				folderId: d.folderId,
				folderName: d.folderName,
				version: d.version,
				fileName: d.fileName,
				label: d.label,
				size: formatSize(d.size),
				scanStatus: d.scanStatus,
				updated: formatDate(d.updatedAt),
				uploaderName: d.uploaderName,
				href: fileHref(d.versionId, d.fileName),
				deleted: d.deletedAt !== null
			},
			versions: page.versions.map((v) => ({
				id: v.id,
				number: v.number,
				fileName: v.fileName,
				label: v.label,
				size: formatSize(v.size),
				scanStatus: v.scanStatus,
				uploaderName: v.uploaderName,
				when: formatDateTime(v.createdAt),
				href: fileHref(v.id, v.fileName)
			})),
			mayChange: page.mayChange && !library.archived,
			mayRestore: library.mayManage && d.deletedAt !== null && !library.archived,
			/** A moderator deleting someone else's document gives a reason. */
			reasonNeeded: d.createdBy !== locals.user!.id,
			places: page.places,
			uploadErrors: problem ? { [problem.field]: problem.message } : {},
			maxBytes: locals.ctx.config.fileMaxBytes,
			accepted: ACCEPTED_SUMMARY,
			titleMax: TITLE_MAX,
			descriptionMax: DESCRIPTION_MAX,
			reasonMax: REASON_MAX
		};
	} catch (err) {
		pageError(err);
	}
}

const editSchema = z.object({
	title: z.string(),
	description: z.string().optional(),
	folder: z
		.string()
		.regex(/^([1-9]\d{0,8})?$/, { message: 'Choose a folder from the list.' })
		.optional()
});
const reasonSchema = z.object({ reason: z.string().optional() });

/** The document page's form actions: change the details, delete, restore. */
export function documentActions(
	place: (event: RequestEvent) => LibraryPlace,
	libraryPath: (event: RequestEvent) => string
) {
	const back = (event: RequestEvent, notice: string): never =>
		redirect(303, `${libraryPath(event)}/${event.params.document}?notice=${notice}`);

	async function setDeleted(event: RequestEvent, deleted: boolean) {
		const id = documentId(event.params.document);
		const parsed = parseForm(reasonSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			await setDocumentDeleted(
				event.locals.ctx,
				event.locals.user!,
				place(event),
				id,
				{ deleted, reason: parsed.data.reason ?? '' },
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, parsed.values, 'reason');
		}
		if (deleted) redirect(303, `${libraryPath(event)}?notice=document-deleted`);
		back(event, 'document-restored');
	}

	return {
		edit: async (event: RequestEvent) => {
			const id = documentId(event.params.document);
			const parsed = parseForm(editSchema, await event.request.formData());
			if (!parsed.ok) return invalid(parsed.values, parsed.errors);
			const folder = parsed.data.folder ?? '';
			try {
				await editDocument(
					event.locals.ctx,
					event.locals.user!,
					place(event),
					id,
					{
						title: parsed.data.title,
						description: parsed.data.description ?? '',
						folderId: folder ? Number(folder) : null
					},
					requestMeta(event)
				);
			} catch (err) {
				return failWith(err, parsed.values, 'title');
			}
			back(event, 'document-changed');
		},
		delete: (event: RequestEvent) => setDeleted(event, true),
		restore: (event: RequestEvent) => setDeleted(event, false)
	};
}

export type LibraryListData = NonNullable<Awaited<ReturnType<typeof libraryListPage>>>;
export type UploadPageData = NonNullable<Awaited<ReturnType<typeof uploadPage>>>;
export type DocumentPageData = NonNullable<Awaited<ReturnType<typeof documentPage>>>;
