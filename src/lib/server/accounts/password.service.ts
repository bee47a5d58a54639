/**
 * Forgotten and changed passwords. Either way, every session of the account ends:
 * whoever knew the old password is signed out.
 */
import type { AppContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { formatRetryAt } from '../../format.ts';
import { hashPassword, passwordProblem } from '../auth/password.ts';
import { clearLimit, hit, LIMITS } from '../auth/rate-limit.ts';
import { consumeEmailToken, issueEmailToken } from '../auth/email-tokens.ts';
import { createSession, invalidateUserSessions, type Session } from '../auth/session.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { announceAccessChange } from '../events/publish.ts';
import { mailFooter, queueMail } from '../mail/mail.ts';
import type { RequestMeta } from '../request-meta.ts';
import { confirmIdentity } from './reauthentication.ts';
import { tokenMessage } from './registration.service.ts';
import { inTransaction } from '../db/transaction.ts';

/** Sends a reset link when the address has an account; answers the same either way. */
export async function requestPasswordReset(ctx: AppContext, email: string, meta: RequestMeta): Promise<void> {
	const now = ctx.now();
	if (meta.ip) {
		const retryAt = await hit(ctx.db, `reset:ip:${meta.ip}`, LIMITS.resetIp, now);
		if (retryAt) {
			throw new DomainError(
				'rate_limited',
				`There have been too many password reset requests from your network. Try again ${formatRetryAt(retryAt, now)}.`,
				undefined,
				retryAt
			);
		}
	}
	if (await hit(ctx.db, `reset:email:${email}`, LIMITS.resetAddress, now)) return;
	await inTransaction(ctx.db, async (trx) => {
		const user = await trx
			.selectFrom('users')
			.select(['id', 'displayName', 'status'])
			.where('email', '=', email)
			.executeTakeFirst();
		if (!user || user.status !== 'active') return;
		const token = await issueEmailToken(trx, 'reset_password', { userId: user.id, email }, now);
		await queueMail(trx, {
			to: email,
			subject: 'Reset your Muster password',
			text:
				`Hello ${user.displayName},\n\nTo choose a new password for Muster, use this link:\n\n` +
				`${ctx.config.origin}/reset-password/${token}\n\nThe link works once and expires in 1 hour. ` +
				`Choosing a new password signs you out on every device.` +
				mailFooter(ctx.config.origin)
		});
	});
	void ctx.mail.flush();
}

/**
 * Sets a new password from an e-mailed token (reset, or the set-password link an
 * administrator account gets). Ends every session. A set-password link also confirms
 * the address, since only its owner could follow it.
 */
export async function resetPassword(
	ctx: AppContext,
	purpose: 'reset_password' | 'set_password',
	token: string,
	password: string,
	meta: RequestMeta
): Promise<void> {
	const now = ctx.now();
	const user = await inTransaction(ctx.db, async (trx) => {
		const result = await consumeEmailToken(trx, purpose, token, now);
		if (result.state !== 'valid') {
			throw new DomainError(
				'gone',
				tokenMessage(result.state, purpose === 'reset_password' ? purpose : undefined)
			);
		}
		const user = await trx
			.selectFrom('users')
			.select(['id', 'email', 'displayName'])
			.where('id', '=', result.userId!)
			.executeTakeFirstOrThrow();
		const problem = passwordProblem(password, user);
		if (problem) throw new DomainError('invalid', problem, 'password');
		await trx
			.updateTable('users')
			.set({
				passwordHash: await hashPassword(password),
				passwordChangedAt: now,
				updatedAt: now,
				// Following the link proves the address.
				emailVerifiedAt: (eb) => eb.fn.coalesce('emailVerifiedAt', eb.val(now))
			})
			.where('id', '=', user.id)
			.execute();
		await invalidateUserSessions(trx, user.id);
		await announceAccessChange(trx, user.id);
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: purpose === 'reset_password' ? 'account.password_reset' : 'account.password_set',
			target: { type: 'user', id: user.id, label: user.email },
			ipAddress: meta.ip
		});
		return user;
	});
	await clearLimit(ctx.db, `signin:email:${user.email}`);
}

/** Changes the password from settings; every other session ends, this one is replaced. */
export async function changePassword(
	ctx: AppContext,
	user: { id: string; email: string; displayName: string },
	session: Session,
	input: { currentPassword: string; password: string },
	meta: RequestMeta
): Promise<{ token: string; session: Session }> {
	const now = ctx.now();
	await confirmIdentity(ctx, user.id, { password: input.currentPassword, passwordField: 'currentPassword' });
	const problem = passwordProblem(input.password, user);
	if (problem) throw new DomainError('invalid', problem, 'password');
	const passwordHash = await hashPassword(input.password);
	return inTransaction(ctx.db, async (trx) => {
		await trx
			.updateTable('users')
			.set({ passwordHash, passwordChangedAt: now, updatedAt: now })
			.where('id', '=', user.id)
			.execute();
		await invalidateUserSessions(trx, user.id);
		await announceAccessChange(trx, user.id);
		const created = await createSession(
			trx,
			user.id,
			{ userAgent: meta.userAgent, ipAddress: meta.ip, twoFactorVerified: session.twoFactorVerified },
			now
		);
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: 'account.password_changed',
			target: { type: 'user', id: user.id, label: user.email },
			ipAddress: meta.ip
		});
		return created;
	});
}
