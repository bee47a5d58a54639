import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { setHidden } from '$lib/server/discussions/post.service';
import { loadThread } from '$lib/server/discussions/thread.service';
import { moderationReasonSchema, pageOf, threadPath } from '$lib/server/discussions/discussion.schemas';
import { parseForm } from '$lib/server/forms';
import { failWith, invalid, pageError, requestMeta } from '$lib/server/web/actions';
import { postIdParam } from '$lib/server/web/post-params';
import { error } from '@sveltejs/kit';

export const load: PageServerLoad = async ({ locals, params }) => {
	const post = await locals.ctx.db
		.selectFrom('posts')
		.select(['threadId'])
		.where('id', '=', postIdParam(params.post))
		.executeTakeFirst();
	if (!post) error(404, 'Page not found');
	try {
		const ta = await loadThread(locals.ctx, locals.user!, params.slug, post.threadId, 'moderate_posts');
		return { thread: { title: ta.thread.title, path: threadPath(params.slug, ta.thread) } };
	} catch (err) {
		pageError(err);
	}
};

export const actions: Actions = {
	default: async (event) => {
		const parsed = parseForm(moderationReasonSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		let result;
		try {
			result = await setHidden(
				event.locals.ctx,
				event.locals.user!,
				event.params.slug,
				postIdParam(event.params.post),
				parsed.data,
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, parsed.values, 'reason');
		}
		redirect(
			303,
			`${threadPath(event.params.slug, result.ta.thread)}?page=${pageOf(result.post.number)}#post-${result.post.id}`
		);
	}
};
