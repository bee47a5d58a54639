import type { PageServerLoad } from './$types';
import { myGroups } from '$lib/server/groups/my-groups.service';
import { recentPractice } from '$lib/server/practice/practice-list.service';
import { reviewQueue } from '$lib/server/practice/practice-queues.service';
import { formatDate } from '$lib/format';

export const load: PageServerLoad = async ({ locals }) => {
	const { ctx } = locals;
	const user = locals.user!;
	const [organisation, invitations, groups, practice, queue] = await Promise.all([
		user.organisationId
			? ctx.db
					.selectFrom('organisations')
					.select('name')
					.where('id', '=', user.organisationId)
					.executeTakeFirst()
			: undefined,
		// Invitations wait for the address, so someone who registers after being invited sees them here.
		ctx.db
			.selectFrom('invitations')
			.innerJoin('groups', 'groups.id', 'invitations.groupId')
			.select(['groups.slug', 'groups.name'])
			.where('invitations.email', '=', user.email)
			.where('invitations.status', '=', 'pending')
			.where('invitations.expiresAt', '>', ctx.now())
			.where('groups.archivedAt', 'is', null)
			.orderBy('invitations.createdAt', 'desc')
			.limit(20)
			.execute(),
		myGroups(ctx, user),
		recentPractice(ctx, user),
		reviewQueue(ctx, user)
	]);
	return {
		invitations,
		groups: groups.map((g) => ({ ...g, lastActivity: formatDate(g.lastActivityAt) })),
		practice: practice.map((p) => ({ ...p, published: formatDate(p.publishedAt) })),
		toReview: queue.items.length,
		displayName: user.displayName,
		kind: user.kind,
		organisationName: organisation?.name ?? null,
		needsTwoFactor: user.isAdmin && !user.twoFactorEnabled
	};
};
