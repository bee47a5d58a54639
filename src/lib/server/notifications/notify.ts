/**
 * Writing notifications: one row per recipient, in the same transaction as the action that
 * causes it (or, for a thread's watchers, in a job queued by that transaction, so the fan-out
 * never sits in the request). Recipients are chosen through the policy (`readersOfGroup`),
 * never the person who acted, never someone who muted the thread or group; each person is told
 * of a post once, by its most specific reason (a mention beats a quote beats a reply beats
 * "watching"). Each new notification is announced on its recipient's own channel.
 */
import {
	sql,
	type Expression,
	type ExpressionBuilder,
	type Kysely,
	type SqlBool,
	type Transaction
} from 'kysely';
import type { Database } from '../db/schema.ts';
import { readersOfGroup } from '../policy/group.access.ts';
import { readsEntryScope } from '../policy/practice.access.ts';
import { publishToUsers } from '../events/publish.ts';
import { enqueueJob, type JobHandler } from '../jobs/jobs.ts';
import { emailDue } from './email-preferences.ts';

export const NOTIFICATION_KINDS = [
	'mention',
	'quote',
	'reply',
	'watching_post',
	'watching_thread',
	'helpful',
	'answer',
	'join_request',
	'request_approved',
	'request_declined',
	'invitation',
	'role_changed',
	'practice_submitted',
	'practice_returned',
	'practice_published',
	'practice_archived',
	'practice_topic',
	'file_quarantined'
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_CREATED = 'notification.created';

/** A post that may notify: where it is now and who wrote it. */
export interface PostNotice {
	postId: number;
	threadId: number;
	groupId: number;
	actorId: string;
	createdAt: Date;
}

/** "Not muted": the person's level for the thread, or with none, for its group. */
function notMuted(eb: ExpressionBuilder<Database, 'users'>, threadId: number, groupId: number) {
	return sql<boolean>`coalesce(
		(select tf.level from thread_follows tf where tf.user_id = ${eb.ref('users.id')} and tf.thread_id = ${threadId}),
		(select gf.level from group_follows gf where gf.user_id = ${eb.ref('users.id')} and gf.group_id = ${groupId}),
		'normal') <> 'muted'`;
}

/** Inserts one kind of post notification for the people chosen by `who`; returns who was told. */
async function tellAboutPost(
	trx: Kysely<Database>,
	notice: PostNotice,
	kind: NotificationKind,
	who: (eb: ExpressionBuilder<Database, 'users'>) => Expression<SqlBool>,
	about = `post:${notice.postId}`
): Promise<string[]> {
	const rows = await trx
		.insertInto('notifications')
		.columns([
			'userId',
			'kind',
			'about',
			'actorId',
			'groupId',
			'threadId',
			'postId',
			'createdAt',
			'emailDueAt'
		])
		.expression((eb) =>
			eb
				.selectFrom('users')
				.select([
					'users.id',
					sql<string>`${kind}::text`.as('kind'),
					sql<string>`${about}::text`.as('about'),
					sql<string>`${notice.actorId}::uuid`.as('actorId'),
					sql<number>`${notice.groupId}::integer`.as('groupId'),
					sql<number>`${notice.threadId}::bigint`.as('threadId'),
					sql<number>`${notice.postId}::bigint`.as('postId'),
					sql<Date>`${notice.createdAt}::timestamptz`.as('createdAt'),
					emailDue(kind, sql.ref('users.id'), notice.createdAt).as('emailDueAt')
				])
				.where((w) =>
					w.and([
						who(w),
						w('users.id', '!=', notice.actorId),
						w('users.id', 'in', readersOfGroup(w, notice.groupId)),
						notMuted(w, notice.threadId, notice.groupId)
					])
				)
		)
		.onConflict((oc) => oc.columns(['userId', 'about']).doNothing())
		.returning('userId')
		.execute();
	return rows.map((r) => r.userId);
}

/**
 * A new post: tells those it addresses now (mentioned, quoted, the thread's author), and
 * queues the job that tells the thread's (or, for a new thread, the group's) watchers.
 * The author starts watching the thread unless they chose a level for it before.
 */
export async function notifyNewPost(
	trx: Transaction<Database>,
	notice: PostNotice & { number: number; threadAuthorId: string | null },
	addressed: { mentioned: string[]; quotedPostIds: number[] }
): Promise<void> {
	const told: string[] = [];
	if (addressed.mentioned.length > 0) {
		told.push(
			...(await tellAboutPost(trx, notice, 'mention', (eb) => eb('users.id', 'in', addressed.mentioned)))
		);
	}
	if (addressed.quotedPostIds.length > 0) {
		// Only posts of the same thread's group: a quote never reaches across groups.
		told.push(
			...(await tellAboutPost(trx, notice, 'quote', (eb) =>
				eb(
					'users.id',
					'in',
					eb
						.selectFrom('posts')
						.select('posts.authorId')
						.where('posts.id', 'in', addressed.quotedPostIds)
						.where('posts.groupId', '=', notice.groupId)
						.where('posts.authorId', 'is not', null)
						.$narrowType<{ authorId: string }>()
				)
			))
		);
	}
	if (notice.number > 1 && notice.threadAuthorId) {
		told.push(
			...(await tellAboutPost(trx, notice, 'reply', (eb) => eb('users.id', '=', notice.threadAuthorId!)))
		);
	}
	await trx
		.insertInto('threadFollows')
		.values({
			userId: notice.actorId,
			threadId: notice.threadId,
			level: 'watching',
			updatedAt: notice.createdAt
		})
		.onConflict((oc) => oc.columns(['userId', 'threadId']).doNothing())
		.execute();
	await enqueueJob(trx, 'notify.watchers', { postId: notice.postId }, notice.createdAt);
	await publishToUsers(trx, told, NOTIFICATION_CREATED, {});
}

/** An edit that mentions someone new tells them (once: a post notifies each person once). */
export async function notifyEditMentions(
	trx: Transaction<Database>,
	notice: PostNotice,
	mentioned: string[]
): Promise<void> {
	if (mentioned.length === 0) return;
	const told = await tellAboutPost(trx, notice, 'mention', (eb) => eb('users.id', 'in', mentioned));
	await publishToUsers(trx, told, NOTIFICATION_CREATED, {});
}

/**
 * The job: tells the watchers of a post's thread (and, for a thread's first post, the
 * watchers of its group) about it, as it stands now: a post hidden or deleted since, or a
 * thread moved out of reach, tells no one.
 */
export const notifyWatchers: JobHandler = async (trx, payload) => {
	const postId = Number(payload.postId);
	const post = await trx
		.selectFrom('posts')
		.innerJoin('threads', 'threads.id', 'posts.threadId')
		.select([
			'posts.id',
			'posts.threadId',
			'posts.number',
			'posts.authorId',
			'posts.createdAt',
			'posts.hiddenAt',
			'posts.deletedAt',
			'threads.groupId'
		])
		.where('posts.id', '=', postId)
		.executeTakeFirst();
	if (!post || post.hiddenAt || post.deletedAt || !post.authorId) return;
	const notice: PostNotice = {
		postId: post.id,
		threadId: post.threadId,
		groupId: post.groupId,
		actorId: post.authorId,
		createdAt: post.createdAt
	};
	const told = await tellAboutPost(trx, notice, 'watching_post', (eb) =>
		eb.exists(
			eb
				.selectFrom('threadFollows')
				.select(sql`1`.as('one'))
				.whereRef('threadFollows.userId', '=', 'users.id')
				.where('threadFollows.threadId', '=', post.threadId)
				.where('threadFollows.level', '=', 'watching')
				// Watching since before the post: a post is not news to someone who chose later.
				.where('threadFollows.updatedAt', '<', post.createdAt)
		)
	);
	if (post.number === 1) {
		told.push(
			...(await tellAboutPost(trx, notice, 'watching_thread', (eb) =>
				eb.exists(
					eb
						.selectFrom('groupFollows')
						.select(sql`1`.as('one'))
						.whereRef('groupFollows.userId', '=', 'users.id')
						.where('groupFollows.groupId', '=', post.groupId)
						.where('groupFollows.level', '=', 'watching')
						.where('groupFollows.updatedAt', '<', post.createdAt)
				)
			))
		);
	}
	await announceLater(trx, told, post.createdAt);
};

/** How many watchers one announcing job tells: each holds the events lock only briefly. */
const ANNOUNCE_CHUNK = 500;

/**
 * Announcing thousands of new notifications holds the lock that orders every live event (see
 * events/publish.ts) for as long as it takes, and a reply posted meanwhile waits for it. So the
 * watchers job only queues the announcements, a chunk a job: each commits on its own, briefly.
 */
async function announceLater(trx: Transaction<Database>, userIds: string[], at: Date): Promise<void> {
	for (let i = 0; i < userIds.length; i += ANNOUNCE_CHUNK)
		await enqueueJob(trx, 'notify.announce', { userIds: userIds.slice(i, i + ANNOUNCE_CHUNK) }, at);
}

/** The job: tells each of these people's open pages that they have something new. */
export const announceNotifications: JobHandler = async (trx, payload) => {
	const userIds = Array.isArray(payload.userIds) ? payload.userIds.map(String) : [];
	await publishToUsers(trx, userIds, NOTIFICATION_CREATED, {});
};

/**
 * Someone marked a post helpful: its author hears of it once per post, grouped ("3 people
 * found your post helpful"). A new mark replaces the earlier notice, so it comes back unread
 * at the top.
 */
export async function notifyHelpful(trx: Transaction<Database>, notice: PostNotice, authorId: string | null) {
	if (!authorId || authorId === notice.actorId) return;
	const about = `helpful:${notice.postId}`;
	await trx.deleteFrom('notifications').where('userId', '=', authorId).where('about', '=', about).execute();
	await tellOne(trx, notice, 'helpful', about, authorId);
}

/** The thread's author (or a moderator) chose a post as the answer: its author hears of it. */
export async function notifyAnswer(trx: Transaction<Database>, notice: PostNotice, authorId: string | null) {
	if (!authorId || authorId === notice.actorId) return;
	await tellOne(trx, notice, 'answer', `answer:${notice.postId}`, authorId);
}

async function tellOne(
	trx: Transaction<Database>,
	notice: PostNotice,
	kind: NotificationKind,
	about: string,
	userId: string
) {
	const told = await tellAboutPost(trx, notice, kind, (eb) => eb('users.id', '=', userId), about);
	await publishToUsers(trx, told, NOTIFICATION_CREATED, {});
}

/**
 * A notice about a person's standing in a group (a request decided, an invitation, a role
 * changed) or, for its moderators, a request to decide. Never to the person who acted.
 */
export async function notifyAboutGroup(
	trx: Transaction<Database>,
	input: {
		kind: Extract<
			NotificationKind,
			| 'join_request'
			| 'request_approved'
			| 'request_declined'
			| 'invitation'
			| 'role_changed'
			| 'file_quarantined'
		>;
		about: string;
		groupId: number;
		actorId: string | null;
		/** The people to tell; for a join request, the group's owners and moderators. */
		userIds: string[];
		data?: Record<string, unknown>;
		now: Date;
	}
): Promise<void> {
	await tellPeople(trx, input.userIds, {
		kind: input.kind,
		about: input.about,
		actorId: input.actorId,
		groupId: input.groupId,
		data: input.data,
		now: input.now
	});
}

/**
 * Notices to a named list of people (not chosen by a query): each once per `about`, never to
 * the person who acted, each announced on its recipient's channel.
 */
async function tellPeople(
	trx: Transaction<Database>,
	userIds: string[],
	notice: {
		kind: NotificationKind;
		about: string;
		actorId: string | null;
		groupId: number | null;
		practiceId?: number;
		data?: Record<string, unknown>;
		now: Date;
	}
): Promise<void> {
	const recipients = [...new Set(userIds)].filter((id) => id !== notice.actorId);
	if (recipients.length === 0) return;
	const rows = await trx
		.insertInto('notifications')
		.values(
			recipients.map((userId) => ({
				userId,
				kind: notice.kind,
				about: notice.about,
				actorId: notice.actorId,
				groupId: notice.groupId,
				practiceId: notice.practiceId ?? null,
				data: JSON.stringify(notice.data ?? {}),
				createdAt: notice.now,
				emailDueAt: emailDue(notice.kind, sql<string>`${userId}::uuid`, notice.now)
			}))
		)
		.onConflict((oc) => oc.columns(['userId', 'about']).doNothing())
		.returning('userId')
		.execute();
	await publishToUsers(
		trx,
		rows.map((r) => r.userId),
		NOTIFICATION_CREATED,
		{}
	);
}

/**
 * A notice about a good-practice entry: to its authors (returned, published, archived) or the
 * scope's reviewers (submitted), each chosen by the caller through readsEntryScope. Never to
 * the person who acted.
 */
export async function notifyAboutPractice(
	trx: Transaction<Database>,
	input: {
		kind: Extract<
			NotificationKind,
			'practice_submitted' | 'practice_returned' | 'practice_published' | 'practice_archived'
		>;
		practiceId: number;
		groupId: number | null;
		actorId: string;
		userIds: string[];
		data?: Record<string, unknown>;
		now: Date;
	}
): Promise<void> {
	await tellPeople(trx, input.userIds, {
		kind: input.kind,
		// Each step is news: a second submission of the same entry notifies again.
		about: `${input.kind}:${input.practiceId}:${input.now.getTime()}`,
		actorId: input.actorId,
		groupId: input.groupId,
		practiceId: input.practiceId,
		data: input.data,
		now: input.now
	});
}

/**
 * An entry published for the first time tells those who follow any of its topics and may read
 * its scope (readsEntryScope), its authors and the publisher aside; once per entry.
 */
export async function notifyTopicFollowers(
	trx: Transaction<Database>,
	input: { practiceId: number; groupId: number | null; actorId: string; topicIds: number[]; now: Date }
): Promise<void> {
	if (input.topicIds.length === 0) return;
	const rows = await trx
		.insertInto('notifications')
		.columns(['userId', 'kind', 'about', 'actorId', 'groupId', 'practiceId', 'createdAt', 'emailDueAt'])
		.expression((eb) =>
			eb
				.selectFrom('users')
				.select([
					'users.id',
					sql<string>`'practice_topic'`.as('kind'),
					sql<string>`${`practice_topic:${input.practiceId}`}::text`.as('about'),
					sql<string>`${input.actorId}::uuid`.as('actorId'),
					sql<number | null>`${input.groupId}::integer`.as('groupId'),
					sql<number>`${input.practiceId}::integer`.as('practiceId'),
					sql<Date>`${input.now}::timestamptz`.as('createdAt'),
					emailDue('practice_topic', sql.ref('users.id'), input.now).as('emailDueAt')
				])
				.where((w) =>
					w.and([
						w.exists(
							w
								.selectFrom('topicFollows')
								.select(sql`1`.as('one'))
								.whereRef('topicFollows.userId', '=', 'users.id')
								.where('topicFollows.topicId', 'in', input.topicIds)
						),
						w('users.id', '!=', input.actorId),
						w.not(
							w.exists(
								w
									.selectFrom('practices')
									.select(sql`1`.as('one'))
									.where('practices.id', '=', input.practiceId)
									.whereRef('practices.authorId', '=', 'users.id')
							)
						),
						w.not(
							w.exists(
								w
									.selectFrom('practiceCoauthors')
									.select(sql`1`.as('one'))
									.where('practiceCoauthors.practiceId', '=', input.practiceId)
									.whereRef('practiceCoauthors.userId', '=', 'users.id')
							)
						),
						readsEntryScope(w, input.practiceId)
					])
				)
		)
		.onConflict((oc) => oc.columns(['userId', 'about']).doNothing())
		.returning('userId')
		.execute();
	await publishToUsers(
		trx,
		rows.map((r) => r.userId),
		NOTIFICATION_CREATED,
		{}
	);
}

/**
 * A library file found to contain a virus: to the person who uploaded it and, in a group's
 * library, the group's owners and moderators (a notice about their own upload or their group).
 */
export async function notifyAboutQuarantine(
	trx: Transaction<Database>,
	input: {
		documentId: number;
		title: string;
		groupId: number | null;
		uploadedBy: string | null;
		signature: string;
		now: Date;
	}
): Promise<void> {
	const leaders = input.groupId === null ? [] : await groupLeaderIds(trx, input.groupId);
	await tellPeople(trx, [...(input.uploadedBy ? [input.uploadedBy] : []), ...leaders], {
		kind: 'file_quarantined',
		about: `file_quarantined:${input.documentId}:${input.now.getTime()}`,
		actorId: null,
		groupId: input.groupId,
		data: { documentId: input.documentId, title: input.title, signature: input.signature },
		now: input.now
	});
}

/** The owners and moderators of a group, who decide its join requests. */
export async function groupLeaderIds(trx: Kysely<Database>, groupId: number): Promise<string[]> {
	const rows = await trx
		.selectFrom('groupMembers')
		.select('userId')
		.where('groupId', '=', groupId)
		.where('role', 'in', ['owner', 'moderator'])
		.execute();
	return rows.map((r) => r.userId);
}

/** Posts quoted in Markdown we build ("> — [Name](/groups/slug/p/ID)"): their ids. */
export function quotedPostIds(source: string): number[] {
	const ids = new Set<number>();
	for (const line of source.split('\n')) {
		if (!line.startsWith('>')) continue;
		for (const match of line.matchAll(/\]\(\/groups\/[a-z0-9-]{1,60}\/p\/(\d{1,15})\)/g)) {
			const id = Number(match[1]);
			if (Number.isSafeInteger(id) && id <= 9_007_199_254_740_991) ids.add(id);
		}
	}
	return [...ids].slice(0, 20);
}
