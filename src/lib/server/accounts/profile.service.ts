/**
 * Profiles and the devices an account is signed in on.
 */
import type { AppContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { isUuid } from '../ids.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { announceAccessChange } from '../events/publish.ts';
import type { AccountKind } from '../db/schema.ts';
import type { RequestMeta } from '../request-meta.ts';
import { inTransaction } from '../db/transaction.ts';
import { mayViewProfile } from '../policy/person.access.ts';

export interface Profile {
	id: string;
	displayName: string;
	jobTitle: string | null;
	bio: string | null;
	kind: AccountKind;
	organisationName: string | null;
	memberSince: Date;
	suspended: boolean;
}

export async function getProfile(ctx: AppContext, id: string): Promise<Profile> {
	if (!isUuid(id)) throw new DomainError('not_found', 'Page not found');
	const row = await ctx.db
		.selectFrom('users')
		.leftJoin('organisations', 'organisations.id', 'users.organisationId')
		.select([
			'users.id',
			'users.displayName',
			'users.jobTitle',
			'users.bio',
			'users.kind',
			'users.createdAt',
			'users.status',
			'users.emailVerifiedAt',
			'organisations.name as organisationName'
		])
		.where('users.id', '=', id)
		.executeTakeFirst();
	// Unconfirmed accounts are not people yet: nobody can see them.
	if (!row || !mayViewProfile(row)) throw new DomainError('not_found', 'Page not found');
	return {
		id: row.id,
		displayName: row.displayName,
		jobTitle: row.jobTitle,
		bio: row.bio,
		kind: row.kind,
		organisationName: row.organisationName,
		memberSince: row.createdAt,
		suspended: row.status === 'suspended'
	};
}

/** Groups both people belong to: the viewer is a member of each, so nothing hidden is shown. */
export async function groupsInCommon(ctx: AppContext, viewerId: string, personId: string) {
	return ctx.db
		.selectFrom('groupMembers as mine')
		.innerJoin('groupMembers as theirs', 'theirs.groupId', 'mine.groupId')
		.innerJoin('groups', 'groups.id', 'mine.groupId')
		.select(['groups.slug', 'groups.name'])
		.where('mine.userId', '=', viewerId)
		.where('theirs.userId', '=', personId)
		.orderBy('groups.name')
		.limit(100)
		.execute();
}

export async function getOwnProfile(ctx: AppContext, userId: string) {
	return ctx.db
		.selectFrom('users')
		.leftJoin('organisations', 'organisations.id', 'users.organisationId')
		.select([
			'users.displayName',
			'users.jobTitle',
			'users.bio',
			'users.email',
			'users.kind',
			'users.totpEnabledAt',
			'organisations.name as organisationName'
		])
		.where('users.id', '=', userId)
		.executeTakeFirstOrThrow();
}

export async function updateProfile(
	ctx: AppContext,
	userId: string,
	input: { displayName: string; jobTitle: string | null; bio: string | null }
): Promise<void> {
	await ctx.db
		.updateTable('users')
		.set({ ...input, updatedAt: ctx.now() })
		.where('id', '=', userId)
		.execute();
}

export interface DeviceSession {
	id: string;
	userAgent: string | null;
	ipAddress: string | null;
	createdAt: Date;
	lastSeenAt: Date;
	current: boolean;
}

export async function listSessions(
	ctx: AppContext,
	userId: string,
	currentSessionId: string
): Promise<DeviceSession[]> {
	const rows = await ctx.db
		.selectFrom('sessions')
		.select(['id', 'userAgent', 'ipAddress', 'createdAt', 'lastSeenAt'])
		.where('userId', '=', userId)
		.where('expiresAt', '>', ctx.now())
		.orderBy('lastSeenAt', 'desc')
		.limit(100)
		.execute();
	return rows.map((row) => ({ ...row, current: row.id === currentSessionId }));
}

/** Signs out one device (by the public handle the sessions list shows) or all others. */
export async function revokeSessions(
	ctx: AppContext,
	user: { id: string; email: string },
	currentSessionId: string,
	which: { sessionId: string } | 'others',
	meta: RequestMeta
): Promise<number> {
	return inTransaction(ctx.db, async (trx) => {
		let query = trx.deleteFrom('sessions').where('userId', '=', user.id).where('id', '!=', currentSessionId);
		if (which !== 'others') query = query.where('id', '=', which.sessionId);
		const count = Number((await query.executeTakeFirst()).numDeletedRows);
		if (count > 0) {
			await announceAccessChange(trx, user.id);
			await appendAudit(trx, {
				actor: { id: user.id, label: user.email },
				action: 'account.sessions_revoked',
				target: { type: 'user', id: user.id, label: user.email },
				details: { count, scope: which === 'others' ? 'all other devices' : 'one device' },
				ipAddress: meta.ip
			});
		}
		return count;
	});
}
