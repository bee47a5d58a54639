/**
 * Site administration of accounts: the first administrator, promoting from the
 * command line, finding accounts, suspending and reinstating them.
 */
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { isUuid } from '../ids.ts';
import { hashPassword, passwordProblem } from '../auth/password.ts';
import { consumeEmailToken, issueEmailToken, peekEmailToken } from '../auth/email-tokens.ts';
import { invalidateUserSessions } from '../auth/session.ts';
import { appendAudit, type AuditActor } from '../audit/audit.repository.ts';
import { announceAccessChange } from '../events/publish.ts';
import { findOrganisationForEmail } from '../organisations/organisation.repository.ts';
import type { AccountKind, AccountStatus } from '../db/schema.ts';
import type { RequestMeta } from '../request-meta.ts';
import { LOCKS } from '../db/locks.ts';
import { requireAdmin, type Administrator } from '../policy/site.policy.ts';
import { tokenMessage } from './registration.service.ts';
import { inTransaction } from '../db/transaction.ts';

export async function administratorExists(ctx: AppContext): Promise<boolean> {
	const row = await ctx.db
		.selectFrom('users')
		.select('id')
		.where('isAdmin', '=', true)
		.limit(1)
		.executeTakeFirst();
	return row !== undefined;
}

/**
 * While no administrator exists, a one-time link creates the first one. Returns the
 * link to print at start-up, or undefined once an administrator exists.
 */
export async function firstRunSetupLink(ctx: AppContext): Promise<string | undefined> {
	if (await administratorExists(ctx)) return undefined;
	const token = await issueEmailToken(ctx.db, 'setup', { userId: null, email: null }, ctx.now());
	return `${ctx.config.origin}/setup/${token}`;
}

export async function setupTokenState(ctx: AppContext, token: string) {
	if (await administratorExists(ctx)) return 'used' as const;
	return (await peekEmailToken(ctx.db, 'setup', token, ctx.now())).state;
}

/** Creates the first administrator from the set-up link (address counts as confirmed). */
export async function completeSetup(
	ctx: AppContext,
	token: string,
	input: { email: string; displayName: string; password: string },
	meta: RequestMeta
): Promise<string> {
	const now = ctx.now();
	const problem = passwordProblem(input.password, input);
	if (problem) throw new DomainError('invalid', problem, 'password');
	const passwordHash = await hashPassword(input.password);
	return inTransaction(ctx.db, async (trx) => {
		// Two set-up links used at the same moment must not make two first administrators.
		await sql`select pg_advisory_xact_lock(${LOCKS.firstAdmin})`.execute(trx);
		const result = await consumeEmailToken(trx, 'setup', token, now);
		if (result.state !== 'valid') throw new DomainError('gone', tokenMessage(result.state));
		const admin = await trx
			.selectFrom('users')
			.select('id')
			.where('isAdmin', '=', true)
			.limit(1)
			.executeTakeFirst();
		if (admin) throw new DomainError('gone', 'Muster already has an administrator. Sign in instead.');
		const organisation = await findOrganisationForEmail(trx, input.email);
		const user = await trx
			.insertInto('users')
			.values({
				email: input.email,
				displayName: input.displayName,
				organisationId: organisation?.id ?? null,
				kind: organisation?.kind ?? 'guest',
				isAdmin: true,
				passwordHash,
				passwordChangedAt: now,
				emailVerifiedAt: now,
				createdAt: now,
				updatedAt: now
			})
			.onConflict((oc) =>
				oc.column('email').doUpdateSet({ isAdmin: true, passwordHash, emailVerifiedAt: now, updatedAt: now })
			)
			.returning('id')
			.executeTakeFirstOrThrow();
		await appendAudit(trx, {
			actor: { id: user.id, label: input.email },
			action: 'admin.first_administrator',
			target: { type: 'user', id: user.id, label: input.email },
			ipAddress: meta.ip
		});
		return user.id;
	});
}

/**
 * `npm run admin -- create-admin --email x@y`: promotes an existing account, or creates
 * one and returns a one-time link to set its password.
 */
export async function createOrPromoteAdmin(
	ctx: AppContext,
	email: string,
	displayName?: string
): Promise<{ created: boolean; setPasswordLink?: string }> {
	const now = ctx.now();
	const normalised = email.trim().toLowerCase();
	return inTransaction(ctx.db, async (trx) => {
		const existing = await trx
			.selectFrom('users')
			.select(['id', 'isAdmin'])
			.where('email', '=', normalised)
			.executeTakeFirst();
		const actor: AuditActor = { id: null, label: 'command line' };
		if (existing) {
			if (!existing.isAdmin) {
				await trx
					.updateTable('users')
					.set({ isAdmin: true, updatedAt: now })
					.where('id', '=', existing.id)
					.execute();
				await appendAudit(trx, {
					actor,
					action: 'admin.granted',
					target: { type: 'user', id: existing.id, label: normalised }
				});
			}
			return { created: false };
		}
		const organisation = await findOrganisationForEmail(trx, normalised);
		const user = await trx
			.insertInto('users')
			.values({
				email: normalised,
				displayName: displayName?.trim() || normalised.split('@')[0]!,
				organisationId: organisation?.id ?? null,
				kind: organisation?.kind ?? 'guest',
				isAdmin: true,
				createdAt: now,
				updatedAt: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const token = await issueEmailToken(trx, 'set_password', { userId: user.id, email: normalised }, now);
		await appendAudit(trx, {
			actor,
			action: 'admin.created',
			target: { type: 'user', id: user.id, label: normalised }
		});
		return { created: true, setPasswordLink: `${ctx.config.origin}/set-password/${token}` };
	});
}

export interface UserSummary {
	id: string;
	email: string;
	displayName: string;
	kind: AccountKind;
	status: AccountStatus;
	isAdmin: boolean;
	organisationName: string | null;
	emailVerified: boolean;
	createdAt: Date;
}

/** Accounts matching a search, 25 a page, newest first, keyset-paged by (created_at, id). */
export async function searchUsers(
	ctx: AppContext,
	query: string,
	after?: { createdAt: Date; id: string }
): Promise<{ users: UserSummary[]; next?: { createdAt: Date; id: string } }> {
	const PAGE = 25;
	let q = ctx.db
		.selectFrom('users')
		.leftJoin('organisations', 'organisations.id', 'users.organisationId')
		.select([
			'users.id',
			'users.email',
			'users.displayName',
			'users.kind',
			'users.status',
			'users.isAdmin',
			'users.createdAt',
			'users.emailVerifiedAt',
			'organisations.name as organisationName'
		]);
	const term = query.trim().slice(0, 200);
	if (term) {
		const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		q = q.where((eb) =>
			eb.or([
				eb('users.email', 'ilike', like),
				eb('users.displayName', 'ilike', like),
				eb('organisations.name', 'ilike', like)
			])
		);
	}
	if (after && isUuid(after.id)) {
		// The cursor row's own stored values (microseconds), not a millisecond JavaScript date.
		q = q.where(
			sql<boolean>`(users.created_at, users.id) < (select c.created_at, c.id from users c where c.id = ${after.id})`
		);
	}
	const rows = await q
		.orderBy('users.createdAt', 'desc')
		.orderBy('users.id', 'desc')
		.limit(PAGE + 1)
		.execute();
	const users = rows
		.slice(0, PAGE)
		.map(({ emailVerifiedAt, ...row }) => ({ ...row, emailVerified: emailVerifiedAt !== null }));
	const last = users[users.length - 1];
	return { users, next: rows.length > PAGE && last ? { createdAt: last.createdAt, id: last.id } : undefined };
}

export async function getUserForAdmin(ctx: AppContext, id: string) {
	if (!isUuid(id)) throw new DomainError('not_found', 'Page not found');
	const row = await ctx.db
		.selectFrom('users')
		.leftJoin('organisations', 'organisations.id', 'users.organisationId')
		.select([
			'users.id',
			'users.email',
			'users.displayName',
			'users.jobTitle',
			'users.kind',
			'users.status',
			'users.isAdmin',
			'users.suspendedAt',
			'users.suspendedReason',
			'users.emailVerifiedAt',
			'users.totpEnabledAt',
			'users.practiceReviewer',
			'users.libraryPublisher',
			'users.createdAt',
			'organisations.name as organisationName'
		])
		.where('users.id', '=', id)
		.executeTakeFirst();
	if (!row) throw new DomainError('not_found', 'Page not found');
	return row;
}

/** Suspends (every session ends at once) or reinstates an account, with a reason. */
export async function setSuspended(
	ctx: AppContext,
	admin: Administrator,
	userId: string,
	suspend: boolean,
	reason: string,
	meta: RequestMeta
): Promise<void> {
	requireAdmin(admin);
	const now = ctx.now();
	if (suspend && userId === admin.id)
		throw new DomainError('invalid', 'You cannot suspend your own account.', 'reason');
	await inTransaction(ctx.db, async (trx) => {
		const user = await trx
			.selectFrom('users')
			.select(['id', 'email', 'status'])
			.where('id', '=', userId)
			.forUpdate()
			.executeTakeFirst();
		if (!user) throw new DomainError('not_found', 'Page not found');
		if ((user.status === 'suspended') === suspend) {
			throw new DomainError(
				'conflict',
				suspend ? 'This account is already suspended.' : 'This account is not suspended.'
			);
		}
		await trx
			.updateTable('users')
			.set(
				suspend
					? { status: 'suspended', suspendedAt: now, suspendedReason: reason, updatedAt: now }
					: { status: 'active', suspendedAt: null, suspendedReason: null, updatedAt: now }
			)
			.where('id', '=', userId)
			.execute();
		if (suspend) await invalidateUserSessions(trx, userId);
		await announceAccessChange(trx, userId);
		await appendAudit(trx, {
			actor: { id: admin.id, label: admin.email },
			action: suspend ? 'account.suspended' : 'account.reinstated',
			target: { type: 'user', id: user.id, label: user.email },
			details: { reason },
			ipAddress: meta.ip
		});
	});
}
