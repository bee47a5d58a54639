import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { findGroup } from '$lib/server/policy/group.access';
import { startThread } from '$lib/server/discussions/thread.service';
import { newThreadSchema } from '$lib/server/discussions/discussion.schemas';
import { threadPath } from '$lib/server/discussions/thread-paths';
import { renderMarkdown } from '$lib/server/markdown/markdown';
import { formValues, parseForm } from '$lib/server/forms';
import { failWith, invalid, pageError } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals, params }) => {
	try {
		const { group } = await findGroup(
			locals.ctx.db,
			locals.user!,
			params.slug,
			'start_thread',
			locals.ctx.now()
		);
		return { group: { slug: group.slug, name: group.name } };
	} catch (err) {
		pageError(err);
	}
};

export const actions: Actions = {
	preview: async ({ request }) => {
		const form = await request.formData();
		const values = formValues(form);
		return fail(200, { values, errors: {}, preview: renderMarkdown((values.body ?? '').slice(0, 20000)) });
	},
	post: async ({ request, locals, params }) => {
		const parsed = parseForm(newThreadSchema, await request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		let thread;
		try {
			thread = await startThread(locals.ctx, locals.user!, params.slug, parsed.data);
		} catch (err) {
			return failWith(err, parsed.values, 'body');
		}
		redirect(303, `${threadPath(params.slug, thread)}?started=1#post-${thread.firstPostId}`);
	}
};
