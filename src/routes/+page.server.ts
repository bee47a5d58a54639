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
	return {
		displayName: user.displayName,
		kind: user.kind,
		organisationName: organisation?.name ?? null,
		needsTwoFactor: user.isAdmin && !user.twoFactorEnabled
	};
};
