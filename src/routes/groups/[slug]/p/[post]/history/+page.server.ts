import type { PageServerLoad } from './$types';
import { postHistory } from '$lib/server/discussions/post.service';
import { threadPath } from '$lib/server/discussions/thread-paths';
import { formatDateTime } from '$lib/format';
import { pageError } from '$lib/server/web/actions';
import { postIdParam } from '$lib/server/web/post-params';

export const load: PageServerLoad = async ({ locals, params }) => {
	try {
		const { post, ta, revisions } = await postHistory(
			locals.ctx,
			locals.user!,
			params.slug,
			postIdParam(params.post)
		);
		return {
			thread: { title: ta.thread.title, path: threadPath(params.slug, ta.thread) },
			current: {
				html: post.deletedAt ? '' : post.html,
				edited: post.editedAt ? formatDateTime(post.editedAt) : null
			},
			revisions: revisions.map((r) => ({
				id: r.id,
				html: r.html,
				written: formatDateTime(r.writtenAt),
				replaced: formatDateTime(r.replacedAt)
			}))
		};
	} catch (err) {
		pageError(err);
	}
};
