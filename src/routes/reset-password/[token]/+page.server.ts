import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { parseForm } from '$lib/server/forms';
import { newPasswordSchema } from '$lib/server/accounts/account.schemas';
import { resetPassword } from '$lib/server/accounts/password.service';
import { tokenMessage } from '$lib/server/accounts/registration.service';
import { peekEmailToken } from '$lib/server/auth/email-tokens';
import { deleteSessionCookie, failWith, invalid, requestMeta } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals, params }) => {
	const state = await peekEmailToken(locals.ctx.db, 'reset_password', params.token, locals.ctx.now());
	return { problem: state.state === 'valid' ? null : tokenMessage(state.state, 'reset_password') };
};

export const actions: Actions = {
	default: async (event) => {
		const parsed = parseForm(newPasswordSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			await resetPassword(
				event.locals.ctx,
				'reset_password',
				event.params.token,
				parsed.data.password,
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, parsed.values);
		}
		// Every session of the account has ended, this browser's included.
		deleteSessionCookie(event.cookies, event.locals.ctx.config.secureCookies);
		redirect(303, '/login?notice=password-reset');
	}
};
