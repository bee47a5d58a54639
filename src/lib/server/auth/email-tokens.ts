/**
 * Single-use tokens sent by e-mail (verification, password reset, set password, first
 * administrator). Only the hash is stored; issuing a new one retires older unused ones
 * for the same purpose and account.
 */
import type { Kysely } from 'kysely';
import type { Database, EmailTokenPurpose } from '../db/schema.ts';
import { generateToken, hashToken } from './tokens.ts';

const TOKEN_TTL_MS: Record<EmailTokenPurpose, number> = {
	verify_email: 24 * 60 * 60 * 1000,
	reset_password: 60 * 60 * 1000,
	set_password: 7 * 24 * 60 * 60 * 1000,
	setup: 7 * 24 * 60 * 60 * 1000
};

export async function issueEmailToken(
	db: Kysely<Database>,
	purpose: EmailTokenPurpose,
	owner: { userId: string | null; email: string | null },
	now: Date
): Promise<string> {
	// Only the newest link for an account works. (Set-up links have no account: each one
	// printed stays valid until the first administrator exists.)
	if (owner.userId) {
		await db
			.updateTable('emailTokens')
			.set({ usedAt: now })
			.where('purpose', '=', purpose)
			.where('userId', '=', owner.userId)
			.where('usedAt', 'is', null)
			.execute();
	}
	const token = generateToken();
	await db
		.insertInto('emailTokens')
		.values({
			id: hashToken(token),
			purpose,
			userId: owner.userId,
			email: owner.email,
			createdAt: now,
			expiresAt: new Date(now.getTime() + TOKEN_TTL_MS[purpose])
		})
		.execute();
	return token;
}

export type TokenState =
	{ state: 'valid'; userId: string | null; email: string | null } | { state: 'invalid' | 'expired' | 'used' };

/** Looks at a token without using it (for the page that shows the confirm button). */
export async function peekEmailToken(
	db: Kysely<Database>,
	purpose: EmailTokenPurpose,
	token: string,
	now: Date
): Promise<TokenState> {
	if (!/^[a-z2-7]{32}$/.test(token)) return { state: 'invalid' };
	const row = await db
		.selectFrom('emailTokens')
		.select(['userId', 'email', 'expiresAt', 'usedAt'])
		.where('id', '=', hashToken(token))
		.where('purpose', '=', purpose)
		.executeTakeFirst();
	if (!row) return { state: 'invalid' };
	if (row.usedAt) return { state: 'used' };
	if (row.expiresAt <= now) return { state: 'expired' };
	return { state: 'valid', userId: row.userId, email: row.email };
}

/** Uses a token exactly once, even when two requests race. */
export async function consumeEmailToken(
	db: Kysely<Database>,
	purpose: EmailTokenPurpose,
	token: string,
	now: Date
): Promise<TokenState> {
	const peek = await peekEmailToken(db, purpose, token, now);
	if (peek.state !== 'valid') return peek;
	const used = await db
		.updateTable('emailTokens')
		.set({ usedAt: now })
		.where('id', '=', hashToken(token))
		.where('usedAt', 'is', null)
		.returning(['userId', 'email'])
		.executeTakeFirst();
	return used ? { state: 'valid', userId: used.userId, email: used.email } : { state: 'used' };
}
