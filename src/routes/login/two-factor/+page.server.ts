import { redirect } from '@sveltejs/kit';
import type { Actions } from './$types';
import { parseForm } from '$lib/server/forms';
import { otpSchema } from '$lib/server/accounts/account.schemas';
import { verifySignInCode } from '$lib/server/accounts/sign-in.service';
import { failWith, invalid, requestMeta, safeNext } from '$lib/server/web/actions';
import { deleteSessionCookie, setSessionCookie } from '$lib/server/auth/session-cookie';
import { DomainError } from '$lib/server/errors';

export const actions: Actions = {
	default: async (event) => {
		const { request, locals, url, cookies } = event;
		const parsed = parseForm(otpSchema, await request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		let signedIn;
		try {
			signedIn = await verifySignInCode(
				locals.ctx,
				locals.session!,
				locals.user!,
				parsed.data.code,
				requestMeta(event)
			);
		} catch (err) {
			if (err instanceof DomainError && err.code === 'rate_limited') {
				deleteSessionCookie(cookies, locals.ctx.config.secureCookies);
				redirect(303, '/login?notice=too-many-codes');
			}
			return failWith(err, parsed.values);
		}
		setSessionCookie(cookies, signedIn.token, signedIn.session.expiresAt, locals.ctx.config.secureCookies);
		redirect(303, safeNext(url.searchParams.get('next')));
	}
};
