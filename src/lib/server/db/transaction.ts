/**
 * Every write transaction goes through here. PostgreSQL may end one that ran into another
 * (deadlock, 40P01) or could not be serialised (40001) even when each takes its locks in
 * the documented order (db/locks.ts): such a failure says nothing about the request, so
 * the whole transaction is run again, a few times, after a short random pause. If it still
 * fails, the person is told it did not save and to try again, with what they typed kept.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { DomainError } from '../errors.ts';

/** SQLSTATEs that mean "run it again": deadlock_detected, serialization_failure. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 4;

function isRetryable(error: unknown): boolean {
	const code = (error as { code?: unknown } | undefined)?.code;
	return typeof code === 'string' && RETRYABLE.has(code);
}

export const NOT_SAVED = 'That did not save because several changes arrived at the same moment. Try again.';

export async function inTransaction<T>(
	db: Kysely<Database>,
	work: (trx: Transaction<Database>) => Promise<T>
): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await db.transaction().execute(work);
		} catch (error) {
			if (!isRetryable(error)) throw error;
			if (attempt >= ATTEMPTS) throw new DomainError('try_again', NOT_SAVED);
			// Back off a little, differently for each contender, so they do not meet again.
			await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
		}
	}
}
