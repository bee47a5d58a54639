import { redirect } from '@sveltejs/kit';
import type { Actions } from './$types';
import { parseForm } from '$lib/server/forms';
import { registerSchema } from '$lib/server/accounts/account.schemas';
import { register } from '$lib/server/accounts/registration.service';
import { failWith, invalid, requestMeta } from '$lib/server/web/actions';

export const actions: Actions = {
	default: async (event) => {
		const parsed = parseForm(registerSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			await register(event.locals.ctx, parsed.data, requestMeta(event));
		} catch (err) {
			return failWith(err, parsed.values);
		}
		// The same answer whether or not the address already had an account.
		redirect(303, `/register/check-email?email=${encodeURIComponent(parsed.data.email)}`);
	}
};
