/**
 * Whose profile a signed-in person may see: anyone whose address is confirmed (an unconfirmed
 * account is not a person yet). The profile page asks `mayViewProfile`; search and lists of
 * people filter by `profileVisible`, its SQL form, and show no more than the profile does
 * (name, job title, organisation). A test checks the two agree.
 */
import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';

export function mayViewProfile(person: { emailVerifiedAt: Date | null }): boolean {
	return person.emailVerifiedAt !== null;
}

export function profileVisible(eb: ExpressionBuilder<Database, 'users'>) {
	return eb('users.emailVerifiedAt', 'is not', null);
}
