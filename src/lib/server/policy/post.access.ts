/**
 * The post policy as SQL: which posts' words a reader may see, for every query that returns
 * or searches them (the discussion preview on a practice entry now; search next). A test
 * checks it admits exactly what `mayReadPostWords` allows.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import { moderatedGroupIds } from './group.access.ts';

/** Not deleted, and not hidden unless the reader moderates the group. */
export function postWordsReadable(eb: ExpressionBuilder<Database, 'posts'>, moderator: boolean) {
	return eb.and([
		eb('posts.deletedAt', 'is', null),
		moderator ? sql<boolean>`true` : eb('posts.hiddenAt', 'is', null)
	]);
}

/**
 * As `postWordsReadable`, for posts of many groups at once (search): not deleted, and not hidden
 * unless the reader moderates the post's group (`moderatedGroupIds`), on the post's own copy of
 * its thread's group (`posts.group_id`, kept by triggers). Whether the reader may read the group
 * at all is `readableGroupIds`.
 */
export function postWordsReadableIn<DB extends Database, TB extends keyof DB>(
	eb: ExpressionBuilder<DB, TB>,
	user: SessionUser
) {
	const e = eb as unknown as ExpressionBuilder<Database, 'posts'>;
	return e.and([
		e('posts.deletedAt', 'is', null),
		e.or([e('posts.hiddenAt', 'is', null), e('posts.groupId', 'in', moderatedGroupIds(e, user))])
	]);
}
