import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import {
	EMAIL_CATEGORIES,
	readUnsubscribeToken,
	unsubscribeWith
} from '$lib/server/notifications/email-preferences';

/**
 * The link at the foot of each notification e-mail. Opening it changes nothing (mail scanners
 * open links); the button does, for that person and that kind of e-mail only. No sign-in
 * needed: the link is signed.
 */
export const load: PageServerLoad = async ({ locals, params }) => {
	const read = readUnsubscribeToken(locals.ctx.secrets, params.token);
	if (!read) error(404, 'Page not found');
	return { label: EMAIL_CATEGORIES[read.category].label };
};

export const actions: Actions = {
	default: async ({ locals, params }) => {
		const done = await unsubscribeWith(locals.ctx.db, locals.ctx.secrets, params.token, locals.ctx.now());
		if (!done) error(404, 'Page not found');
		return { done: true };
	}
};
