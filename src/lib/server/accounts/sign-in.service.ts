/**
 * Signing in and out, the two-factor step, and recovery codes.
 * Failures are counted per address (known or not, so a lock reveals nothing) and per
 * network; five failures in 15 minutes lock the address for 15 minutes.
 */
import type { AppContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { formatRetryAt } from '../../format.ts';
import { verifyDummyPassword, verifyPassword } from '../auth/password.ts';
import { clearLimit, hit, limitedUntil, LIMITS } from '../auth/rate-limit.ts';
import {
	createSession,
	invalidateSession,
	replaceWithVerifiedSession,
	type Session,
	type SessionUser
} from '../auth/session.ts';
import { hashRecoveryCode, matchTotpStep } from '../auth/totp.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { announceAccessChange } from '../events/publish.ts';
import type { RequestMeta } from '../request-meta.ts';
import { inTransaction } from '../db/transaction.ts';

const WRONG_CREDENTIALS = 'The e-mail address or password is incorrect';

export interface SignInResult {
	token: string;
	session: Session;
	/** The account has two-factor: the session must pass the code step first. */
	needsTwoFactor: boolean;
}

/** A fully signed-in session that replaces the one that only knew the password. */
export interface SignedInSession {
	token: string;
	session: Session;
}

function lockedMessage(until: Date, now: Date): DomainError {
	return new DomainError(
		'rate_limited',
		`There have been too many failed attempts to sign in to this account. Try again ${formatRetryAt(until, now)}, or reset your password.`,
		undefined,
		until
	);
}

export async function signIn(
	ctx: AppContext,
	input: { email: string; password: string },
	meta: RequestMeta
): Promise<SignInResult> {
	const now = ctx.now();
	const accountKey = `signin:email:${input.email}`;
	const ipKey = meta.ip ? `signin:ip:${meta.ip}` : undefined;

	const lockedUntil = await limitedUntil(ctx.db, accountKey, LIMITS.signInAccount, now);
	if (lockedUntil) throw lockedMessage(lockedUntil, now);
	if (ipKey) {
		const ipUntil = await limitedUntil(ctx.db, ipKey, LIMITS.signInIp, now);
		if (ipUntil) {
			throw new DomainError(
				'rate_limited',
				`There have been too many failed attempts to sign in from your network. Try again ${formatRetryAt(ipUntil, now)}.`,
				undefined,
				ipUntil
			);
		}
	}

	const user = await ctx.db
		.selectFrom('users')
		.select(['id', 'email', 'passwordHash', 'status', 'totpEnabledAt'])
		.where('email', '=', input.email)
		.executeTakeFirst();
	const valid = user?.passwordHash
		? await verifyPassword(user.passwordHash, input.password)
		: (await verifyDummyPassword(input.password), false);

	if (!user || !valid) {
		if (ipKey) await hit(ctx.db, ipKey, LIMITS.signInIp, now);
		const lockStarted = await hit(ctx.db, accountKey, LIMITS.signInAccount, now);
		if (lockStarted) {
			await appendAudit(ctx.db, {
				actor: null,
				action: 'auth.locked',
				target: user ? { type: 'user', id: user.id, label: user.email } : { type: 'email', id: input.email },
				details: { failures: LIMITS.signInAccount.limit, lockedUntil: lockStarted.toISOString() },
				ipAddress: meta.ip
			});
			throw lockedMessage(lockStarted, now);
		}
		throw new DomainError('invalid', WRONG_CREDENTIALS, 'email');
	}
	if (user.status === 'suspended') {
		throw new DomainError(
			'forbidden',
			'Your account has been suspended. If you think this is a mistake, contact a Muster administrator.'
		);
	}

	await clearLimit(ctx.db, accountKey);
	const needsTwoFactor = user.totpEnabledAt !== null;
	const created = await inTransaction(ctx.db, async (trx) => {
		const result = await createSession(
			trx,
			user.id,
			{ userAgent: meta.userAgent, ipAddress: meta.ip, twoFactorVerified: !needsTwoFactor },
			now
		);
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: needsTwoFactor ? 'auth.password_accepted' : 'auth.signed_in',
			target: { type: 'user', id: user.id, label: user.email },
			ipAddress: meta.ip
		});
		return result;
	});
	return { ...created, needsTwoFactor };
}

export async function signOut(ctx: AppContext, sessionId: string): Promise<void> {
	await inTransaction(ctx.db, async (trx) => {
		const ended = await trx
			.deleteFrom('sessions')
			.where('id', '=', sessionId)
			.returning('userId')
			.executeTakeFirst();
		if (ended) await announceAccessChange(trx, ended.userId);
	});
}

const TOO_MANY_CODES =
	'There have been too many wrong codes. You have been signed out: sign in again to try once more.';

/** Counts a wrong code; the fifth on one session ends the session. */
async function wrongCode(
	ctx: AppContext,
	session: Session,
	now: Date,
	message: string,
	field = 'code'
): Promise<never> {
	const locked = await hit(ctx.db, `totp:session:${session.id}`, LIMITS.totpSession, now);
	if (locked) {
		await invalidateSession(ctx.db, session.id);
		throw new DomainError('rate_limited', TOO_MANY_CODES, undefined, locked);
	}
	throw new DomainError('invalid', message, field);
}

/** Completes sign-in with a code from the authenticator app. Each code works once. */
export async function verifySignInCode(
	ctx: AppContext,
	session: Session,
	user: SessionUser,
	code: string,
	meta: RequestMeta
): Promise<SignedInSession> {
	const now = ctx.now();
	const row = await ctx.db
		.selectFrom('users')
		.select(['totpKeyEncrypted'])
		.where('id', '=', user.id)
		.executeTakeFirstOrThrow();
	const step = row.totpKeyEncrypted
		? matchTotpStep(ctx.secrets.open(row.totpKeyEncrypted), code, now)
		: undefined;
	if (step === undefined) {
		return wrongCode(
			ctx,
			session,
			now,
			'The code is not correct. Check your authenticator app and try again'
		);
	}
	return inTransaction(ctx.db, async (trx) => {
		// RFC 6238 §5.2: a code that has been accepted is not accepted again.
		const fresh = await trx
			.updateTable('users')
			.set({ totpLastStep: step })
			.where('id', '=', user.id)
			.where((eb) => eb.or([eb('totpLastStep', 'is', null), eb('totpLastStep', '<', step)]))
			.returning('id')
			.executeTakeFirst();
		if (!fresh) {
			throw new DomainError(
				'invalid',
				'That code has already been used. Wait for the app to show a new one',
				'code'
			);
		}
		const signedIn = await replaceWithVerifiedSession(trx, session.id, now);
		await clearLimit(trx, `totp:session:${session.id}`);
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: 'auth.signed_in',
			target: { type: 'user', id: user.id, label: user.email },
			details: { secondFactor: 'authenticator app' },
			ipAddress: meta.ip
		});
		return signedIn;
	});
}

/** Completes sign-in with a single-use recovery code instead of the app. */
export async function useRecoveryCode(
	ctx: AppContext,
	session: Session,
	user: SessionUser,
	code: string,
	meta: RequestMeta
): Promise<SignedInSession & { remaining: number }> {
	const now = ctx.now();
	const outcome = await inTransaction(ctx.db, async (trx) => {
		const used = await trx
			.updateTable('recoveryCodes')
			.set({ usedAt: now })
			.where('userId', '=', user.id)
			.where('codeHash', '=', hashRecoveryCode(code))
			.where('usedAt', 'is', null)
			.returning('codeHash')
			.executeTakeFirst();
		if (!used) return undefined;
		const { remaining } = await trx
			.selectFrom('recoveryCodes')
			.select((eb) => eb.fn.countAll<number>().as('remaining'))
			.where('userId', '=', user.id)
			.where('usedAt', 'is', null)
			.executeTakeFirstOrThrow();
		const signedIn = await replaceWithVerifiedSession(trx, session.id, now);
		await clearLimit(trx, `totp:session:${session.id}`);
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: 'auth.signed_in',
			target: { type: 'user', id: user.id, label: user.email },
			details: { secondFactor: 'recovery code', recoveryCodesLeft: Number(remaining) },
			ipAddress: meta.ip
		});
		return { ...signedIn, remaining: Number(remaining) };
	});
	return outcome ?? wrongCode(ctx, session, now, 'That recovery code is not correct or has been used');
}
