import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { signOut } from '$lib/server/accounts/sign-in.service';
import { deleteSessionCookie } from '$lib/server/auth/session-cookie';

// Signing out changes state, so it is a POST (a link or prefetch must never sign anyone out).
export const load: PageServerLoad = async () => {
	redirect(303, '/');
};

export const actions: Actions = {
	default: async ({ locals, cookies }) => {
		if (locals.session) await signOut(locals.ctx, locals.session.id);
		deleteSessionCookie(cookies, locals.ctx.config.secureCookies);
		redirect(303, '/login?notice=signed-out-by-you');
	}
};
