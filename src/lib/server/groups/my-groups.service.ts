/**
 * What the home page shows of a person's groups: each group they are in, with how many of its
 * discussions have posts they have not read, and, for groups they moderate, how many people
 * are waiting for a decision on their request to join. Two queries, whatever the number of
 * groups.
 */
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import type { SessionUser } from '../auth/session.ts';
import type { GroupRole } from '../db/schema.ts';

export interface MyGroup {
	slug: string;
	name: string;
	role: GroupRole;
	archived: boolean;
	lastActivityAt: Date;
	/** Discussions with posts this person has not read (including ones never opened). */
	unreadThreads: number;
	/** For owners and moderators: join requests waiting for a decision. */
	waitingRequests: number;
}

const SHOWN = 20;

export async function myGroups(ctx: AppContext, user: SessionUser): Promise<MyGroup[]> {
	const groups = await ctx.db
		.selectFrom('groupMembers as m')
		.innerJoin('groups as g', 'g.id', 'm.groupId')
		.select([
			'g.id',
			'g.slug',
			'g.name',
			'm.role',
			'g.archivedAt',
			'g.lastActivityAt',
			(eb) =>
				eb
					.selectFrom('threads as t')
					.leftJoin('threadReads as r', (join) =>
						join.onRef('r.threadId', '=', 't.id').on('r.userId', '=', user.id)
					)
					.select(sql<number>`count(*)`.as('n'))
					.whereRef('t.groupId', '=', 'g.id')
					.where(sql<boolean>`t.post_count > coalesce(r.last_read_number, 0)`)
					.as('unreadThreads'),
			(eb) =>
				eb
					.selectFrom('membershipRequests as q')
					.select(sql<number>`count(*)`.as('n'))
					.whereRef('q.groupId', '=', 'g.id')
					.where('q.status', '=', 'pending')
					.where(sql<boolean>`m.role in ('owner', 'moderator')`)
					.as('waitingRequests')
		])
		.where('m.userId', '=', user.id)
		.orderBy('g.lastActivityAt', 'desc')
		.orderBy('g.id', 'desc')
		.limit(SHOWN)
		.execute();
	return groups.map((g) => ({
		slug: g.slug,
		name: g.name,
		role: g.role,
		archived: g.archivedAt !== null,
		lastActivityAt: g.lastActivityAt,
		unreadThreads: Number(g.unreadThreads ?? 0),
		waitingRequests: Number(g.waitingRequests ?? 0)
	}));
}
