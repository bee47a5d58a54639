import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { loadThread } from '$lib/server/discussions/thread.service';
import { setLocked } from '$lib/server/discussions/post.service';
import { moderationReasonSchema, threadPath } from '$lib/server/discussions/discussion.schemas';
import { parseForm } from '$lib/server/forms';
import { failWith, invalid, pageError, requestMeta } from '$lib/server/web/actions';
import { threadIdParam } from '$lib/server/web/post-params';

export const load: PageServerLoad = async ({ locals, params }) => {
	try {
		const ta = await loadThread(
			locals.ctx,
			locals.user!,
			params.slug,
			threadIdParam(params.thread),
			'moderate_posts'
		);
		return { thread: { title: ta.thread.title, path: threadPath(params.slug, ta.thread) } };
	} catch (err) {
		pageError(err);
	}
};

export const actions: Actions = {
	default: async (event) => {
		const parsed = parseForm(moderationReasonSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		let ta;
		try {
			ta = await setLocked(
				event.locals.ctx,
				event.locals.user!,
				event.params.slug,
				threadIdParam(event.params.thread),
				parsed.data,
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, parsed.values, 'reason');
		}
		redirect(303, threadPath(event.params.slug, ta.thread));
	}
};
