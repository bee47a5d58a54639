import { error, redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { openNotification } from '$lib/server/notifications/notification-list.service';
import { pageError } from '$lib/server/web/actions';

/**
 * Opening a notification: it is marked read and the browser goes to what it is about. A link,
 * so it works without JavaScript; "not found" for one that is not this person's, or about
 * something they may no longer see.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!/^\d{1,15}$/.test(params.id)) error(404, 'Page not found');
	let to: string;
	try {
		to = await openNotification(locals.ctx, locals.user!, Number(params.id));
	} catch (err) {
		pageError(err);
	}
	redirect(303, to);
};
