import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { peekEmailToken } from '$lib/server/auth/email-tokens';
import { tokenMessage, verifyEmail } from '$lib/server/accounts/registration.service';
import { failWith, requestMeta } from '$lib/server/web/actions';

// Opening the link only shows a button: mail scanners that follow links must not use it up.
export const load: PageServerLoad = async ({ locals, params }) => {
	const state = await peekEmailToken(locals.ctx.db, 'verify_email', params.token, locals.ctx.now());
	return { problem: state.state === 'valid' ? null : tokenMessage(state.state) };
};

export const actions: Actions = {
	default: async (event) => {
		try {
			await verifyEmail(event.locals.ctx, event.params.token, requestMeta(event));
		} catch (err) {
			return failWith(err, {});
		}
		redirect(303, event.locals.user ? '/?notice=verified' : '/login?notice=verified');
	}
};
