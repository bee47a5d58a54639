import type { PageServerLoad } from './$types';
import { helpfulPeople } from '$lib/server/discussions/post.service';
import { pageOf, threadPath } from '$lib/server/discussions/thread-paths';
import { pageError } from '$lib/server/web/actions';
import { postIdParam } from '$lib/server/web/post-params';

export const load: PageServerLoad = async ({ locals, params }) => {
	try {
		const { post, ta, people } = await helpfulPeople(
			locals.ctx,
			locals.user!,
			params.slug,
			postIdParam(params.post)
		);
		return {
			back: `${threadPath(params.slug, ta.thread)}?page=${pageOf(post.number)}#post-${post.id}`,
			title: ta.thread.title,
			people
		};
	} catch (err) {
		pageError(err);
	}
};
