import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getProfile, groupsInCommon } from '$lib/server/accounts/profile.service';
import { DomainError } from '$lib/server/errors';
import { formatDate } from '$lib/format';

export const load: PageServerLoad = async ({ locals, params }) => {
	try {
		const profile = await getProfile(locals.ctx, params.id);
		return {
			profile: {
				id: profile.id,
				displayName: profile.displayName,
				jobTitle: profile.jobTitle,
				bio: profile.bio,
				kind: profile.kind,
				organisationName: profile.organisationName,
				memberSince: formatDate(profile.memberSince),
				suspended: profile.suspended
			},
			groupsInCommon:
				profile.id === locals.user!.id ? [] : await groupsInCommon(locals.ctx, locals.user!.id, profile.id),
			isSelf: profile.id === locals.user!.id
		};
	} catch (err) {
		if (err instanceof DomainError && err.code === 'not_found') error(404, 'Page not found');
		throw err;
	}
};
