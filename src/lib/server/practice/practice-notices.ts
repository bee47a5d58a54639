/**
 * What every change to an entry tells: the audit log, and e-mail to the entry's authors (not
 * the person acting) and, for submissions, to the scope's reviewers.
 */
import type { AppContext } from '../context.ts';
import type { SessionUser } from '../auth/session.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { mailFooter, queueMail } from '../mail/mail.ts';
import type { RequestMeta } from '../request-meta.ts';
import { type Db, readsEntryScope } from '../policy/practice.access.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { notifyAboutPractice } from '../notifications/notify.ts';

export function target(id: number, title: string) {
	return { type: 'practice', id: String(id), label: title };
}

export async function audit(
	trx: Db,
	user: SessionUser,
	action: string,
	entry: { id: number; title: string },
	meta: RequestMeta,
	details: Record<string, string> = {}
) {
	await appendAudit(trx, {
		actor: { id: user.id, label: user.email },
		action,
		target: target(entry.id, entry.title),
		details,
		ipAddress: meta.ip
	});
}

/**
 * Tells the entry's authors (not the person acting) what happened to it: only those who may
 * still read its scope (a co-author removed or banned from the entry's group hears nothing).
 */
export async function tellAuthors(
	ctx: AppContext,
	trx: Transaction<Database>,
	practiceId: number,
	actor: { id: string; at: Date },
	/** The in-app notification beside the e-mail (none: e-mail only). */
	notice: {
		kind: 'practice_returned' | 'practice_published' | 'practice_archived';
		groupId: number | null;
		data?: Record<string, unknown>;
	} | null,
	subject: string,
	text: string
) {
	const actorId = actor.id;
	const authors = await trx
		.selectFrom('users')
		.select(['id', 'email'])
		.where('id', '!=', actorId)
		.where((eb) =>
			eb.or([
				eb('id', '=', eb.selectFrom('practices').select('authorId').where('id', '=', practiceId)),
				eb(
					'id',
					'in',
					eb.selectFrom('practiceCoauthors').select('userId').where('practiceId', '=', practiceId)
				)
			])
		)
		.where((eb) => readsEntryScope(eb, practiceId))
		.execute();
	for (const { email } of authors) {
		await queueMail(trx, { to: email, subject, text: text + mailFooter(ctx.config.origin) });
	}
	if (!notice) return;
	await notifyAboutPractice(trx, {
		kind: notice.kind,
		practiceId,
		groupId: notice.groupId,
		actorId,
		userIds: authors.map((a) => a.id),
		data: notice.data,
		now: actor.at
	});
}

/** The people who review a scope: site reviewers, or the group's moderators and owners. */
export async function reviewers(
	trx: Db,
	groupId: number | null,
	except: string[]
): Promise<Array<{ id: string; email: string }>> {
	const rows =
		groupId === null
			? await trx
					.selectFrom('users')
					.select(['id', 'email'])
					.where('practiceReviewer', '=', true)
					.where('status', '=', 'active')
					.where('id', 'not in', except)
					.execute()
			: await trx
					.selectFrom('groupMembers')
					.innerJoin('users', 'users.id', 'groupMembers.userId')
					.select(['users.id', 'users.email'])
					.where('groupMembers.groupId', '=', groupId)
					.where('groupMembers.role', 'in', ['owner', 'moderator'])
					.where('users.status', '=', 'active')
					.where('users.id', 'not in', except)
					.execute();
	return rows;
}

export async function currentTitle(db: Db, id: number): Promise<string> {
	const row = await db
		.selectFrom('practices')
		.innerJoin('practiceVersions', (join) =>
			join.on((eb) =>
				eb(
					'practiceVersions.id',
					'=',
					eb.fn.coalesce('practices.workingVersionId', 'practices.publishedVersionId')
				)
			)
		)
		.select('practiceVersions.title')
		.where('practices.id', '=', id)
		.executeTakeFirstOrThrow();
	return row.title;
}
