import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { parseForm } from '$lib/server/forms';
import { registerSchema } from '$lib/server/accounts/account.schemas';
import { completeSetup, setupTokenState } from '$lib/server/accounts/admin.service';
import { tokenMessage } from '$lib/server/accounts/registration.service';
import { failWith, invalid, requestMeta } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals, params }) => {
	const state = await setupTokenState(locals.ctx, params.token);
	return { problem: state === 'valid' ? null : tokenMessage(state) };
};

export const actions: Actions = {
	default: async (event) => {
		const parsed = parseForm(registerSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			await completeSetup(event.locals.ctx, event.params.token, parsed.data, requestMeta(event));
		} catch (err) {
			return failWith(err, parsed.values);
		}
		redirect(303, '/login?notice=setup-done');
	}
};
