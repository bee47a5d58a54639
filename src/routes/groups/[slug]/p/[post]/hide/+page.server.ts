import type { Actions, PageServerLoad } from './$types';
import { setHidden } from '$lib/server/discussions/post.service';
import { loadThread } from '$lib/server/discussions/thread.service';
import { pageOf, threadPath } from '$lib/server/discussions/discussion.schemas';
import { pageError } from '$lib/server/web/actions';
import { reasonAction } from '$lib/server/web/reason-action';
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
	default: (event) =>
		reasonAction(
			event,
			(hide, meta) =>
				setHidden(
					event.locals.ctx,
					event.locals.user!,
					event.params.slug,
					postIdParam(event.params.post),
					hide,
					meta
				),
			({ ta, post }) =>
				`${threadPath(event.params.slug, ta.thread)}?page=${pageOf(post.number)}#post-${post.id}`
		)
};
