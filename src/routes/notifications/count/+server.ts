import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { unreadSummary } from '$lib/server/notifications/notification-list.service';

/** The header's unread count, asked for when a live event says something new arrived. */
export const GET: RequestHandler = async ({ locals }) =>
	json(await unreadSummary(locals.ctx.db, locals.user!), {
		headers: { 'cache-control': 'private, no-store' }
	});
