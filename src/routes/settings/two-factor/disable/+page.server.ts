import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { parseForm } from '$lib/server/forms';
import { passwordAndCodeSchema } from '$lib/server/accounts/account.schemas';
import { disableTwoFactor } from '$lib/server/accounts/two-factor.service';
import { failWith, invalid, requestMeta } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user!.twoFactorEnabled) redirect(303, '/settings/two-factor');
	return { isAdmin: locals.user!.isAdmin };
};

export const actions: Actions = {
	default: async (event) => {
		const parsed = parseForm(passwordAndCodeSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			await disableTwoFactor(event.locals.ctx, event.locals.user!, parsed.data, requestMeta(event));
		} catch (err) {
			return failWith(err, parsed.values);
		}
		redirect(303, '/settings?notice=two-factor-off');
	}
};
