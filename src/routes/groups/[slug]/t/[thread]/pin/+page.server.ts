import type { Actions, PageServerLoad } from './$types';
import { setPinned } from '$lib/server/discussions/post.service';
import { threadPath } from '$lib/server/discussions/discussion.schemas';
import { reasonAction } from '$lib/server/web/reason-action';
import { moderatedThread } from '$lib/server/web/moderated-thread';
import { threadIdParam } from '$lib/server/web/post-params';

// Pin a thread to the top of its group's list, or (`?unpin`) let it go; either with a reason.
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { thread } = await moderatedThread(locals, params);
	return { thread, unpin: url.searchParams.has('unpin') };
};

export const actions: Actions = {
	default: (event) =>
		reasonAction(
			event,
			({ reason }, meta) =>
				setPinned(
					event.locals.ctx,
					event.locals.user!,
					event.params.slug,
					threadIdParam(event.params.thread),
					{ pinned: !event.url.searchParams.has('unpin'), reason },
					meta
				),
			(ta) => threadPath(event.params.slug, ta.thread)
		)
};
