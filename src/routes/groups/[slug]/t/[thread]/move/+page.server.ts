import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { loadThread } from '$lib/server/discussions/thread.service';
import { moveTargets, moveThread } from '$lib/server/discussions/post.service';
import { moderationReasonSchema, threadPath } from '$lib/server/discussions/discussion.schemas';
import { pageError } from '$lib/server/web/actions';
import { decisionAction } from '$lib/server/web/reason-action';
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
		return {
			thread: { title: ta.thread.title, path: threadPath(params.slug, ta.thread) },
			groups: await moveTargets(locals.ctx, locals.user!, ta.thread.groupId)
		};
	} catch (err) {
		pageError(err);
	}
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
