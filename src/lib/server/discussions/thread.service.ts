/**
 * Threads and replies: starting, replying, reading a page, and read tracking.
 * A post and its thread's counters are written in one transaction; the thread row is
 * locked while a post takes the next number, so concurrent replies never collide.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AppContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { formatRetryAt } from '../../format.ts';
import type { SessionUser } from '../auth/session.ts';
import { hit, LIMITS } from '../auth/rate-limit.ts';
import { renderPost } from './mentions.ts';
import { publishEvent } from '../events/publish.ts';
import { notifyNewPost, quotedPostIds } from '../notifications/notify.ts';
import type { Database, FollowLevel } from '../db/schema.ts';
import {
	authorize,
	decision,
	findGroup,
	groupAccessFrom,
	groupAccessQuery,
	viewerValues,
	type ViewerValues,
	type GroupAccess
} from '../policy/group.access.ts';
import { POSTS_PER_PAGE } from './thread-paths.ts';
import { reusableQuery } from '../db/reusable-query.ts';
import { lastEventIdOf } from '../events/replay.ts';
import { inTransaction } from '../db/transaction.ts';
import { mayReadHiddenReason, mayReadPostWords, postState } from '../policy/post.policy.ts';

/** Posting limits: one post every 5 seconds, 60 an hour. A refused post keeps its text. */
async function checkPostingLimits(ctx: AppContext, user: SessionUser): Promise<void> {
	const now = ctx.now();
	if (await hit(ctx.db, `post:burst:${user.id}`, LIMITS.postBurst, now)) {
		throw new DomainError(
			'rate_limited',
			'You are posting very quickly. Wait a few seconds, then post again.',
			'body'
		);
	}
	const hourly = await hit(ctx.db, `post:hour:${user.id}`, LIMITS.postHour, now);
	if (hourly) {
		throw new DomainError(
			'rate_limited',
			`You have posted 60 times in the last hour. Post again ${formatRetryAt(hourly, now)}.`,
			'body',
			hourly
		);
	}
}

async function insertPost(
	ctx: AppContext,
	trx: Transaction<Database>,
	threadId: number,
	user: Pick<SessionUser, 'id' | 'displayName'>,
	source: string,
	now: Date
) {
	// The row lock makes this read current: concurrent replies take numbers one at a time,
	// and a thread locked since the caller checked refuses the reply here. Only the thread is
	// locked: locking the joined group row too made two new threads in one group deadlock, each
	// holding the key-share lock its own insert took on the group. FOR NO KEY UPDATE, as the
	// counters are not a key: notifications being written about the thread key-share it, and
	// must not hold a reply up (bench/RESULTS.md, notifications).
	// Lock order (db/locks.ts): the thread, then the group's counters, then the events lock.
	const thread = await trx
		.selectFrom('threads')
		.innerJoin('groups', 'groups.id', 'threads.groupId')
		.select([
			'threads.postCount',
			'threads.groupId',
			'threads.title',
			'threads.lockedAt',
			'threads.authorId',
			'groups.slug'
		])
		.select((eb) =>
			eb
				.selectFrom('users')
				.innerJoin('organisations', 'organisations.id', 'users.organisationId')
				.select('organisations.name')
				.where('users.id', '=', user.id)
				.as('authorOrganisation')
		)
		.where('threads.id', '=', threadId)
		.forNoKeyUpdate('threads')
		.executeTakeFirstOrThrow();
	if (thread.lockedAt)
		throw new DomainError(
			'conflict',
			'This thread has just been locked, so it takes no more replies.',
			'body'
		);
	const number = thread.postCount + 1;
	const { html, mentioned } = await renderPost(trx, thread.groupId, source);
	const post = await trx
		.insertInto('posts')
		.values({ threadId, number, authorId: user.id, source, html, createdAt: now })
		.returning(['id', 'number'])
		.executeTakeFirstOrThrow();
	await trx
		.updateTable('threads')
		.set({ postCount: number, lastPostAt: now, lastPosterId: user.id })
		.where('id', '=', threadId)
		.execute();
	await trx.updateTable('groups').set({ lastActivityAt: now }).where('id', '=', thread.groupId).execute();
	// The author has read what they wrote.
	await markRead(trx, user.id, threadId, number, now);
	await notifyNewPost(
		trx,
		{
			postId: post.id,
			threadId,
			groupId: thread.groupId,
			actorId: user.id,
			createdAt: now,
			number,
			threadAuthorId: thread.authorId
		},
		{ mentioned: mentioned.map((m) => m.id), quotedPostIds: quotedPostIds(source) }
	);
	await publishEvent(trx, {
		channel: `thread:${threadId}`,
		type: 'post.created',
		data: {
			id: post.id,
			number,
			html,
			authorId: user.id,
			authorName: user.displayName,
			authorOrganisation: thread.authorOrganisation,
			createdAt: now.toISOString()
		}
	});
	await publishEvent(trx, {
		channel: `group:${thread.groupId}`,
		type: number === 1 ? 'thread.created' : 'thread.activity',
		data: {
			threadId,
			title: thread.title,
			postCount: number,
			lastPosterName: user.displayName,
			lastPostAt: now.toISOString()
		}
	});
	return post;
}

export async function markRead(
	trx: Transaction<Database> | AppContext['db'],
	userId: string,
	threadId: number,
	number: number,
	now: Date
) {
	await trx
		.insertInto('threadReads')
		.values({ userId, threadId, lastReadNumber: number, updatedAt: now })
		.onConflict((oc) =>
			oc.columns(['userId', 'threadId']).doUpdateSet({
				lastReadNumber: sql`greatest(thread_reads.last_read_number, excluded.last_read_number)`,
				updatedAt: now
			})
		)
		.execute();
}

export async function startThread(
	ctx: AppContext,
	user: SessionUser,
	groupSlug: string,
	input: { title: string; body: string }
): Promise<{ id: number; title: string; firstPostId: number }> {
	const access = await findGroup(ctx.db, user, groupSlug, 'start_thread', ctx.now());
	await checkPostingLimits(ctx, user);
	const created = await inTransaction(ctx.db, (trx) =>
		createThread(ctx, trx, access.group.id, user, input, ctx.now())
	);
	ctx.jobs.kick(); // the group's watchers
	return created;
}

/** A thread and its first post, inside the caller's transaction (its events go with it). */
export async function createThread(
	ctx: AppContext,
	trx: Transaction<Database>,
	groupId: number,
	author: Pick<SessionUser, 'id' | 'displayName'>,
	input: { title: string; body: string },
	now: Date
): Promise<{ id: number; title: string; firstPostId: number }> {
	const thread = await trx
		.insertInto('threads')
		.values({
			groupId,
			authorId: author.id,
			title: input.title,
			createdAt: now,
			lastPostAt: now,
			lastPosterId: author.id
		})
		.returning(['id', 'title'])
		.executeTakeFirstOrThrow();
	const first = await insertPost(ctx, trx, thread.id, author, input.body, now);
	return { ...thread, firstPostId: first.id };
}

export interface ThreadAccess {
	access: GroupAccess;
	thread: {
		id: number;
		groupId: number;
		title: string;
		authorId: string | null;
		pinned: boolean;
		lockedAt: Date | null;
		lockReason: string | null;
		postCount: number;
		answerPostId: number | null;
	};
}

/** Refuses any change to a thread or its posts while its group is archived. */
export function assertWritable(ta: ThreadAccess) {
	if (ta.access.group.archivedAt)
		throw new DomainError('conflict', 'This group is archived, so it is read-only.');
}

/** The thread, if the viewer may read its group; "not found" otherwise. */
export async function loadThread(
	ctx: AppContext,
	user: SessionUser,
	groupSlug: string,
	threadId: number,
	action: 'read_threads' | 'reply' | 'moderate_posts' = 'read_threads'
): Promise<ThreadAccess> {
	const row = await threadQuery(ctx.db, { ...viewerValues(user, ctx.now()), threadId }).executeTakeFirst();
	return threadAccessFrom(row, user, groupSlug, action);
}

/**
 * A thread asked for under a group it is no longer in (it was moved): its own group's slug,
 * when the viewer may read it there, so old links (the thread's address, permalinks, links in
 * e-mails already sent) can be sent on; undefined for everyone else, who are told "not found".
 */
export async function movedThread(
	ctx: AppContext,
	user: SessionUser,
	groupSlug: string,
	threadId: number
): Promise<{ slug: string; title: string; id: number } | undefined> {
	const row = await threadQuery(ctx.db, { ...viewerValues(user, ctx.now()), threadId }).executeTakeFirst();
	if (!row || row.slug === groupSlug) return undefined;
	if (!decision(groupAccessFrom(row, user), 'read_threads').ok) return undefined;
	return { slug: row.slug, title: row.title, id: row.threadId };
}

/** The answer post as page 1 shows it under the first post; null when hidden or deleted. */
export interface AnswerView {
	id: number;
	number: number;
	html: string;
	authorName: string | null;
}

export interface OpenedThread extends ThreadAccess {
	/** The last post number this reader has seen (0 for none). */
	readUpTo: number;
	/** The newest live event of the thread: live updates resume from it. */
	lastEventId: number;
	answer: AnswerView | null;
	/** Whether any good-practice entry was written up from this thread. */
	hasPractice: boolean;
	/** How closely the reader follows the thread (notifications). */
	followLevel: FollowLevel;
}

/**
 * A thread opened for reading, in one query: the thread, its group and the reader's standing,
 * where the reader stopped, the newest live event, the answer post and whether the thread was
 * written up as practice. Every page view runs it, so it is one round trip, not six.
 */
export async function openThread(
	ctx: AppContext,
	user: SessionUser,
	groupSlug: string,
	threadId: number
): Promise<OpenedThread> {
	const [row] = await openThreadQuery(ctx.db, {
		...viewerValues(user, ctx.now()),
		threadId,
		channel: `thread:${threadId}`
	});
	const found = threadAccessFrom(row, user, groupSlug, 'read_threads');
	const r = row!;
	return {
		...found,
		readUpTo: Number(r.readUpTo ?? 0),
		followLevel: r.followLevel ?? 'normal',
		lastEventId: Number(r.lastEventId ?? 0),
		answer:
			r.answerId != null && r.answerNumber != null && r.answerHtml != null
				? { id: r.answerId, number: r.answerNumber, html: r.answerHtml, authorName: r.answerAuthorName }
				: null,
		hasPractice: Boolean(r.hasPractice)
	};
}

/** The thread with its group and the viewer's standing (policy/group.access's query, joined). */
function threadQuery(db: Kysely<Database>, p: ViewerValues & { threadId: number }) {
	return groupAccessQuery(db, p)
		.innerJoin('threads', 'threads.groupId', 'groups.id')
		.select([
			'threads.id as threadId',
			'threads.title',
			'threads.authorId',
			'threads.pinned',
			'threads.lockedAt',
			'threads.lockReason',
			'threads.postCount',
			'threads.answerPostId'
		])
		.where('threads.id', '=', p.threadId);
}

/** Every view of a thread runs this, so Kysely builds it once (db/reusable-query.ts). */
const openThreadQuery = reusableQuery((db, p: ViewerValues & { threadId: number; channel: string }) =>
	threadQuery(db, p)
		.leftJoin('posts as answer', (join) =>
			join
				.onRef('answer.id', '=', 'threads.answerPostId')
				.on('answer.deletedAt', 'is', null)
				.on('answer.hiddenAt', 'is', null)
		)
		.leftJoin('users as answerAuthor', 'answerAuthor.id', 'answer.authorId')
		.select((eb) => [
			'answer.id as answerId',
			'answer.number as answerNumber',
			'answer.html as answerHtml',
			'answerAuthor.displayName as answerAuthorName',
			eb
				.selectFrom('threadReads')
				.select('lastReadNumber')
				.whereRef('threadReads.threadId', '=', 'threads.id')
				.where('threadReads.userId', '=', p.userId)
				.as('readUpTo'),
			eb
				.selectFrom('threadFollows')
				.select('threadFollows.level')
				.whereRef('threadFollows.threadId', '=', 'threads.id')
				.where('threadFollows.userId', '=', p.userId)
				.as('followLevel'),
			lastEventIdOf(eb, p.channel).as('lastEventId'),
			eb
				.exists(
					eb
						.selectFrom('practices')
						.select(sql`1`.as('x'))
						.whereRef('practices.sourceThreadId', '=', 'threads.id')
				)
				.as('hasPractice')
		])
);

function threadAccessFrom(
	row: Awaited<ReturnType<ReturnType<typeof threadQuery>['executeTakeFirst']>> | undefined,
	user: SessionUser,
	groupSlug: string,
	action: 'read_threads' | 'reply' | 'moderate_posts'
): ThreadAccess {
	// A thread is found only under its own group's address.
	if (!row || row.slug !== groupSlug) throw new DomainError('not_found', 'Page not found');
	return {
		access: authorize(groupAccessFrom(row, user), action),
		thread: {
			id: row.threadId,
			groupId: row.id,
			title: row.title,
			authorId: row.authorId,
			pinned: row.pinned,
			lockedAt: row.lockedAt,
			lockReason: row.lockReason,
			postCount: row.postCount,
			answerPostId: row.answerPostId
		}
	};
}

export async function reply(
	ctx: AppContext,
	user: SessionUser,
	groupSlug: string,
	threadId: number,
	body: string
): Promise<{ id: number; number: number }> {
	const { thread } = await loadThread(ctx, user, groupSlug, threadId, 'reply');
	if (thread.lockedAt) {
		throw new DomainError(
			'conflict',
			`This thread is locked, so it takes no more replies. ${thread.lockReason ?? ''}`.trim(),
			'body'
		);
	}
	await checkPostingLimits(ctx, user);
	const post = await inTransaction(ctx.db, (trx) => insertPost(ctx, trx, thread.id, user, body, ctx.now()));
	ctx.jobs.kick(); // the thread's watchers
	return post;
}

export interface PostView {
	id: number;
	number: number;
	authorId: string | null;
	authorName: string | null;
	/** The author's force or agency: officers judge advice by where it comes from. */
	authorOrganisation: string | null;
	html: string;
	createdAt: Date;
	editedAt: Date | null;
	state: 'visible' | 'deleted' | 'hidden';
	hiddenReason: string | null;
	helpfulCount: number;
	markedHelpful: boolean;
	mine: boolean;
}

/** A page of posts with their authors and whether this reader marked each helpful; built once. */
const postsQuery = reusableQuery((db, p: { threadId: number; from: number; to: number; userId: string }) =>
	db
		.selectFrom('posts')
		.leftJoin('users', 'users.id', 'posts.authorId')
		.leftJoin('organisations', 'organisations.id', 'users.organisationId')
		.leftJoin('postHelpful', (join) =>
			join.onRef('postHelpful.postId', '=', 'posts.id').on('postHelpful.userId', '=', p.userId)
		)
		.select([
			'posts.id',
			'posts.number',
			'posts.authorId',
			'users.displayName as authorName',
			'organisations.name as authorOrganisation',
			'posts.html',
			'posts.createdAt',
			'posts.editedAt',
			'posts.deletedAt',
			'posts.hiddenAt',
			'posts.hiddenReason',
			'posts.helpfulCount',
			'postHelpful.userId as helpfulBy'
		])
		.where('posts.threadId', '=', p.threadId)
		.where('posts.number', '>=', p.from)
		.where('posts.number', '<', p.to)
		.orderBy('posts.number')
		// The limit tells the planner it is 20 rows, not hundreds (bench/RESULTS.md).
		.limit(POSTS_PER_PAGE)
);

/** One page of posts: numbers (page-1)*20+1 … page*20, an index range, never OFFSET. */
/** A page of posts; the read position moves on only when this page goes past it. */
export async function postsPage(
	ctx: AppContext,
	user: SessionUser,
	ta: ThreadAccess,
	page: number,
	readUpTo = 0
) {
	const from = (page - 1) * POSTS_PER_PAGE + 1;
	const moderator = decision(ta.access, 'moderate_posts').ok;
	const rows = await postsQuery(ctx.db, {
		threadId: ta.thread.id,
		from,
		to: from + POSTS_PER_PAGE,
		userId: user.id
	});
	const posts: PostView[] = rows.map((r) => {
		const reader = { userId: user.id, moderator };
		return {
			id: r.id,
			number: r.number,
			authorId: r.authorId,
			authorName: r.authorName,
			authorOrganisation: r.authorOrganisation,
			html: mayReadPostWords(r, moderator) ? r.html : '',
			createdAt: r.createdAt,
			editedAt: r.editedAt,
			state: postState(r),
			hiddenReason: mayReadHiddenReason(r, reader) ? r.hiddenReason : null,
			helpfulCount: r.helpfulCount,
			markedHelpful: r.helpfulBy !== null,
			mine: r.authorId === user.id
		};
	});
	const last = posts[posts.length - 1];
	if (last && last.number > readUpTo) await markRead(ctx.db, user.id, ta.thread.id, last.number, ctx.now());
	return { posts, moderator };
}

export interface ThreadListItem {
	id: number;
	title: string;
	pinned: boolean;
	locked: boolean;
	authorName: string | null;
	lastPosterName: string | null;
	replies: number;
	lastPostAt: Date;
	unread: number;
}

/** A group's threads: pinned first, then by last activity; 25 a page, keyset-paged. */
export async function listThreads(
	ctx: AppContext,
	user: SessionUser,
	access: GroupAccess,
	after?: { pinned: boolean; lastPostAt: Date; id: number }
): Promise<{ threads: ThreadListItem[]; next?: { pinned: boolean; lastPostAt: Date; id: number } }> {
	const PAGE = 25;
	let query = ctx.db
		.selectFrom('threads')
		.leftJoin('users as author', 'author.id', 'threads.authorId')
		.leftJoin('users as poster', 'poster.id', 'threads.lastPosterId')
		.leftJoin('threadReads', (join) =>
			join.onRef('threadReads.threadId', '=', 'threads.id').on('threadReads.userId', '=', user.id)
		)
		.select([
			'threads.id',
			'threads.title',
			'threads.pinned',
			'threads.lockedAt',
			'threads.postCount',
			'threads.lastPostAt',
			'author.displayName as authorName',
			'poster.displayName as lastPosterName',
			'threadReads.lastReadNumber'
		])
		.where('threads.groupId', '=', access.group.id);
	if (after) {
		// Pinned first, then newest activity, then id, all descending: compare the tuple with
		// the cursor row's own stored values (microseconds, not a millisecond JavaScript date).
		// Only a thread of this group can be the cursor: another group's gives an empty page,
		// as a missing one does, so cursors say nothing about threads elsewhere.
		query = query.where(
			sql<boolean>`(threads.pinned, threads.last_post_at, threads.id) < (select c.pinned, c.last_post_at, c.id from threads c where c.id = ${after.id} and c.group_id = ${access.group.id})`
		);
	}
	const rows = await query
		.orderBy('threads.pinned', 'desc')
		.orderBy('threads.lastPostAt', 'desc')
		.orderBy('threads.id', 'desc')
		.limit(PAGE + 1)
		.execute();
	const threads = rows.slice(0, PAGE).map((r) => ({
		id: r.id,
		title: r.title,
		pinned: r.pinned,
		locked: r.lockedAt !== null,
		authorName: r.authorName,
		lastPosterName: r.lastPosterName,
		replies: Math.max(0, r.postCount - 1),
		lastPostAt: r.lastPostAt,
		unread: Math.max(0, r.postCount - (r.lastReadNumber ?? 0))
	}));
	const last = threads[threads.length - 1];
	return {
		threads,
		next:
			rows.length > PAGE && last
				? { pinned: last.pinned, lastPostAt: last.lastPostAt, id: last.id }
				: undefined
	};
}
