import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { moveTargets, moveThread } from '$lib/server/discussions/thread-moderation.service';
import { moderationReasonSchema } from '$lib/server/discussions/discussion.schemas';
import { threadPath } from '$lib/server/discussions/thread-paths';
import { moderatedThread } from '$lib/server/web/moderated-thread';
import { decisionAction } from '$lib/server/web/reason-action';
import { threadIdParam } from '$lib/server/web/post-params';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { ta, thread } = await moderatedThread(locals, params);
	return { thread, groups: await moveTargets(locals.ctx, locals.user!, ta.thread.groupId) };
};

const moveSchema = moderationReasonSchema.extend({
	group: z.string({ message: 'Choose a group' }).min(1, { message: 'Choose a group' }).max(60)
});

export const actions: Actions = {
	default: (event) =>
		decisionAction(
			event,
			{ schema: moveSchema, field: 'group' },
			({ group, reason }, meta) =>
				moveThread(
					event.locals.ctx,
					event.locals.user!,
					event.params.slug,
					threadIdParam(event.params.thread),
					group,
					reason,
					meta
				),
			(moved) => threadPath(moved.to.slug, moved.thread)
		)
};
