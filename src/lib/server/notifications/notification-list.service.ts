/**
 * Reading notifications: the list, the unread count and opening one. The policy is asked again
 * every time a notification is shown, not only when it was written: one about a thread in a
 * group the person has left (or that has moved out of their reach), or about a post hidden or
 * deleted since, is neither listed nor counted, and cannot be opened.
 */
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import { DomainError } from '../errors.ts';
import { moderatedGroupIds, readableGroupIds } from '../policy/group.access.ts';
import { readable } from '../policy/practice.access.ts';
import { tablesOf } from '../db/subquery.ts';
import { lastEventIdOf } from '../events/replay.ts';
import { formatDateTime } from '../../format.ts';
import type { NotificationKind } from './notify.ts';

export const NOTIFICATIONS_PER_PAGE = 30;
/** Beyond this the header says "99+": counting further would cost every page. */
export const UNREAD_CAP = 99;

type From = 'notifications' | 'threads' | 'posts' | 'groups' | 'practices';

/** The notifications this person may still be shown, as a condition on the joined rows. */
function stillVisible(eb: ExpressionBuilder<Database, From>, user: SessionUser) {
	return eb.and([
		eb('notifications.userId', '=', user.id),
		eb.or([
			eb('notifications.threadId', 'is', null),
			eb('threads.groupId', 'in', readableGroupIds(eb, user))
		]),
		eb.or([
			eb('notifications.postId', 'is', null),
			eb.and([eb('posts.hiddenAt', 'is', null), eb('posts.deletedAt', 'is', null)])
		]),
		eb.or([
			eb('notifications.kind', '!=', 'join_request'),
			eb('notifications.groupId', 'in', moderatedGroupIds(eb, user))
		]),
		eb.or([
			eb('notifications.practiceId', 'is', null),
			eb(
				'notifications.practiceId',
				'in',
				tablesOf(eb)
					.selectFrom('practices as p')
					.select('p.id')
					.where((w) => readable(w, user))
			)
		])
	]);
}

function visibleNotifications(db: Kysely<Database>, user: SessionUser) {
	return db
		.selectFrom('notifications')
		.leftJoin('threads', 'threads.id', 'notifications.threadId')
		.leftJoin('posts', 'posts.id', 'notifications.postId')
		.leftJoin('practices', 'practices.id', 'notifications.practiceId')
		.leftJoin('groups', (join) =>
			join.on((eb) => eb('groups.id', '=', eb.fn.coalesce('threads.groupId', 'notifications.groupId')))
		)
		.where((eb) => stillVisible(eb, user));
}

/** The notifications this person may still be shown, with what a sentence about each needs. */
export function describedNotifications(db: Kysely<Database>, user: SessionUser) {
	return visibleNotifications(db, user)
		.leftJoin('users as actor', 'actor.id', 'notifications.actorId')
		.select([
			'notifications.id',
			'notifications.kind',
			'notifications.createdAt',
			'notifications.readAt',
			'notifications.threadId',
			'notifications.data',
			'actor.displayName as actorName',
			'threads.title as threadTitle',
			'groups.name as groupName',
			'groups.emailWithoutContent',
			'posts.helpfulCount',
			'notifications.practiceId',
			(eb) =>
				eb
					.selectFrom('practiceVersions')
					.select('practiceVersions.title')
					.whereRef(
						'practiceVersions.id',
						'=',
						eb.fn.coalesce('practices.workingVersionId', 'practices.publishedVersionId')
					)
					.as('practiceTitle')
		]);
}

/** The unread count (at most UNREAD_CAP + 1) and the last event on the person's own channel. */
export async function unreadSummary(
	db: Kysely<Database>,
	user: SessionUser
): Promise<{ unread: number; last: number }> {
	const row = await db
		.selectNoFrom((eb) => [
			eb
				.selectFrom(
					visibleNotifications(db, user)
						.select(sql`1`.as('one'))
						.where('notifications.readAt', 'is', null)
						.limit(UNREAD_CAP + 1)
						.as('unread')
				)
				.select((c) => c.fn.countAll<number>().as('n'))
				.as('unread'),
			lastEventIdOf(eb, `user:${user.id}`).as('last')
		])
		.executeTakeFirstOrThrow();
	return { unread: Number(row.unread ?? 0), last: Number(row.last ?? 0) };
}

export interface NotificationItem {
	/** The newest notification in the item (several may be grouped). */
	id: number;
	/** Every notification the item stands for: opening it marks them all read. */
	count: number;
	text: string;
	/** Where the item is about: a group and thread, shown under the text. */
	context: string | null;
	when: string;
	unread: boolean;
}

export interface DescribedRow {
	id: number;
	kind: string;
	createdAt: Date;
	readAt: Date | null;
	actorName: string | null;
	threadId: number | null;
	threadTitle: string | null;
	groupName: string | null;
	emailWithoutContent: boolean | null;
	helpfulCount: number | null;
	practiceId: number | null;
	practiceTitle: string | null;
	data: Record<string, unknown>;
}

const ROLE_NAMES: Record<string, string> = {
	owner: 'an owner',
	moderator: 'a moderator',
	member: 'a member'
};

/** What a notification says, as one sentence of plain text (`count`: replies grouped). */
export function sentence(row: DescribedRow, count = 1): string {
	const who = row.actorName ?? 'A former member';
	const thread = `“${row.threadTitle ?? ''}”`;
	const group = row.groupName ?? 'a group';
	switch (row.kind as NotificationKind) {
		case 'mention':
			return `${who} mentioned you in ${thread}`;
		case 'quote':
			return `${who} quoted your post in ${thread}`;
		case 'reply':
			return `${who} replied to your thread ${thread}`;
		case 'watching_post':
			return count > 1 ? `${count} new replies in ${thread}` : `${who} replied in ${thread}`;
		case 'watching_thread':
			return `${who} started a new thread, ${thread}`;
		case 'helpful': {
			const people = row.helpfulCount ?? 1;
			return people > 1
				? `${people} people found your post in ${thread} helpful`
				: `${who} found your post in ${thread} helpful`;
		}
		case 'answer':
			return `${who} chose your post as the answer in ${thread}`;
		case 'join_request':
			return `${who} asked to join ${group}`;
		case 'request_approved':
			return `Your request to join ${group} was approved`;
		case 'request_declined': {
			const reason =
				typeof row.data.reason === 'string' && row.data.reason ? ` The reason given: ${row.data.reason}` : '';
			return `Your request to join ${group} was declined.${reason}`;
		}
		case 'invitation':
			return `${who} invited you to join ${group}`;
		case 'role_changed':
			return `You are now ${ROLE_NAMES[String(row.data.role)] ?? 'a member'} of ${group}`;
		case 'practice_submitted':
			return `${who} sent “${row.practiceTitle ?? ''}” for review`;
		case 'practice_returned':
			return `${who} returned “${row.practiceTitle ?? ''}” with comments`;
		case 'practice_published':
			return `${who} published “${row.practiceTitle ?? ''}”`;
		case 'practice_archived':
			return `${who} archived “${row.practiceTitle ?? ''}”`;
		case 'practice_topic':
			return `New good practice in a topic you follow: “${row.practiceTitle ?? ''}”`;
		case 'file_quarantined':
			return `A file in “${String(row.data.title ?? '')}” in ${row.groupName ?? 'the site library'} contains a virus (${String(row.data.signature ?? 'unknown')}). It was quarantined: nobody can download it`;
		default:
			return 'Something changed';
	}
}

/**
 * A page of notifications, newest first, `before` an id (keyset paging). Unread replies in
 * the same watched thread that follow one another are grouped: "5 new replies in …".
 */
export async function listNotifications(
	ctx: AppContext,
	user: SessionUser,
	before?: number
): Promise<{ items: NotificationItem[]; older: number | null; newest: number | null }> {
	let query = describedNotifications(ctx.db, user)
		.orderBy('notifications.id', 'desc')
		.limit(NOTIFICATIONS_PER_PAGE + 1);
	if (before !== undefined) query = query.where('notifications.id', '<', before);
	const rows = (await query.execute()) as DescribedRow[];
	const more = rows.length > NOTIFICATIONS_PER_PAGE;
	const page = rows.slice(0, NOTIFICATIONS_PER_PAGE);
	const items: NotificationItem[] = [];
	for (let i = 0; i < page.length;) {
		const row = page[i]!;
		let count = 1;
		if (row.kind === 'watching_post' && !row.readAt) {
			while (
				i + count < page.length &&
				page[i + count]!.kind === 'watching_post' &&
				!page[i + count]!.readAt &&
				page[i + count]!.threadId === row.threadId
			)
				count++;
		}
		items.push({
			// Opening a group of replies goes to the first of them.
			id: page[i + count - 1]!.id,
			count,
			text: sentence(row, count),
			context: row.threadId ? row.groupName : null,
			when: formatDateTime(row.createdAt),
			unread: !row.readAt
		});
		i += count;
	}
	return {
		items,
		older: more ? page[page.length - 1]!.id : null,
		newest: before === undefined ? (page[0]?.id ?? null) : null
	};
}

/**
 * Opens one notification: marks it read (with, for replies in a watched thread, the others
 * unread in that thread) and says where to go. "Not found" when it is not this person's, or
 * they may no longer see what it is about.
 */
export async function openNotification(ctx: AppContext, user: SessionUser, id: number): Promise<string> {
	const row = await visibleNotifications(ctx.db, user)
		.select([
			'notifications.id',
			'notifications.kind',
			'notifications.threadId',
			'notifications.postId',
			'notifications.practiceId',
			'notifications.data',
			'groups.slug'
		])
		.where('notifications.id', '=', id)
		.executeTakeFirst();
	// Every notice is about a group or an entry, but a file in the site library.
	if (!row || (!row.slug && !row.practiceId && row.kind !== 'file_quarantined'))
		throw new DomainError('not_found', 'This notification is no longer available.');
	const now = ctx.now();
	let mark = ctx.db
		.updateTable('notifications')
		.set({ readAt: now })
		.where('userId', '=', user.id)
		.where('readAt', 'is', null);
	mark =
		row.kind === 'watching_post' && row.threadId
			? mark.where((eb) =>
					eb.or([
						eb('id', '=', row.id),
						eb.and([eb('kind', '=', 'watching_post'), eb('threadId', '=', row.threadId!)])
					])
				)
			: mark.where('id', '=', row.id);
	await mark.execute();
	if (row.kind === 'practice_submitted') return '/practice/review';
	if (row.practiceId) return `/practice/${row.practiceId}`;
	if (row.postId) return `/groups/${row.slug}/p/${row.postId}`;
	if (row.kind === 'join_request') return `/groups/${row.slug}/manage`;
	const documentId = (row.data as Record<string, unknown>).documentId;
	if (row.kind === 'file_quarantined' && typeof documentId === 'number')
		return `${row.slug ? `/groups/${row.slug}` : ''}/library/${documentId}`;
	return `/groups/${row.slug}`;
}

/** Marks read everything up to the newest the person was shown (later ones stay unread). */
export async function markAllRead(ctx: AppContext, user: SessionUser, upTo: number): Promise<number> {
	const result = await ctx.db
		.updateTable('notifications')
		.set({ readAt: ctx.now() })
		.where('userId', '=', user.id)
		.where('readAt', 'is', null)
		.where('id', '<=', upTo)
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}
