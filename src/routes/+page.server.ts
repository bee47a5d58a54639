import type { PageServerLoad } from './$types';
import { myGroups } from '$lib/server/groups/my-groups.service';
import { recentPractice } from '$lib/server/practice/practice-list.service';
import { reviewQueue } from '$lib/server/practice/practice-queues.service';
import { formatDate, formatDateTime } from '$lib/format';
import { whatsNew, whatsNewCursor } from '$lib/server/notifications/whats-new.service';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { ctx } = locals;
	const user = locals.user!;
	const after = whatsNewCursor(url.searchParams.get('after'));
	const [organisation, invitations, groups, practice, queue, fresh] = await Promise.all([
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
		reviewQueue(ctx, user),
		whatsNew(ctx, user, after)
	]);
	return {
		whatsNew: {
			items: fresh.items.map(({ lastPostAt, ...item }) => ({
				...item,
				lastPost: formatDateTime(lastPostAt)
			})),
			next: fresh.next ? `/?after=${fresh.next}` : null,
			paged: after !== undefined,
			live: after === undefined ? { groupIds: fresh.groupIds, since: fresh.since } : null
		},
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
