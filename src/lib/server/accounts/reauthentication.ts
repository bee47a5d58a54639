/**
 * Proving it is you again, from a session that is already signed in, before a change that
 * a borrowed or stolen session must not be able to make: a new password (the current one
 * first), turning two-factor off or making new recovery codes (the password and a current
 * code). Guessing is limited per account, across all of these forms: five wrong tries lock
 * them for 15 minutes (NCSC: throttle password guessing).
 */
import type { AppContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { formatRetryAt } from '../../format.ts';
import { verifyPassword } from '../auth/password.ts';
import { clearLimit, hit, limitedUntil, LIMITS } from '../auth/rate-limit.ts';
import { verifyTotpCode } from '../auth/totp.ts';

export interface Proof {
	password: string;
	/** A current code from the authenticator app, where the change touches the second factor. */
	code?: string;
	/** The form field the password was typed in (for the message beside it). */
	passwordField: string;
}

export async function confirmIdentity(ctx: AppContext, userId: string, proof: Proof): Promise<void> {
	const now = ctx.now();
	const key = `reauth:${userId}`;
	const tooMany = (until: Date) =>
		new DomainError(
			'rate_limited',
			`Too many wrong attempts. Try again ${formatRetryAt(until, now)}.`,
			proof.passwordField,
			until
		);
	const lockedUntil = await limitedUntil(ctx.db, key, LIMITS.reauthenticate, now);
	if (lockedUntil) throw tooMany(lockedUntil);
	const row = await ctx.db
		.selectFrom('users')
		.select(['passwordHash', 'totpKeyEncrypted'])
		.where('id', '=', userId)
		.executeTakeFirstOrThrow();
	if (proof.code !== undefined && !row.totpKeyEncrypted) {
		throw new DomainError('conflict', 'Two-factor authentication is already off for your account.');
	}
	const passwordOk = !!row.passwordHash && (await verifyPassword(row.passwordHash, proof.password));
	const codeOk =
		proof.code === undefined ||
		(passwordOk && verifyTotpCode(ctx.secrets.open(row.totpKeyEncrypted!), proof.code, now));
	if (passwordOk && codeOk) {
		await clearLimit(ctx.db, key);
		return;
	}
	const locked = await hit(ctx.db, key, LIMITS.reauthenticate, now);
	if (locked) throw tooMany(locked);
	if (!passwordOk) {
		const message =
			proof.passwordField === 'currentPassword'
				? 'Your current password is not correct'
				: 'Your password is not correct';
		throw new DomainError('invalid', message, proof.passwordField);
	}
	throw new DomainError(
		'invalid',
		'The code is not correct. Check your authenticator app and try again',
		'code'
	);
}
