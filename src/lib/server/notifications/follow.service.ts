/**
 * How closely a member follows a thread or a group: Watching (every new post, or every new
 * thread), Normal (only what is addressed to them) or Muted (nothing, and left out of
 * "What's new"). Only someone who may read the thread or group's discussions may choose.
 */
import type { AppContext } from '../context.ts';
import type { FollowLevel } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import { DomainError } from '../errors.ts';
import { findGroup } from '../policy/group.access.ts';
import { loadThread } from '../discussions/thread.service.ts';

export const FOLLOW_LEVELS: readonly FollowLevel[] = ['watching', 'normal', 'muted'];

export function followLevel(value: unknown): FollowLevel {
	if (typeof value === 'string' && (FOLLOW_LEVELS as readonly string[]).includes(value))
		return value as FollowLevel;
	throw new DomainError('invalid', 'Choose Watching, Normal or Muted.', 'level');
}

export async function groupLevel(ctx: AppContext, userId: string, groupId: number): Promise<FollowLevel> {
	const row = await ctx.db
		.selectFrom('groupFollows')
		.select('level')
		.where('userId', '=', userId)
		.where('groupId', '=', groupId)
		.executeTakeFirst();
	return row?.level ?? 'normal';
}

export async function setThreadLevel(
	ctx: AppContext,
	user: SessionUser,
	groupSlug: string,
	threadId: number,
	level: FollowLevel
): Promise<void> {
	const { thread } = await loadThread(ctx, user, groupSlug, threadId, 'read_threads');
	await ctx.db
		.insertInto('threadFollows')
		.values({ userId: user.id, threadId: thread.id, level, updatedAt: ctx.now() })
		.onConflict((oc) => oc.columns(['userId', 'threadId']).doUpdateSet({ level, updatedAt: ctx.now() }))
		.execute();
}

export async function setGroupLevel(
	ctx: AppContext,
	user: SessionUser,
	groupSlug: string,
	level: FollowLevel
): Promise<void> {
	const access = await findGroup(ctx.db, user, groupSlug, 'read_threads', ctx.now());
	await ctx.db
		.insertInto('groupFollows')
		.values({ userId: user.id, groupId: access.group.id, level, updatedAt: ctx.now() })
		.onConflict((oc) => oc.columns(['userId', 'groupId']).doUpdateSet({ level, updatedAt: ctx.now() }))
		.execute();
}

/** The library's topics, each with whether this person follows it. */
export async function topicsFollowed(
	ctx: AppContext,
	userId: string
): Promise<Array<{ id: number; name: string; followed: boolean }>> {
	const rows = await ctx.db
		.selectFrom('practiceTopics')
		.leftJoin('topicFollows', (join) =>
			join.onRef('topicFollows.topicId', '=', 'practiceTopics.id').on('topicFollows.userId', '=', userId)
		)
		.select(['practiceTopics.id', 'practiceTopics.name', 'topicFollows.userId as follower'])
		.where('practiceTopics.retiredAt', 'is', null)
		.orderBy('practiceTopics.name')
		.execute();
	return rows.map((r) => ({ id: r.id, name: r.name, followed: r.follower !== null }));
}

/**
 * The topics a person follows, replaced as a whole (a form of checkboxes). Only topics that
 * exist and are in use; anything else is refused and nothing changes.
 */
export async function setTopicsFollowed(ctx: AppContext, user: SessionUser, values: string[]): Promise<void> {
	if (values.length > 200 || values.some((v) => !/^\d{1,9}$/.test(v)))
		throw new DomainError('invalid', 'Choose topics from the list.', 'topics');
	const ids = [...new Set(values.map(Number))];
	const known = ids.length
		? await ctx.db
				.selectFrom('practiceTopics')
				.select('id')
				.where('id', 'in', ids)
				.where('retiredAt', 'is', null)
				.execute()
		: [];
	if (known.length !== ids.length) throw new DomainError('invalid', 'Choose topics from the list.', 'topics');
	await ctx.db.transaction().execute(async (trx) => {
		await trx.deleteFrom('topicFollows').where('userId', '=', user.id).execute();
		if (ids.length)
			await trx
				.insertInto('topicFollows')
				.values(ids.map((topicId) => ({ userId: user.id, topicId, createdAt: ctx.now() })))
				.execute();
	});
}
