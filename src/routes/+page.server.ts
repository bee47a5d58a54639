import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const user = locals.user!;
	const organisation = user.organisationId
		? await locals.ctx.db
				.selectFrom('organisations')
				.select('name')
				.where('id', '=', user.organisationId)
				.executeTakeFirst()
		: undefined;
	// Invitations wait for the address, so someone who registers after being invited sees them here.
	const invitations = await locals.ctx.db
		.selectFrom('invitations')
		.innerJoin('groups', 'groups.id', 'invitations.groupId')
		.select(['groups.slug', 'groups.name'])
		.where('invitations.email', '=', user.email)
		.where('invitations.status', '=', 'pending')
		.where('invitations.expiresAt', '>', locals.ctx.now())
		.where('groups.archivedAt', 'is', null)
		.orderBy('invitations.createdAt', 'desc')
		.limit(20)
		.execute();
	return {
		invitations,
		displayName: user.displayName,
		kind: user.kind,
		organisationName: organisation?.name ?? null,
		needsTwoFactor: user.isAdmin && !user.twoFactorEnabled
	};
};
