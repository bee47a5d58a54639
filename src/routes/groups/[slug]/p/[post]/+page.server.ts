import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { loadThread, movedThread } from '$lib/server/discussions/thread.service';
import { pageOf, threadPath } from '$lib/server/discussions/thread-paths';
import { pageError } from '$lib/server/web/actions';

// A post's permanent address: sends the reader to the page of the thread that holds it.
export const load: PageServerLoad = async ({ locals, params }) => {
	const id = /^\d{1,15}$/.test(params.post) ? Number(params.post) : NaN;
	if (!Number.isFinite(id)) error(404, 'Page not found');
	const post = await locals.ctx.db
		.selectFrom('posts')
		.select(['threadId', 'number'])
		.where('id', '=', id)
		.executeTakeFirst();
	if (!post) error(404, 'Page not found');
	let ta;
	try {
		ta = await loadThread(locals.ctx, locals.user!, params.slug, post.threadId);
	} catch (err) {
		// The thread was moved: the post's address moves with it, for those who may read it there.
		const moved = await movedThread(locals.ctx, locals.user!, params.slug, post.threadId);
		if (moved) redirect(301, `/groups/${moved.slug}/p/${id}`);
		pageError(err);
	}
	redirect(303, `${threadPath(params.slug, ta.thread)}?page=${pageOf(post.number)}#post-${id}`);
};
