import type { Actions, PageServerLoad } from './$types';
import { loadThread } from '$lib/server/discussions/thread.service';
import { setLocked } from '$lib/server/discussions/post.service';
import { threadPath } from '$lib/server/discussions/discussion.schemas';
import { pageError } from '$lib/server/web/actions';
import { reasonAction } from '$lib/server/web/reason-action';
import { threadIdParam } from '$lib/server/web/post-params';

// `?unlock` asks the opposite: open a locked thread again, also with a reason.
export const load: PageServerLoad = async ({ locals, params, url }) => {
	try {
		const ta = await loadThread(
			locals.ctx,
			locals.user!,
			params.slug,
			threadIdParam(params.thread),
			'moderate_posts'
		);
		return {
			thread: { title: ta.thread.title, path: threadPath(params.slug, ta.thread) },
			unlock: url.searchParams.has('unlock')
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
				setLocked(
					event.locals.ctx,
					event.locals.user!,
					event.params.slug,
					threadIdParam(event.params.thread),
					{ lock: !event.url.searchParams.has('unlock'), reason },
					meta
				),
			(ta) => threadPath(event.params.slug, ta.thread)
		)
};
