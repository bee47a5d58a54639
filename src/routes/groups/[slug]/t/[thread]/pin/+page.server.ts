import type { Actions, PageServerLoad } from './$types';
import { setPinned } from '$lib/server/discussions/thread-moderation.service';
import { threadDecision } from '$lib/server/web/moderated-thread';

// Pin a thread to the top of its group's list, or (`?unpin`) let it go; either with a reason.
const page = threadDecision('unpin', (ctx, user, slug, threadId, { on, reason }, meta) =>
	setPinned(ctx, user, slug, threadId, { pinned: on, reason }, meta)
);
export const load: PageServerLoad = page.load;
export const actions: Actions = page.actions;
