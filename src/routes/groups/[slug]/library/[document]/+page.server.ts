import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import {
	DESCRIPTION_MAX,
	editDocument,
	openDocument,
	REASON_MAX,
	setDocumentDeleted,
	TITLE_MAX
} from '$lib/server/library/library.service';
import { readProblem } from '$lib/server/library/upload-problem';
import { ACCEPTED_SUMMARY } from '$lib/server/library/file-types';
import { formatDate, formatDateTime } from '$lib/format';
import { formatSize } from '$lib/file-size';
import { parseForm } from '$lib/server/forms';
import { failWith, invalid, pageError, requestMeta } from '$lib/server/web/actions';

function documentId(value: string): number {
	if (!/^[1-9]\d{0,8}$/.test(value)) error(404, 'Page not found');
	return Number(value);
}

/** A file's address: its version id, and its name for the browser's "save as". */
function fileHref(versionId: number, name: string): string {
	return `/files/${versionId}/${encodeURIComponent(name)}`;
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const id = documentId(params.document);
	try {
		const page = await openDocument(locals.ctx, locals.user!, params.slug, id);
		const { document: d, library } = page;
		const group = library.access.group;
		const problem = readProblem(locals.ctx.secrets, url.searchParams);
		return {
			group: { slug: group.slug, name: group.name, archived: group.archivedAt !== null },
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
			mayChange: page.mayChange && !group.archivedAt,
			mayRestore: library.mayManage && d.deletedAt !== null && !group.archivedAt,
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
};

const editSchema = z.object({
	title: z.string(),
	description: z.string().optional(),
	folder: z
		.string()
		.regex(/^([1-9]\d{0,8})?$/, { message: 'Choose a folder from the list.' })
		.optional()
});
const reasonSchema = z.object({ reason: z.string().optional() });

function back(event: RequestEvent, notice: string): never {
	redirect(303, `/groups/${event.params.slug}/library/${event.params.document}?notice=${notice}`);
}

async function setDeleted(event: RequestEvent, deleted: boolean) {
	const id = documentId(event.params.document ?? '');
	const parsed = parseForm(reasonSchema, await event.request.formData());
	if (!parsed.ok) return invalid(parsed.values, parsed.errors);
	try {
		await setDocumentDeleted(
			event.locals.ctx,
			event.locals.user!,
			event.params.slug ?? '',
			id,
			{ deleted, reason: parsed.data.reason ?? '' },
			requestMeta(event)
		);
	} catch (err) {
		return failWith(err, parsed.values, 'reason');
	}
	if (deleted) redirect(303, `/groups/${event.params.slug}/library?notice=document-deleted`);
	back(event, 'document-restored');
}

export const actions: Actions = {
	edit: async (event) => {
		const id = documentId(event.params.document);
		const parsed = parseForm(editSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		const folder = parsed.data.folder ?? '';
		try {
			await editDocument(
				event.locals.ctx,
				event.locals.user!,
				event.params.slug,
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
	delete: (event) => setDeleted(event, true),
	restore: (event) => setDeleted(event, false)
};
