import type { Actions, PageServerLoad } from './$types';
import { regenerateRecoveryCodes } from '$lib/server/accounts/two-factor.service';
import { failWith, requestMeta } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals, url }) => ({
	enabled: locals.user!.twoFactorEnabled,
	low: url.searchParams.get('low') === '1'
});

export const actions: Actions = {
	default: async (event) => {
		try {
			return {
				codes: await regenerateRecoveryCodes(event.locals.ctx, event.locals.user!, requestMeta(event))
			};
		} catch (err) {
			return failWith(err, {});
		}
	}
};
