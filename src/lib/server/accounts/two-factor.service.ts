/**
 * Enrolling in and leaving two-factor authentication, and recovery codes.
 * The key is only stored (encrypted) once the person proves their app has it.
 */
import type { AppContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { markSessionTwoFactorVerified, type Session } from '../auth/session.ts';
import { generateRecoveryCodes, hashRecoveryCode, verifyTotpCode } from '../auth/totp.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { RequestMeta } from '../request-meta.ts';
import { confirmIdentity } from './reauthentication.ts';
import { inTransaction } from '../db/transaction.ts';

async function replaceRecoveryCodes(db: Kysely<Database>, userId: string): Promise<string[]> {
	const codes = generateRecoveryCodes();
	await db.deleteFrom('recoveryCodes').where('userId', '=', userId).execute();
	await db
		.insertInto('recoveryCodes')
		.values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code), usedAt: null })))
		.execute();
	return codes;
}

/** Turns two-factor on; returns the ten recovery codes, to show once. */
export async function enableTwoFactor(
	ctx: AppContext,
	user: { id: string; email: string; twoFactorEnabled: boolean },
	session: Session,
	key: Uint8Array,
	code: string,
	meta: RequestMeta
): Promise<string[]> {
	const now = ctx.now();
	if (user.twoFactorEnabled)
		throw new DomainError('conflict', 'Two-factor authentication is already on for your account.');
	if (key.length !== 20) throw new DomainError('invalid', 'The set-up expired. Start again.', 'code');
	if (!verifyTotpCode(key, code, now)) {
		throw new DomainError(
			'invalid',
			'The code is not correct. Check the key in your app and try the newest code',
			'code'
		);
	}
	return inTransaction(ctx.db, async (trx) => {
		await trx
			.updateTable('users')
			.set({ totpKeyEncrypted: ctx.secrets.seal(key), totpEnabledAt: now, updatedAt: now })
			.where('id', '=', user.id)
			.execute();
		const codes = await replaceRecoveryCodes(trx, user.id);
		// Other sessions were signed in with the password alone: end them.
		await trx.deleteFrom('sessions').where('userId', '=', user.id).where('id', '!=', session.id).execute();
		await markSessionTwoFactorVerified(trx, session.id);
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: 'account.two_factor_enabled',
			target: { type: 'user', id: user.id, label: user.email },
			ipAddress: meta.ip
		});
		return codes;
	});
}

export async function disableTwoFactor(
	ctx: AppContext,
	user: { id: string; email: string },
	input: { password: string; code: string },
	meta: RequestMeta
): Promise<void> {
	const now = ctx.now();
	await confirmIdentity(ctx, user.id, { ...input, passwordField: 'password' });
	await inTransaction(ctx.db, async (trx) => {
		await trx
			.updateTable('users')
			.set({ totpKeyEncrypted: null, totpEnabledAt: null, updatedAt: now })
			.where('id', '=', user.id)
			.execute();
		await trx.deleteFrom('recoveryCodes').where('userId', '=', user.id).execute();
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: 'account.two_factor_disabled',
			target: { type: 'user', id: user.id, label: user.email },
			ipAddress: meta.ip
		});
	});
}

/** New recovery codes (the old ones stop working): the password and a current code first. */
export async function regenerateRecoveryCodes(
	ctx: AppContext,
	user: { id: string; email: string; twoFactorEnabled: boolean },
	input: { password: string; code: string },
	meta: RequestMeta
): Promise<string[]> {
	if (!user.twoFactorEnabled) throw new DomainError('conflict', 'Turn on two-factor authentication first.');
	await confirmIdentity(ctx, user.id, { ...input, passwordField: 'password' });
	return inTransaction(ctx.db, async (trx) => {
		const codes = await replaceRecoveryCodes(trx, user.id);
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: 'account.recovery_codes_replaced',
			target: { type: 'user', id: user.id, label: user.email },
			ipAddress: meta.ip
		});
		return codes;
	});
}

export async function remainingRecoveryCodes(ctx: AppContext, userId: string): Promise<number> {
	const row = await ctx.db
		.selectFrom('recoveryCodes')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('userId', '=', userId)
		.where('usedAt', 'is', null)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}
