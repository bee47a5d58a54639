import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { parseForm } from '$lib/server/forms';
import { enrolTwoFactorSchema } from '$lib/server/accounts/account.schemas';
import { enableTwoFactor, remainingRecoveryCodes } from '$lib/server/accounts/two-factor.service';
import { formatTotpKey, generateTotpKey, totpQrSvg } from '$lib/server/auth/totp';
import { DomainError, HTTP_STATUS } from '$lib/server/errors';
import { requestMeta } from '$lib/server/web/actions';

function enrolment(key: Uint8Array, email: string) {
	return {
		key: Buffer.from(key).toString('base64'),
		manualKey: formatTotpKey(key),
		qrSvg: totpQrSvg(key, email)
	};
}

export const load: PageServerLoad = async ({ locals }) => {
	const user = locals.user!;
	if (user.twoFactorEnabled) {
		return { enabled: true as const, remaining: await remainingRecoveryCodes(locals.ctx, user.id) };
	}
	// A fresh key each time the page opens; it is kept only once a code proves the app has it.
	return { enabled: false as const, enrolment: enrolment(generateTotpKey(), user.email) };
};

export const actions: Actions = {
	enable: async (event) => {
		const { locals } = event;
		const user = locals.user!;
		const form = await event.request.formData();
		const parsed = parseForm(enrolTwoFactorSchema, form);
		const keyField = String(form.get('key') ?? '');
		const key = /^[A-Za-z0-9+/=]{20,64}$/.test(keyField)
			? new Uint8Array(Buffer.from(keyField, 'base64'))
			: generateTotpKey();
		// Keep the same key on a failed attempt, so the app the person just set up still matches.
		const again = key.length === 20 ? enrolment(key, user.email) : enrolment(generateTotpKey(), user.email);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, enrolment: again, recoveryCodes: null });
		try {
			const codes = await enableTwoFactor(
				locals.ctx,
				user,
				locals.session!,
				key,
				parsed.data.code,
				requestMeta(event)
			);
			return { errors: {}, enrolment: null, recoveryCodes: codes };
		} catch (err) {
			if (err instanceof DomainError) {
				return fail(HTTP_STATUS[err.code], {
					errors: { [err.field ?? 'form']: err.message },
					enrolment: again,
					recoveryCodes: null
				});
			}
			throw err;
		}
	}
};
