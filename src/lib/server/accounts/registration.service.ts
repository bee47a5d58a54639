/**
 * Registration and e-mail verification. Registering an address that already has an
 * account answers exactly as a new registration does and e-mails the owner instead,
 * so the form cannot be used to discover who has an account.
 */
import type { AppContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { formatRetryAt } from '../../format.ts';
import { hashPassword, passwordProblem } from '../auth/password.ts';
import { hit, LIMITS } from '../auth/rate-limit.ts';
import { consumeEmailToken, issueEmailToken } from '../auth/email-tokens.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { mailFooter, queueMail } from '../mail/mail.ts';
import { findOrganisationForEmail } from '../organisations/organisation.repository.ts';
import type { RequestMeta } from '../request-meta.ts';
import { inTransaction } from '../db/transaction.ts';

export interface RegisterInput {
	email: string;
	displayName: string;
	password: string;
}

function tooMany(retryAt: Date, now: Date, what: string): DomainError {
	return new DomainError(
		'rate_limited',
		`${what} Try again ${formatRetryAt(retryAt, now)}.`,
		undefined,
		retryAt
	);
}

export async function register(ctx: AppContext, input: RegisterInput, meta: RequestMeta): Promise<void> {
	const now = ctx.now();
	const problem = passwordProblem(input.password, input);
	if (problem) throw new DomainError('invalid', problem, 'password');

	if (meta.ip) {
		const retryAt = await hit(ctx.db, `register:ip:${meta.ip}`, LIMITS.registerIp, now);
		if (retryAt) throw tooMany(retryAt, now, 'There have been too many registrations from your network.');
	}
	const addressLimit = await hit(ctx.db, `register:email:${input.email}`, LIMITS.registerAddress, now);
	// Over the per-address limit, do nothing more but answer as usual: no e-mail flood, no signal.
	if (addressLimit) return;

	// Hash first in both branches so both take the same time.
	const passwordHash = await hashPassword(input.password);
	await inTransaction(ctx.db, async (trx) => {
		const existing = await trx
			.selectFrom('users')
			.select(['id', 'displayName'])
			.where('email', '=', input.email)
			.executeTakeFirst();
		if (existing) {
			await queueMail(trx, {
				to: input.email,
				subject: 'Someone tried to register with your e-mail address',
				text:
					`Hello ${existing.displayName},\n\nSomeone tried to create a Muster account with this e-mail address, which already has one.\n\n` +
					`If it was you, sign in at ${ctx.config.origin}/login, or reset your password at ${ctx.config.origin}/reset-password.\n` +
					`If it was not you, you do not need to do anything.` +
					mailFooter(ctx.config.origin)
			});
			return;
		}
		const organisation = await findOrganisationForEmail(trx, input.email);
		const user = await trx
			.insertInto('users')
			.values({
				email: input.email,
				displayName: input.displayName,
				organisationId: organisation?.id ?? null,
				kind: organisation?.kind ?? 'guest',
				passwordHash,
				passwordChangedAt: now,
				createdAt: now,
				updatedAt: now
			})
			.returning(['id'])
			.executeTakeFirstOrThrow();
		const token = await issueEmailToken(trx, 'verify_email', { userId: user.id, email: input.email }, now);
		await queueMail(trx, verificationMail(ctx, input.email, input.displayName, token));
		await appendAudit(trx, {
			actor: { id: user.id, label: input.email },
			action: 'account.registered',
			target: { type: 'user', id: user.id, label: input.email },
			details: { kind: organisation?.kind ?? 'guest', organisation: organisation?.name ?? null },
			ipAddress: meta.ip
		});
	});
	void ctx.mail.flush();
}

function verificationMail(ctx: AppContext, to: string, name: string, token: string) {
	return {
		to,
		subject: 'Confirm your e-mail address for Muster',
		text:
			`Hello ${name},\n\nTo finish creating your Muster account, confirm your e-mail address:\n\n` +
			`${ctx.config.origin}/verify-email/${token}\n\nThe link works once and expires in 24 hours.` +
			mailFooter(ctx.config.origin)
	};
}

export async function resendVerification(ctx: AppContext, userId: string): Promise<void> {
	const now = ctx.now();
	const retryAt = await hit(ctx.db, `verify:resend:${userId}`, LIMITS.resendVerification, now);
	if (retryAt) throw tooMany(retryAt, now, 'We have sent several e-mails already.');
	await inTransaction(ctx.db, async (trx) => {
		const user = await trx
			.selectFrom('users')
			.select(['email', 'displayName', 'emailVerifiedAt'])
			.where('id', '=', userId)
			.executeTakeFirstOrThrow();
		if (user.emailVerifiedAt) return;
		const token = await issueEmailToken(trx, 'verify_email', { userId, email: user.email }, now);
		await queueMail(trx, verificationMail(ctx, user.email, user.displayName, token));
	});
	void ctx.mail.flush();
}

const TOKEN_MESSAGES = {
	invalid: 'This link is not valid. Check you copied the whole link from the e-mail, or ask for a new one.',
	expired: 'This link has expired. Sign in to ask for a new one.',
	used: 'This link has already been used. If your address is confirmed, you can sign in.'
} as const;

export function tokenMessage(state: keyof typeof TOKEN_MESSAGES, purpose?: 'reset_password'): string {
	if (purpose === 'reset_password' && state === 'expired') return 'This link has expired. Ask for a new one.';
	if (purpose === 'reset_password' && state === 'used')
		return 'This link has already been used. Ask for a new one if you need it.';
	return TOKEN_MESSAGES[state];
}

/** Confirms the address the token was sent to. */
export async function verifyEmail(ctx: AppContext, token: string, meta: RequestMeta): Promise<void> {
	const now = ctx.now();
	await inTransaction(ctx.db, async (trx) => {
		const result = await consumeEmailToken(trx, 'verify_email', token, now);
		if (result.state !== 'valid') throw new DomainError('gone', tokenMessage(result.state));
		const user = await trx
			.updateTable('users')
			.set({ emailVerifiedAt: now, updatedAt: now })
			.where('id', '=', result.userId!)
			.where('email', '=', result.email!)
			.returning(['id', 'email'])
			.executeTakeFirst();
		if (!user) throw new DomainError('gone', tokenMessage('invalid'));
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: 'account.email_verified',
			target: { type: 'user', id: user.id, label: user.email },
			ipAddress: meta.ip
		});
	});
}
