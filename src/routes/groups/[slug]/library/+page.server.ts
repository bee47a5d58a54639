import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createFolder, listLibrary, FOLDER_NAME_MAX } from '$lib/server/library/library.service';
import { formatDate } from '$lib/format';
import { formatSize } from '$lib/file-size';
import { failWith, invalid, pageError, requestMeta } from '$lib/server/web/actions';
import { z } from 'zod';
import { parseForm } from '$lib/server/forms';

const ID = /^[1-9]\d{0,8}$/;

const folderSchema = z.object({
	name: z
		.string()
		.max(FOLDER_NAME_MAX * 4, { message: `Keep the name to ${FOLDER_NAME_MAX} characters or fewer.` }),
	parent: z
		.string()
		.regex(/^([1-9]\d{0,8})?$/, { message: 'Choose a folder from the list.' })
		.optional()
});

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const folderParam = url.searchParams.get('folder');
	const sort = url.searchParams.get('sort') === 'date' ? 'date' : 'name';
	const pageParam = url.searchParams.get('page') ?? '1';
	const page = /^\d{1,6}$/.test(pageParam) ? Number(pageParam) : 1;
	if (folderParam !== null && !ID.test(folderParam)) error(404, 'Page not found');
	try {
		const listing = await listLibrary(locals.ctx, locals.user!, params.slug, {
			folderId: folderParam === null ? undefined : Number(folderParam),
			sort,
			page
		});
		const group = listing.library.access.group;
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
			group: { slug: group.slug, name: group.name, archived: group.archivedAt !== null },
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
};

export const actions: Actions = {
	folder: async (event) => {
		const parsed = parseForm(folderSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		const parent = parsed.data.parent ?? '';
		try {
			await createFolder(
				event.locals.ctx,
				event.locals.user!,
				event.params.slug,
				{ name: parsed.data.name, parentId: parent ? Number(parent) : null },
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, parsed.values, 'name');
		}
		const place = parent ? `folder=${parent}&` : '';
		redirect(303, `/groups/${event.params.slug}/library?${place}notice=folder-added`);
	}
};
