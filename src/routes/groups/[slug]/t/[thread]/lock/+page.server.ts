import type { Actions, PageServerLoad } from './$types';
import { setLocked } from '$lib/server/discussions/thread-moderation.service';
import { threadDecision } from '$lib/server/web/moderated-thread';

// Lock a thread (no more replies), or (`?unlock`) open it again; either with a reason.
const page = threadDecision('unlock', (ctx, user, slug, threadId, { on, reason }, meta) =>
	setLocked(ctx, user, slug, threadId, { lock: on, reason }, meta)
);
export const load: PageServerLoad = page.load;
export const actions: Actions = page.actions;
