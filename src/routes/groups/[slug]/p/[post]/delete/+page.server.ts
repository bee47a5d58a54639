import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { deletePost, postForEdit } from '$lib/server/discussions/post.service';
import { pageOf, threadPath } from '$lib/server/discussions/thread-paths';
import { failWith, pageError } from '$lib/server/web/actions';
import { postIdParam } from '$lib/server/web/post-params';

export const load: PageServerLoad = async ({ locals, params }) => {
	try {
		const { ta } = await postForEdit(locals.ctx, locals.user!, params.slug, postIdParam(params.post));
		return { thread: { title: ta.thread.title, path: threadPath(params.slug, ta.thread) } };
	} catch (err) {
		pageError(err);
	}
};

export const actions: Actions = {
	default: async ({ locals, params }) => {
		let result;
		try {
			result = await deletePost(locals.ctx, locals.user!, params.slug, postIdParam(params.post));
		} catch (err) {
			return failWith(err, {});
		}
		redirect(
			303,
			`${threadPath(params.slug, result.ta.thread)}?page=${pageOf(result.post.number)}#post-${result.post.id}`
		);
	}
};
