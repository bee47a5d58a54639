/**
 * Rate limits kept in PostgreSQL, so every node shares them (no process memory).
 * Fixed windows per key: `hit` counts an attempt and says whether it is over the
 * limit; with `lockMs`, reaching the limit locks the key for that long.
 * Pattern from the Lucia examples: check, validate, consume, reset on success.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface Limit {
	limit: number;
	windowMs: number;
	/** Reaching the limit locks the key for this long (sign-in lockout). */
	lockMs?: number;
}

export const LIMITS = {
	signInAccount: { limit: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
	signInIp: { limit: 30, windowMs: 15 * 60_000 },
	registerIp: { limit: 10, windowMs: 60 * 60_000 },
	registerAddress: { limit: 3, windowMs: 60 * 60_000 },
	resetIp: { limit: 10, windowMs: 60 * 60_000 },
	resetAddress: { limit: 3, windowMs: 60 * 60_000 },
	resendVerification: { limit: 3, windowMs: 60 * 60_000 },
	totpSession: { limit: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
	postBurst: { limit: 1, windowMs: 5_000 },
	postHour: { limit: 60, windowMs: 60 * 60_000 },
	/** Proving it is you again (current password, or password and code) from a signed-in session. */
	reauthenticate: { limit: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 }
} satisfies Record<string, Limit>;

/** When the key may be used again, if it is limited now. */
export async function limitedUntil(
	db: Kysely<Database>,
	key: string,
	limit: Limit,
	now: Date
): Promise<Date | undefined> {
	const row = await db
		.selectFrom('rateLimits')
		.select(['hits', 'windowEndsAt', 'lockedUntil'])
		.where('key', '=', key)
		.executeTakeFirst();
	if (!row) return undefined;
	if (row.lockedUntil && row.lockedUntil > now) return row.lockedUntil;
	if (!limit.lockMs && row.windowEndsAt > now && row.hits >= limit.limit) return row.windowEndsAt;
	return undefined;
}

/**
 * Counts one attempt. Returns when the key may be used again if this attempt is over the
 * limit (or, with lockMs, reaches it and starts a lock); undefined otherwise.
 */
export async function hit(
	db: Kysely<Database>,
	key: string,
	limit: Limit,
	now: Date
): Promise<Date | undefined> {
	const windowEnd = new Date(now.getTime() + limit.windowMs);
	const row = await db
		.insertInto('rateLimits')
		.values({ key, hits: 1, windowEndsAt: windowEnd, lockedUntil: null })
		.onConflict((oc) =>
			oc.column('key').doUpdateSet({
				hits: sql`case when rate_limits.window_ends_at <= ${now} then 1 else rate_limits.hits + 1 end`,
				windowEndsAt: sql`case when rate_limits.window_ends_at <= ${now} then ${windowEnd}::timestamptz else rate_limits.window_ends_at end`
			})
		)
		.returning(['hits', 'windowEndsAt'])
		.executeTakeFirstOrThrow();
	if (limit.lockMs) {
		if (row.hits < limit.limit) return undefined;
		const lockedUntil = new Date(now.getTime() + limit.lockMs);
		await db
			.updateTable('rateLimits')
			.set({ hits: 0, lockedUntil, windowEndsAt: now })
			.where('key', '=', key)
			.execute();
		return lockedUntil;
	}
	return row.hits > limit.limit ? row.windowEndsAt : undefined;
}

export async function clearLimit(db: Kysely<Database>, key: string): Promise<void> {
	await db.deleteFrom('rateLimits').where('key', '=', key).execute();
}

/** Old rows are useless once their window and lock have passed. */
export async function pruneRateLimits(db: Kysely<Database>, now: Date): Promise<void> {
	await db
		.deleteFrom('rateLimits')
		.where('windowEndsAt', '<', now)
		.where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', now)]))
		.execute();
}
