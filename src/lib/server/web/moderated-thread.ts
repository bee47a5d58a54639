/**
 * The thread a moderator's decision page is about (lock, pin, move): loaded for a moderator
 * of its group, or the page is "not found".
 */
import type { AppContext } from '../context.ts';
import type { SessionUser } from '../auth/session.ts';
import { loadThread, type ThreadAccess } from '../discussions/thread.service.ts';
import { threadPath } from '../discussions/discussion.schemas.ts';
import { pageError } from './actions.ts';
import { threadIdParam } from './post-params.ts';

export async function moderatedThread(
	locals: { ctx: AppContext; user?: SessionUser | null },
	params: { slug: string; thread: string }
): Promise<{ ta: ThreadAccess; thread: { title: string; path: string } }> {
	try {
		const ta = await loadThread(
			locals.ctx,
			locals.user!,
			params.slug,
			threadIdParam(params.thread),
			'moderate_posts'
		);
		return { ta, thread: { title: ta.thread.title, path: threadPath(params.slug, ta.thread) } };
	} catch (err) {
		pageError(err);
	}
}
