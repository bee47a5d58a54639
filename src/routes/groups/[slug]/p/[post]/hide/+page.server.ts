import type { Actions, PageServerLoad } from './$types';
import { setHidden } from '$lib/server/discussions/post.service';
import { loadThread } from '$lib/server/discussions/thread.service';
import { pageOf, threadPath } from '$lib/server/discussions/thread-paths';
import { pageError } from '$lib/server/web/actions';
import { reasonAction } from '$lib/server/web/reason-action';
import { postIdParam } from '$lib/server/web/post-params';
import { error } from '@sveltejs/kit';

// `?restore` asks the opposite: put a hidden post back, also with a reason.
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const post = await locals.ctx.db
		.selectFrom('posts')
		.select(['threadId'])
		.where('id', '=', postIdParam(params.post))
		.executeTakeFirst();
	if (!post) error(404, 'Page not found');
	try {
		const ta = await loadThread(locals.ctx, locals.user!, params.slug, post.threadId, 'moderate_posts');
		return {
			thread: { title: ta.thread.title, path: threadPath(params.slug, ta.thread) },
			restore: url.searchParams.has('restore')
		};
	} catch (err) {
		pageError(err);
	}
};

export const actions: Actions = {
	default: (event) =>
		reasonAction(
			event,
			({ reason }, meta) =>
				setHidden(
					event.locals.ctx,
					event.locals.user!,
					event.params.slug,
					postIdParam(event.params.post),
					{ hide: !event.url.searchParams.has('restore'), reason },
					meta
				),
			({ ta, post }) =>
				`${threadPath(event.params.slug, ta.thread)}?page=${pageOf(post.number)}#post-${post.id}`
		)
};
