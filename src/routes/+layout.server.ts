import type { LayoutServerLoad } from './$types';
import { unreadSummary } from '$lib/server/notifications/notification-list.service';

export const load: LayoutServerLoad = async ({ locals, url }) => {
	// Asked again on every navigation (not only a full load), so the header's count is current.
	void url.pathname;
	const { user, session } = locals;
	const signedIn = !!user && !!session && (!user.twoFactorEnabled || session.twoFactorVerified);
	const fully = signedIn && !!user?.emailVerified;
	return {
		viewer: user
			? {
					id: user.id,
					displayName: user.displayName,
					isAdmin: user.isAdmin,
					kind: user.kind,
					signedIn: fully,
					// The header's count, and where its live updates resume from.
					notifications: fully ? await unreadSummary(locals.ctx.db, user) : null
				}
			: null
	};
};
