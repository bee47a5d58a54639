/**
 * The library's controlled topic list and its reviewers, kept by administrators. A topic
 * in use is retired rather than deleted: entries keep it, new entries cannot choose it.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { SessionUser } from '../auth/session.ts';
import { DomainError, isUniqueViolation } from '../errors.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { isUuid } from '../ids.ts';
import type { RequestMeta } from '../request-meta.ts';
import { requireAdmin } from '../policy/site.policy.ts';
import { inTransaction } from '../db/transaction.ts';

export const topicNameSchema = z.object({
	name: z
		.string({ message: 'Enter a topic' })
		.trim()
		.min(2, { message: 'Enter a topic of at least 2 characters' })
		.max(60, { message: 'A topic must be 60 characters or fewer' })
});

export async function listTopics(ctx: AppContext) {
	const rows = await ctx.db
		.selectFrom('practiceTopics as t')
		.select([
			't.id',
			't.name',
			't.retiredAt',
			(eb) =>
				eb
					.selectFrom('practiceVersions as v')
					.select((c) => c.fn.countAll<number>().as('n'))
					.where(sql<boolean>`v.topic_ids @> array[t.id]`)
					.where('v.status', '!=', 'superseded')
					.as('uses')
		])
		.orderBy('t.name')
		.execute();
	return rows.map((r) => ({ ...r, uses: Number(r.uses ?? 0) }));
}

/** Topics an author may choose (not retired), by name. */
export async function liveTopics(ctx: AppContext) {
	return ctx.db
		.selectFrom('practiceTopics')
		.select(['id', 'name'])
		.where('retiredAt', 'is', null)
		.orderBy('name')
		.execute();
}

const TAKEN = (field?: string) =>
	new DomainError('conflict', 'There is already a topic with that name.', field);

export async function addTopic(ctx: AppContext, admin: SessionUser, name: string, meta: RequestMeta) {
	requireAdmin(admin);
	try {
		await inTransaction(ctx.db, async (trx) => {
			const row = await trx
				.insertInto('practiceTopics')
				.values({ name, createdAt: ctx.now() })
				.returning('id')
				.executeTakeFirstOrThrow();
			await appendAudit(trx, {
				actor: { id: admin.id, label: admin.email },
				action: 'practice.topic_added',
				target: { type: 'topic', id: String(row.id), label: name },
				ipAddress: meta.ip
			});
		});
	} catch (err) {
		if (isUniqueViolation(err)) throw TAKEN('name');
		throw err;
	}
}

export async function renameTopic(
	ctx: AppContext,
	admin: SessionUser,
	id: number,
	name: string,
	meta: RequestMeta
) {
	requireAdmin(admin);
	try {
		await inTransaction(ctx.db, async (trx) => {
			const before = await trx
				.selectFrom('practiceTopics')
				.select('name')
				.where('id', '=', id)
				.forUpdate()
				.executeTakeFirst();
			if (!before) throw new DomainError('not_found', 'That topic was not found.');
			await trx.updateTable('practiceTopics').set({ name }).where('id', '=', id).execute();
			await appendAudit(trx, {
				actor: { id: admin.id, label: admin.email },
				action: 'practice.topic_renamed',
				target: { type: 'topic', id: String(id), label: name },
				details: { from: before.name },
				ipAddress: meta.ip
			});
		});
	} catch (err) {
		if (isUniqueViolation(err)) throw TAKEN();
		throw err;
	}
}

export async function setTopicRetired(
	ctx: AppContext,
	admin: SessionUser,
	id: number,
	retired: boolean,
	meta: RequestMeta
) {
	requireAdmin(admin);
	await inTransaction(ctx.db, async (trx) => {
		const row = await trx
			.updateTable('practiceTopics')
			.set({ retiredAt: retired ? ctx.now() : null })
			.where('id', '=', id)
			.returning('name')
			.executeTakeFirst();
		if (!row) throw new DomainError('not_found', 'That topic was not found.');
		await appendAudit(trx, {
			actor: { id: admin.id, label: admin.email },
			action: retired ? 'practice.topic_retired' : 'practice.topic_restored',
			target: { type: 'topic', id: String(id), label: row.name },
			ipAddress: meta.ip
		});
	});
}

/** Gives or takes the site-wide practice-reviewer role, with the reason recorded. */
export async function setPracticeReviewer(
	ctx: AppContext,
	admin: SessionUser,
	userId: string,
	reviewer: boolean,
	reason: string,
	meta: RequestMeta
) {
	requireAdmin(admin);
	if (!isUuid(userId)) throw new DomainError('not_found', 'That account was not found.');
	await inTransaction(ctx.db, async (trx) => {
		const row = await trx
			.updateTable('users')
			.set({ practiceReviewer: reviewer })
			.where('id', '=', userId)
			.where('practiceReviewer', '=', !reviewer)
			.returning(['email'])
			.executeTakeFirst();
		if (!row) {
			throw new DomainError(
				'conflict',
				reviewer ? 'This account is already a practice reviewer.' : 'This account is not a practice reviewer.'
			);
		}
		await appendAudit(trx, {
			actor: { id: admin.id, label: admin.email },
			action: reviewer ? 'account.practice_reviewer_granted' : 'account.practice_reviewer_removed',
			target: { type: 'user', id: userId, label: row.email },
			details: { reason },
			ipAddress: meta.ip
		});
	});
}
