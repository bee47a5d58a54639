/**
 * Review and publication: submitting a working version, a reviewer publishing it or returning
 * it with comments (never their own), and archiving a published entry with a reason.
 */
import type { Transaction } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import { DomainError } from '../errors.ts';
import { mailFooter, queueMail } from '../mail/mail.ts';
import type { RequestMeta } from '../request-meta.ts';
import { missingForReview, practicePath } from './practice.schemas.ts';
import { inTransaction } from '../db/transaction.ts';
import { type LoadedEntry, loadEntry } from '../policy/practice.access.ts';
import { audit, reviewers, tellAuthors } from './practice-notices.ts';
import { notifyAboutPractice, notifyTopicFollowers } from '../notifications/notify.ts';
import { openDiscussion } from './practice-discussion.ts';

/** Sends a complete working version for review, as it is. */
export async function submitForReview(ctx: AppContext, user: SessionUser, id: number, meta: RequestMeta) {
	await inTransaction(ctx.db, async (trx) => {
		const loaded = await loadEntry(ctx, trx, user, id, 'submit', { forUpdate: true });
		const version = await trx
			.selectFrom('practiceVersions')
			.selectAll()
			.where('id', '=', loaded.entry.workingVersionId!)
			.executeTakeFirstOrThrow();
		const missing = missingForReview(version);
		if (Object.keys(missing).length) {
			throw new DomainError(
				'invalid',
				`This entry is not ready for review yet: ${Object.values(missing)
					.map((m) => m.charAt(0).toLowerCase() + m.slice(1))
					.join('; ')}. Edit the entry, then submit it.`
			);
		}
		const now = ctx.now();
		await trx
			.updateTable('practiceVersions')
			.set({ status: 'in_review', submittedAt: now })
			.where('id', '=', version.id)
			.execute();
		await trx.updateTable('practices').set({ updatedAt: now }).where('id', '=', id).execute();
		await submitted(ctx, trx, user, loaded, version.title, meta);
	});
}

export async function submitted(
	ctx: AppContext,
	trx: Transaction<Database>,
	user: SessionUser,
	loaded: LoadedEntry,
	title: string,
	meta: RequestMeta
) {
	const { entry } = loaded;
	const revision = entry.publishedVersionId !== null;
	await audit(
		trx,
		user,
		'practice.submitted',
		{ id: entry.id, title },
		meta,
		revision ? { revision: 'yes' } : {}
	);
	const link = `${ctx.config.origin}/practice/review`;
	await tellAuthors(
		ctx,
		trx,
		entry.id,
		{ id: user.id, at: ctx.now() },
		null, // co-authors learn of it by e-mail; the reviewers are notified below
		`“${title}” was sent for review`,
		`${user.displayName} sent “${title}” for review. A reviewer will publish it or return it with comments.`
	);
	// Nobody who wrote it reviews it, so no author or co-author is asked to.
	const coauthors = await trx
		.selectFrom('practiceCoauthors')
		.select('userId')
		.where('practiceId', '=', entry.id)
		.execute();
	const writers = [entry.authorId, user.id, ...coauthors.map((c) => c.userId)];
	const asked = await reviewers(trx, entry.groupId, writers);
	await notifyAboutPractice(trx, {
		kind: 'practice_submitted',
		practiceId: entry.id,
		groupId: entry.groupId,
		actorId: user.id,
		userIds: asked.map((r) => r.id),
		now: ctx.now()
	});
	for (const { email } of asked) {
		await queueMail(trx, {
			to: email,
			subject: `Good practice to review: “${title}”`,
			text:
				`${user.displayName} sent “${title}” for review${revision ? ' (a revision of a published entry)' : ''}.\n\n` +
				`Review it at ${link}` +
				mailFooter(ctx.config.origin)
		});
	}
}

/** A reviewer publishes the working version or returns it with comments. */
export async function review(
	ctx: AppContext,
	user: SessionUser,
	id: number,
	input: { decision: 'publish' | 'return'; comment: string },
	meta: RequestMeta
): Promise<void> {
	await inTransaction(ctx.db, async (trx) => {
		const loaded = await loadEntry(ctx, trx, user, id, 'review', { forUpdate: true });
		const { entry } = loaded;
		const now = ctx.now();
		const version = await trx
			.selectFrom('practiceVersions')
			.select(['id', 'title', 'summary'])
			.where('id', '=', entry.workingVersionId!)
			.executeTakeFirstOrThrow();
		const path = `${ctx.config.origin}${practicePath({ id, title: version.title })}`;
		await trx
			.insertInto('practiceReviews')
			.values({
				practiceId: id,
				versionId: version.id,
				reviewerId: user.id,
				decision: input.decision === 'publish' ? 'published' : 'returned',
				comment: input.comment,
				decidedAt: now
			})
			.execute();
		if (input.decision === 'return') {
			await trx
				.updateTable('practiceVersions')
				.set({ status: 'returned', reviewedBy: user.id, reviewedAt: now, reviewComment: input.comment })
				.where('id', '=', version.id)
				.execute();
			await trx.updateTable('practices').set({ updatedAt: now }).where('id', '=', id).execute();
			await audit(trx, user, 'practice.returned', { id, title: version.title }, meta, {
				comment: input.comment
			});
			await tellAuthors(
				ctx,
				trx,
				id,
				{ id: user.id, at: now },
				{ kind: 'practice_returned', groupId: entry.groupId, data: { comment: input.comment } },
				`“${version.title}” was returned with comments`,
				`${user.displayName} returned “${version.title}” with these comments:\n\n${input.comment}\n\n` +
					`Edit the entry and submit it again at ${path}`
			);
			return;
		}
		if (entry.publishedVersionId !== null) {
			await trx
				.updateTable('practiceVersions')
				.set({ status: 'superseded' })
				.where('id', '=', entry.publishedVersionId)
				.execute();
		}
		await trx
			.updateTable('practiceVersions')
			.set({
				status: 'published',
				reviewedBy: user.id,
				reviewedAt: now,
				reviewComment: input.comment || null
			})
			.where('id', '=', version.id)
			.execute();
		let discussionThreadId = entry.discussionThreadId;
		if (discussionThreadId === null) {
			discussionThreadId = await openDiscussion(ctx, trx, entry, version, now);
		}
		await trx
			.updateTable('practices')
			.set({
				publishedVersionId: version.id,
				workingVersionId: null,
				firstPublishedAt: entry.firstPublishedAt ?? now,
				lastPublishedAt: now,
				updatedAt: now,
				discussionThreadId
			})
			.where('id', '=', id)
			.execute();
		await audit(trx, user, 'practice.published', { id, title: version.title }, meta, {
			...(entry.publishedVersionId !== null ? { revision: 'yes' } : {}),
			...(input.comment ? { comment: input.comment } : {})
		});
		if (entry.firstPublishedAt === null) {
			const topics = await trx
				.selectFrom('practiceVersions')
				.select('topicIds')
				.where('id', '=', version.id)
				.executeTakeFirstOrThrow();
			await notifyTopicFollowers(trx, {
				practiceId: id,
				groupId: entry.groupId,
				actorId: user.id,
				topicIds: topics.topicIds,
				now
			});
		}
		await tellAuthors(
			ctx,
			trx,
			id,
			{ id: user.id, at: now },
			{ kind: 'practice_published', groupId: entry.groupId },
			`“${version.title}” is published`,
			`${user.displayName} published “${version.title}”${entry.publishedVersionId !== null ? ' (your revision)' : ''}.` +
				`${input.comment ? `\n\nTheir comments:\n\n${input.comment}` : ''}\n\nRead it at ${path}`
		);
	});
	void ctx.mail.flush();
}

export async function archiveEntry(
	ctx: AppContext,
	user: SessionUser,
	id: number,
	reason: string,
	meta: RequestMeta
) {
	await inTransaction(ctx.db, async (trx) => {
		const { entry } = await loadEntry(ctx, trx, user, id, 'archive', { forUpdate: true });
		const now = ctx.now();
		const { title } = await trx
			.selectFrom('practices')
			.innerJoin('practiceVersions', 'practiceVersions.id', 'practices.publishedVersionId')
			.select('practiceVersions.title')
			.where('practices.id', '=', id)
			.executeTakeFirstOrThrow();
		await trx
			.updateTable('practices')
			.set({ archivedAt: now, archivedBy: user.id, archivedReason: reason, updatedAt: now })
			.where('id', '=', id)
			.execute();
		await audit(trx, user, 'practice.archived', { id, title }, meta, { reason });
		await tellAuthors(
			ctx,
			trx,
			id,
			{ id: user.id, at: now },
			{ kind: 'practice_archived', groupId: entry.groupId, data: { reason } },
			`“${title}” was archived`,
			`${user.displayName} archived “${title}”. The reason given:\n\n${reason}\n\n` +
				`It can still be read, marked as archived, but it is no longer listed in the library by default.`
		);
	});
	void ctx.mail.flush();
}
