import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getUserForAdmin } from '$lib/server/accounts/admin.service';
import { DomainError } from '$lib/server/errors';
import { formatDate, formatDateTime } from '$lib/server/format';

export const load: PageServerLoad = async ({ locals, params }) => {
	try {
		const u = await getUserForAdmin(locals.ctx, params.id);
		return {
			account: {
				id: u.id,
				email: u.email,
				displayName: u.displayName,
				jobTitle: u.jobTitle,
				kind: u.kind,
				status: u.status,
				isAdmin: u.isAdmin,
				organisationName: u.organisationName,
				suspendedAt: u.suspendedAt ? formatDateTime(u.suspendedAt) : null,
				suspendedReason: u.suspendedReason,
				emailVerified: u.emailVerifiedAt !== null,
				twoFactor: u.totpEnabledAt !== null,
				createdAt: formatDate(u.createdAt)
			},
			isSelf: u.id === locals.user!.id
		};
	} catch (err) {
		if (err instanceof DomainError && err.code === 'not_found') error(404, 'Page not found');
		throw err;
	}
};
