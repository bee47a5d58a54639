import { redirect } from '@sveltejs/kit';
import type { Actions } from './$types';
import { parseForm } from '$lib/server/forms';
import { emailOnlySchema } from '$lib/server/accounts/account.schemas';
import { requestPasswordReset } from '$lib/server/accounts/password.service';
import { failWith, invalid, requestMeta } from '$lib/server/web/actions';

export const actions: Actions = {
	default: async (event) => {
		const parsed = parseForm(emailOnlySchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			await requestPasswordReset(event.locals.ctx, parsed.data.email, requestMeta(event));
		} catch (err) {
			return failWith(err, parsed.values);
		}
		redirect(303, `/reset-password?sent=${encodeURIComponent(parsed.data.email)}`);
	}
};
