import { redirect } from '@sveltejs/kit';
import type { Actions } from './$types';
import { parseForm } from '$lib/server/forms';
import { changePasswordSchema } from '$lib/server/accounts/account.schemas';
import { changePassword } from '$lib/server/accounts/password.service';
import { failWith, invalid, requestMeta } from '$lib/server/web/actions';
import { setSessionCookie } from '$lib/server/auth/session-cookie';

export const actions: Actions = {
	default: async (event) => {
		const { locals, cookies } = event;
		const parsed = parseForm(changePasswordSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		let created;
		try {
			created = await changePassword(
				locals.ctx,
				locals.user!,
				locals.session!,
				parsed.data,
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, parsed.values);
		}
		setSessionCookie(cookies, created.token, created.session.expiresAt, locals.ctx.config.secureCookies);
		redirect(303, '/settings?notice=password-changed');
	}
};
