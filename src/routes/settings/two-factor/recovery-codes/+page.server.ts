import type { Actions, PageServerLoad } from './$types';
import { parseForm } from '$lib/server/forms';
import { passwordAndCodeSchema } from '$lib/server/accounts/account.schemas';
import { regenerateRecoveryCodes } from '$lib/server/accounts/two-factor.service';
import { failWith, invalid, requestMeta } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals, url }) => ({
	enabled: locals.user!.twoFactorEnabled,
	low: url.searchParams.get('low') === '1'
});

export const actions: Actions = {
	default: async (event) => {
		const parsed = parseForm(passwordAndCodeSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			return {
				codes: await regenerateRecoveryCodes(
					event.locals.ctx,
					event.locals.user!,
					parsed.data,
					requestMeta(event)
				)
			};
		} catch (err) {
			return failWith(err, parsed.values);
		}
	}
};
