import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getProfile } from '$lib/server/accounts/profile.service';
import { DomainError } from '$lib/server/errors';
import { formatDate } from '$lib/server/format';

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
			// Groups in common arrive with groups.
			groupsInCommon: [] as Array<{ slug: string; name: string }>,
			isSelf: profile.id === locals.user!.id
		};
	} catch (err) {
		if (err instanceof DomainError && err.code === 'not_found') error(404, 'Page not found');
		throw err;
	}
};
