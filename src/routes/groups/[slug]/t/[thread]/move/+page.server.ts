import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { loadThread } from '$lib/server/discussions/thread.service';
import { moveTargets, moveThread } from '$lib/server/discussions/post.service';
import { threadPath } from '$lib/server/discussions/discussion.schemas';
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
		return {
			thread: { title: ta.thread.title, path: threadPath(params.slug, ta.thread) },
			groups: await moveTargets(locals.ctx, locals.user!, ta.thread.groupId)
		};
	} catch (err) {
		pageError(err);
	}
};

const moveSchema = z.object({
	group: z.string({ message: 'Choose a group' }).min(1, { message: 'Choose a group' }).max(60)
});

export const actions: Actions = {
	default: async (event) => {
		const parsed = parseForm(moveSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		let moved;
		try {
			moved = await moveThread(
				event.locals.ctx,
				event.locals.user!,
				event.params.slug,
				threadIdParam(event.params.thread),
				parsed.data.group,
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, parsed.values, 'group');
		}
		redirect(303, threadPath(moved.to.slug, moved.thread));
	}
};
