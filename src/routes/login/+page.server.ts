import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { parseForm } from '$lib/server/forms';
import { signInSchema } from '$lib/server/accounts/account.schemas';
import { signIn } from '$lib/server/accounts/sign-in.service';
import { invalidateSession } from '$lib/server/auth/session';
import { failWith, invalid, requestMeta, safeNext } from '$lib/server/web/actions';
import { setSessionCookie } from '$lib/server/auth/session-cookie';

export const load: PageServerLoad = async ({ locals }) => {
	const row = await locals.ctx.db
		.selectFrom('organisations')
		.select((eb) => eb.fn.countAll<number>().as('count'))
		.executeTakeFirstOrThrow();
	return { organisationCount: Number(row.count) };
};

export const actions: Actions = {
	default: async (event) => {
		const { request, locals, cookies, url } = event;
		const parsed = parseForm(signInSchema, await request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		let result;
		try {
			result = await signIn(locals.ctx, parsed.data, requestMeta(event));
		} catch (err) {
			return failWith(err, parsed.values);
		}
		// A new session at every sign-in: whatever this browser held before ends now.
		if (locals.session) await invalidateSession(locals.ctx.db, locals.session.id);
		setSessionCookie(cookies, result.token, result.session.expiresAt, locals.ctx.config.secureCookies);
		const next = safeNext(url.searchParams.get('next'));
		if (result.needsTwoFactor)
			redirect(303, `/login/two-factor${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`);
		redirect(303, next);
	}
};
