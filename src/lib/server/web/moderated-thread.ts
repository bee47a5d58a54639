/**
 * The thread a moderator's decision page is about (lock, pin, move): loaded for a moderator
 * of its group, or the page is "not found".
 */
import type { AppContext } from '../context.ts';
import type { SessionUser } from '../auth/session.ts';
import { loadThread, type ThreadAccess } from '../discussions/thread.service.ts';
import { threadPath } from '../discussions/thread-paths.ts';
import type { RequestEvent } from '@sveltejs/kit';
import type { RequestMeta } from '../request-meta.ts';
import { pageError } from './actions.ts';
import { threadIdParam } from './post-params.ts';
import { reasonAction } from './reason-action.ts';

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

/**
 * A decision about a thread that can be undone (lock/unlock, pin/unpin): one page asks for the
 * reason; `?<undo>` in its address asks for the opposite. Gives the page's load and action.
 */
export function threadDecision(
	undo: string,
	decide: (
		ctx: AppContext,
		user: SessionUser,
		slug: string,
		threadId: number,
		decision: { on: boolean; reason: string },
		meta: RequestMeta
	) => Promise<ThreadAccess>
) {
	return {
		load: async ({ locals, params, url }: Pick<RequestEvent, 'locals' | 'params' | 'url'>) => {
			const { thread } = await moderatedThread(locals, params as { slug: string; thread: string });
			return { thread, undo: url.searchParams.has(undo) };
		},
		actions: {
			default: (event: RequestEvent) =>
				reasonAction(
					event,
					({ reason }, meta) =>
						decide(
							event.locals.ctx,
							event.locals.user!,
							event.params.slug!,
							threadIdParam(event.params.thread!),
							{ on: !event.url.searchParams.has(undo), reason },
							meta
						),
					(ta) => threadPath(event.params.slug!, ta.thread)
				)
		}
	};
}
