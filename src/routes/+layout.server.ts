import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	const { user, session } = locals;
	const signedIn = !!user && !!session && (!user.twoFactorEnabled || session.twoFactorVerified);
	return {
		viewer: user
			? {
					id: user.id,
					displayName: user.displayName,
					isAdmin: user.isAdmin,
					kind: user.kind,
					signedIn: signedIn && user.emailVerified
				}
			: null
	};
};
