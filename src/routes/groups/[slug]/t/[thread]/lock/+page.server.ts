import type { Actions, PageServerLoad } from './$types';
import { setLocked } from '$lib/server/discussions/post.service';
import { threadPath } from '$lib/server/discussions/discussion.schemas';
import { reasonAction } from '$lib/server/web/reason-action';
import { moderatedThread } from '$lib/server/web/moderated-thread';
import { threadIdParam } from '$lib/server/web/post-params';

// `?unlock` asks the opposite: open a locked thread again, also with a reason.
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { thread } = await moderatedThread(locals, params);
	return { thread, unlock: url.searchParams.has('unlock') };
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
