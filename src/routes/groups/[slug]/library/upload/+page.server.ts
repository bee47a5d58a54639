import type { PageServerLoad } from './$types';
import { checkUpload, DESCRIPTION_MAX, listFolders, TITLE_MAX } from '$lib/server/library/library.service';
import { readProblem } from '$lib/server/library/upload-problem';
import { ACCEPTED_SUMMARY } from '$lib/server/library/file-types';
import { searchText } from '$lib/server/forms';
import { pageError } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	try {
		const library = await checkUpload(locals.ctx, locals.user!, params.slug, {
			kind: 'document',
			title: '',
			description: '',
			folderId: null
		});
		const places = await listFolders(locals.ctx, library.access.group.id);
		const problem = readProblem(locals.ctx.secrets, url.searchParams);
		const folder = searchText(url.searchParams, 'folder', 12);
		return {
			group: { slug: library.access.group.slug, name: library.access.group.name },
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
};
