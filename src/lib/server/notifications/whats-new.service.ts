/**
 * "What's new" on the home page: the discussions in a person's groups with posts they have not
 * read (those never opened included), latest activity first, keyset-paged, leaving out what
 * they muted (the thread, or the group unless they chose a level for the thread). Only groups
 * they belong to, through the policy's `readableGroupIds`; and the newest event id, from which
 * the page follows its groups live.
 */
import { sql, type Kysely } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import { readableGroupIds } from '../policy/group.access.ts';
import { pageOf, threadPath } from '../discussions/thread-paths.ts';

export const WHATS_NEW_PER_PAGE = 20;
/** The groups whose channels the home page follows live (the hub allows 100 per connection). */
export const LIVE_GROUPS = 50;

export interface WhatsNewItem {
	id: number;
	title: string;
	/** The first unread post, or the thread when none has been read. */
	href: string;
	group: string;
	unread: number;
	/** Never opened. */
	isNew: boolean;
	lastPosterName: string | null;
	lastPostAt: Date;
}

export interface WhatsNewCursor {
	lastPostAt: Date;
	id: number;
}

/** "1733568000000_42" → a cursor; anything else → none. */
export function whatsNewCursor(value: string | null): WhatsNewCursor | undefined {
	const match = /^(\d{1,15})_(\d{1,15})$/.exec(value ?? '');
	if (!match) return undefined;
	const lastPostAt = new Date(Number(match[1]));
	return Number.isNaN(lastPostAt.getTime()) ? undefined : { lastPostAt, id: Number(match[2]) };
}

export async function whatsNew(
	ctx: AppContext,
	user: SessionUser,
	after?: WhatsNewCursor
): Promise<{ items: WhatsNewItem[]; next: string | null; groupIds: number[]; since: number }> {
	let query = ctx.db
		.selectFrom('threads')
		.innerJoin('groupMembers', (join) =>
			join.onRef('groupMembers.groupId', '=', 'threads.groupId').on('groupMembers.userId', '=', user.id)
		)
		.innerJoin('groups', 'groups.id', 'threads.groupId')
		.leftJoin('threadReads', (join) =>
			join.onRef('threadReads.threadId', '=', 'threads.id').on('threadReads.userId', '=', user.id)
		)
		// Through the policy's door (joined before the alias below, which its types cannot take).
		.where((eb) => eb('threads.groupId', 'in', readableGroupIds(eb, user)))
		.leftJoin('users as lastPoster', 'lastPoster.id', 'threads.lastPosterId')
		.select([
			'threads.id',
			'threads.title',
			'threads.postCount',
			'threads.lastPostAt',
			'groups.slug',
			'groups.name as groupName',
			'threadReads.lastReadNumber',
			'lastPoster.displayName as lastPosterName'
		])
		.where(sql<boolean>`threads.post_count > coalesce(thread_reads.last_read_number, 0)`)
		.where(
			sql<boolean>`coalesce(
				(select tf.level from thread_follows tf where tf.user_id = ${user.id} and tf.thread_id = threads.id),
				(select gf.level from group_follows gf where gf.user_id = ${user.id} and gf.group_id = threads.group_id),
				'normal') <> 'muted'`
		)
		.orderBy('threads.lastPostAt', 'desc')
		.orderBy('threads.id', 'desc')
		.limit(WHATS_NEW_PER_PAGE + 1);
	if (after) {
		query = query.where((eb) =>
			eb.or([
				eb('threads.lastPostAt', '<', after.lastPostAt),
				eb.and([eb('threads.lastPostAt', '=', after.lastPostAt), eb('threads.id', '<', after.id)])
			])
		);
	}
	// A later page is not followed live: only the first reads what following needs. The event
	// id is read first: anything written after it is replayed, even if the rows saw it too.
	const since = after ? 0 : await latestEventId(ctx.db);
	const [rows, groups] = await Promise.all([
		query.execute(),
		after
			? []
			: ctx.db
					.selectFrom('groupMembers')
					.innerJoin('groups', 'groups.id', 'groupMembers.groupId')
					.select('groups.id')
					.where('groupMembers.userId', '=', user.id)
					.orderBy('groups.lastActivityAt', 'desc')
					.limit(LIVE_GROUPS)
					.execute()
	]);
	const page = rows.slice(0, WHATS_NEW_PER_PAGE);
	const last = rows.length > WHATS_NEW_PER_PAGE ? page.at(-1) : undefined;
	return {
		items: page.map((r) => {
			const read = r.lastReadNumber ?? 0;
			const path = threadPath(r.slug, r);
			return {
				id: r.id,
				title: r.title,
				href: read === 0 ? path : `${path}?page=${pageOf(read + 1)}#post-number-${read + 1}`,
				group: r.groupName,
				unread: r.postCount - read,
				isNew: r.lastReadNumber === null,
				lastPosterName: r.lastPosterName,
				lastPostAt: r.lastPostAt
			};
		}),
		next: last ? `${last.lastPostAt.getTime()}_${last.id}` : null,
		groupIds: groups.map((g) => g.id),
		since
	};
}

/**
 * The newest event id of all: ids rise in commit order across every channel, so following each
 * group's channel from it misses nothing written after the page was read.
 */
async function latestEventId(db: Kysely<Database>): Promise<number> {
	const row = await db
		.selectFrom('events')
		.select((eb) => eb.fn.max('events.id').as('max'))
		.executeTakeFirst();
	return Number(row?.max ?? 0);
}
