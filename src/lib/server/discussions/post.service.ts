/**
 * What can happen to a post after it is written: edits (each keeps the previous version),
 * deletion by its author, hiding and restoring by moderators, helpful marks, and the thread
 * author's choice of it as the answer. Moderators' acts are audited with their reasons.
 * What moderators decide about a whole thread is in thread-moderation.service.ts.
 */
import type { AppContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import type { SessionUser } from '../auth/session.ts';
import { renderPost } from './mentions.ts';
import { publishEvent } from '../events/publish.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { mailFooter, queueMail } from '../mail/mail.ts';
import { decision } from '../policy/group.access.ts';
import { groupTarget } from '../groups/group.service.ts';
import type { RequestMeta } from '../request-meta.ts';
import { assertWritable, loadThread } from './thread.service.ts';
import { inTransaction } from '../db/transaction.ts';
import { notifyAnswer, notifyEditMentions, notifyHelpful, type PostNotice } from '../notifications/notify.ts';

async function loadPost(
	ctx: AppContext,
	user: SessionUser,
	groupSlug: string,
	postId: number,
	action: 'read_threads' | 'reply' | 'moderate_posts' = 'read_threads'
) {
	const post = await ctx.db
		.selectFrom('posts')
		.select([
			'id',
			'threadId',
			'number',
			'authorId',
			'source',
			'html',
			'createdAt',
			'editedAt',
			'deletedAt',
			'hiddenAt'
		])
		.where('id', '=', postId)
		.executeTakeFirst();
	if (!post) throw new DomainError('not_found', 'Page not found');
	const ta = await loadThread(ctx, user, groupSlug, post.threadId, action);
	return { post, ta };
}

/** What a notification about this post, by this person, refers to. */
function noticeOf(
	post: { id: number; threadId: number },
	ta: { thread: { groupId: number } },
	actor: SessionUser,
	now: Date
): PostNotice {
	return {
		postId: post.id,
		threadId: post.threadId,
		groupId: ta.thread.groupId,
		actorId: actor.id,
		createdAt: now
	};
}

export async function postForEdit(ctx: AppContext, user: SessionUser, groupSlug: string, postId: number) {
	const { post, ta } = await loadPost(ctx, user, groupSlug, postId, 'reply');
	if (post.authorId !== user.id || post.deletedAt) throw new DomainError('not_found', 'Page not found');
	return { post, ta };
}

export async function editPost(
	ctx: AppContext,
	user: SessionUser,
	groupSlug: string,
	postId: number,
	source: string
) {
	const { post, ta } = await postForEdit(ctx, user, groupSlug, postId);
	assertWritable(ta);
	if (post.source === source) return { post, ta };
	await inTransaction(ctx.db, async (trx) => {
		await trx
			.insertInto('postRevisions')
			.values({
				postId: post.id,
				source: post.source,
				html: post.html,
				writtenAt: post.editedAt ?? post.createdAt,
				replacedAt: ctx.now()
			})
			.execute();
		const before = await renderPost(trx, ta.thread.groupId, post.source);
		const { html, mentioned } = await renderPost(trx, ta.thread.groupId, source);
		await trx
			.updateTable('posts')
			.set({ source, html, editedAt: ctx.now() })
			.where('id', '=', post.id)
			.execute();
		// A hidden post's words travel to no one: its readers see only that it is hidden.
		if (!post.hiddenAt) {
			const already = new Set(before.mentioned.map((m) => m.id));
			await notifyEditMentions(
				trx,
				noticeOf(post, ta, user, ctx.now()),
				mentioned.filter((m) => !already.has(m.id)).map((m) => m.id)
			);
			await publishEvent(trx, {
				channel: `thread:${post.threadId}`,
				type: 'post.edited',
				data: { id: post.id, html }
			});
		}
	});
	void ctx.mail.flush();
	return { post, ta };
}

/**
 * Earlier versions, for the group's moderators, and for the author while the post stands:
 * once deleted, the words it had are for moderators only.
 */
export async function postHistory(ctx: AppContext, user: SessionUser, groupSlug: string, postId: number) {
	const { post, ta } = await loadPost(ctx, user, groupSlug, postId);
	const author = post.authorId === user.id && post.deletedAt === null;
	if (!author && !decision(ta.access, 'moderate_posts').ok)
		throw new DomainError('not_found', 'Page not found');
	const revisions = await ctx.db
		.selectFrom('postRevisions')
		.select(['id', 'html', 'writtenAt', 'replacedAt'])
		.where('postId', '=', post.id)
		.orderBy('id', 'desc')
		.execute();
	return { post, ta, revisions };
}

export async function deletePost(ctx: AppContext, user: SessionUser, groupSlug: string, postId: number) {
	const { post, ta } = await postForEdit(ctx, user, groupSlug, postId);
	assertWritable(ta);
	await inTransaction(ctx.db, async (trx) => {
		await trx
			.updateTable('posts')
			.set({ deletedAt: ctx.now() })
			.where('id', '=', post.id)
			.where('deletedAt', 'is', null)
			.execute();
		await publishEvent(trx, {
			channel: `thread:${post.threadId}`,
			type: 'post.deleted',
			data: { id: post.id }
		});
	});
	return { post, ta };
}

export async function setHidden(
	ctx: AppContext,
	user: SessionUser,
	groupSlug: string,
	postId: number,
	decision: { hide: boolean; reason: string },
	meta: RequestMeta
) {
	const hide = decision.hide;
	const { post, ta } = await loadPost(ctx, user, groupSlug, postId, 'moderate_posts');
	assertWritable(ta);
	await inTransaction(ctx.db, async (trx) => {
		await trx
			.updateTable('posts')
			.set(
				hide
					? { hiddenAt: ctx.now(), hiddenBy: user.id, hiddenReason: decision.reason }
					: { hiddenAt: null, hiddenBy: null, hiddenReason: null }
			)
			.where('id', '=', post.id)
			.execute();
		// A hidden post's words never travel in the event; restoring sends them back to readers.
		await publishEvent(trx, {
			channel: `thread:${post.threadId}`,
			type: hide ? 'post.hidden' : 'post.restored',
			data: hide ? { id: post.id } : { id: post.id, html: post.html }
		});
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: hide ? 'group.post_hidden' : 'group.post_restored',
			target: groupTarget(ta.access.group),
			details: { thread: ta.thread.title, post: post.number, reason: decision.reason },
			ipAddress: meta.ip
		});
		// The author is told what happened to their post and why, while they can still read the
		// thread (a member of its group); the moderator is not named.
		const author =
			post.authorId && post.authorId !== user.id
				? await trx
						.selectFrom('users')
						.innerJoin('groupMembers', 'groupMembers.userId', 'users.id')
						.select('users.email')
						.where('users.id', '=', post.authorId)
						.where('users.status', '=', 'active')
						.where('groupMembers.groupId', '=', ta.thread.groupId)
						.executeTakeFirst()
				: undefined;
		if (author) {
			const link = `${ctx.config.origin}/groups/${ta.access.group.slug}/p/${post.id}`;
			await queueMail(trx, {
				to: author.email,
				subject: hide
					? `A moderator hid your post in “${ta.thread.title}”`
					: `A moderator restored your post in “${ta.thread.title}”`,
				text:
					(hide
						? `A moderator of ${ta.access.group.name} hid your post in “${ta.thread.title}”. Members now see “Hidden by a moderator” in its place.\n\nThe reason given: ${decision.reason}\n\n`
						: `A moderator of ${ta.access.group.name} restored your post in “${ta.thread.title}”: members can read it again.\n\nThe reason given: ${decision.reason}\n\n`) +
					`Your post: ${link}\n\nIf you have a question about this, reply in the group or contact its moderators.` +
					mailFooter(ctx.config.origin)
			});
		}
	});
	void ctx.mail.flush();
	return { post, ta };
}

export async function toggleHelpful(ctx: AppContext, user: SessionUser, groupSlug: string, postId: number) {
	const { post, ta } = await loadPost(ctx, user, groupSlug, postId, 'reply');
	assertWritable(ta);
	if (post.deletedAt || post.hiddenAt)
		throw new DomainError('conflict', 'This post can no longer be marked helpful.');
	if (post.authorId === user.id)
		throw new DomainError('conflict', 'You cannot mark your own post as helpful.');
	await inTransaction(ctx.db, async (trx) => {
		const removed = await trx
			.deleteFrom('postHelpful')
			.where('postId', '=', post.id)
			.where('userId', '=', user.id)
			.returning('postId')
			.executeTakeFirst();
		// One mark per member per post: the primary key keeps it so even when two clicks race.
		const added = removed
			? undefined
			: await trx
					.insertInto('postHelpful')
					.values({ postId: post.id, userId: user.id, createdAt: ctx.now() })
					.onConflict((oc) => oc.columns(['postId', 'userId']).doNothing())
					.returning('postId')
					.executeTakeFirst();
		if (!removed && !added) return;
		const updated = await trx
			.updateTable('posts')
			.set((eb) => ({ helpfulCount: eb('helpfulCount', removed ? '-' : '+', 1) }))
			.where('id', '=', post.id)
			.returning('helpfulCount')
			.executeTakeFirstOrThrow();
		if (added) await notifyHelpful(trx, noticeOf(post, ta, user, ctx.now()), post.authorId);
		await publishEvent(trx, {
			channel: `thread:${post.threadId}`,
			type: 'post.helpful',
			data: { id: post.id, count: updated.helpfulCount }
		});
	});
	return { post, ta };
}

export async function helpfulPeople(ctx: AppContext, user: SessionUser, groupSlug: string, postId: number) {
	const { post, ta } = await loadPost(ctx, user, groupSlug, postId);
	const people = await ctx.db
		.selectFrom('postHelpful')
		.innerJoin('users', 'users.id', 'postHelpful.userId')
		.select(['users.id', 'users.displayName'])
		.where('postHelpful.postId', '=', post.id)
		.orderBy('postHelpful.createdAt')
		.limit(200)
		.execute();
	return { post, ta, people };
}

/** The thread's author (or a moderator) marks one reply as the answer, or clears it. */
export async function setAnswer(
	ctx: AppContext,
	user: SessionUser,
	groupSlug: string,
	postId: number,
	isAnswer: boolean
) {
	const { post, ta } = await loadPost(ctx, user, groupSlug, postId, 'reply');
	assertWritable(ta);
	if (ta.thread.authorId !== user.id && !decision(ta.access, 'moderate_posts').ok) {
		throw new DomainError('forbidden', 'Only the person who started the thread can choose its answer.');
	}
	if (post.number === 1) throw new DomainError('conflict', 'The first post cannot be the answer to itself.');
	if (post.deletedAt || post.hiddenAt) throw new DomainError('conflict', 'This post cannot be the answer.');
	await inTransaction(ctx.db, async (trx) => {
		await trx
			.updateTable('threads')
			.set({ answerPostId: isAnswer ? post.id : null })
			.where('id', '=', ta.thread.id)
			.execute();
		if (isAnswer) await notifyAnswer(trx, noticeOf(post, ta, user, ctx.now()), post.authorId);
		await publishEvent(trx, {
			channel: `thread:${ta.thread.id}`,
			type: 'thread.answer',
			data: { postId: isAnswer ? post.id : null }
		});
	});
	return { post, ta };
}
