import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { archiveEntry } from '$lib/server/practice/practice-review.service';
import { loadEntry } from '$lib/server/policy/practice.access';
import { getEntry } from '$lib/server/practice/practice-entry.service';
import { archiveSchema } from '$lib/server/practice/practice.schemas';
import { parseForm } from '$lib/server/forms';
import { practiceIdParam } from '$lib/server/web/post-params';
import { failWith, invalid, pageError, requestMeta } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals, params }) => {
	const id = practiceIdParam(params.entry);
	try {
		await loadEntry(locals.ctx, locals.ctx.db, locals.user!, id, 'archive');
		const view = await getEntry(locals.ctx, locals.user!, id);
		return { entry: { title: view.version.title, path: view.path } };
	} catch (err) {
		pageError(err);
	}
};

export const actions: Actions = {
	default: async (event) => {
		const id = practiceIdParam(event.params.entry);
		const parsed = parseForm(archiveSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			await archiveEntry(event.locals.ctx, event.locals.user!, id, parsed.data.reason, requestMeta(event));
		} catch (err) {
			return failWith(err, parsed.values, 'reason');
		}
		redirect(303, `${event.url.pathname.replace(/\/archive$/, '')}?notice=practice-archived`);
	}
};
