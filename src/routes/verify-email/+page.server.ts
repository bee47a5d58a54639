import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { resendVerification } from '$lib/server/accounts/registration.service';
import { failWith } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals }) => ({ email: locals.user!.email });

export const actions: Actions = {
	default: async ({ locals }) => {
		try {
			await resendVerification(locals.ctx, locals.user!.id);
		} catch (err) {
			return failWith(err, {});
		}
		redirect(303, '/verify-email?notice=verification-sent');
	}
};
