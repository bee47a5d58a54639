/**
 * The post policy as SQL: which posts' words a reader may see, for every query that returns
 * or searches them (the discussion preview on a practice entry now; search next). A test
 * checks it admits exactly what `mayReadPostWords` allows.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Not deleted, and not hidden unless the reader moderates the group. */
export function postWordsReadable(eb: ExpressionBuilder<Database, 'posts'>, moderator: boolean) {
	return eb.and([
		eb('posts.deletedAt', 'is', null),
		moderator ? sql<boolean>`true` : eb('posts.hiddenAt', 'is', null)
	]);
}
