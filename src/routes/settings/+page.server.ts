import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { parseForm } from '$lib/server/forms';
import { profileSchema } from '$lib/server/accounts/account.schemas';
import { getOwnProfile, updateProfile } from '$lib/server/accounts/profile.service';
import { failWith, invalid } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals }) => {
	const profile = await getOwnProfile(locals.ctx, locals.user!.id);
	return {
		profile: {
			displayName: profile.displayName,
			jobTitle: profile.jobTitle ?? '',
			bio: profile.bio ?? '',
			email: profile.email,
			kind: profile.kind,
			organisationName: profile.organisationName,
			twoFactorEnabled: profile.totpEnabledAt !== null
		},
		userId: locals.user!.id
	};
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const parsed = parseForm(profileSchema, await request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			await updateProfile(locals.ctx, locals.user!.id, parsed.data);
		} catch (err) {
			return failWith(err, parsed.values);
		}
		redirect(303, '/settings?notice=profile-saved');
	}
};
