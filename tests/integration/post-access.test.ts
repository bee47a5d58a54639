/**
 * The post policy's SQL form admits exactly the posts whose words the pure policy lets a
 * reader see: visible ones to everyone who may read the thread, hidden ones to its moderators
 * only, deleted ones to nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/test-context.ts';
import { createUser } from '../support/accounts.ts';
import { postWordsReadable } from '../../src/lib/server/policy/post.access.ts';
import { mayReadPostWords, postState } from '../../src/lib/server/policy/post.policy.ts';

let t: TestContext;
let threadId = 0;

beforeAll(async () => {
	t = await createTestContext('post_access');
	const author = await createUser(t.ctx, 'author@kent.police.uk');
	const group = await t.ctx.db
		.insertInto('groups')
		.values({ slug: 'posts', name: 'Posts', visibility: 'open', audience: 'police' })
		.returning('id')
		.executeTakeFirstOrThrow();
	const thread = await t.ctx.db
		.insertInto('threads')
		.values({ groupId: group.id, authorId: author.id, title: 'States', postCount: 5 })
		.returning('id')
		.executeTakeFirstOrThrow();
	threadId = thread.id;
	const at = new Date('2026-12-01T10:00:00Z');
	const states = [
		{},
		{ hiddenAt: at, hiddenReason: 'Names a victim' },
		{ deletedAt: at },
		{ deletedAt: at, hiddenAt: at, hiddenReason: 'Hidden, then deleted' },
		{}
	];
	await t.ctx.db
		.insertInto('posts')
		.values(
			states.map((state, i) => ({
				threadId,
				number: i + 1,
				authorId: author.id,
				source: `post ${i + 1}`,
				html: `<p>post ${i + 1}</p>`,
				...state
			}))
		)
		.execute();
});
afterAll(async () => {
	await t?.close();
});

describe('hidden and deleted posts', () => {
	it.each([false, true])(
		'the SQL admits exactly the words the policy shows (moderator: %s)',
		async (moderator) => {
			const all = await t.ctx.db
				.selectFrom('posts')
				.select(['number', 'deletedAt', 'hiddenAt'])
				.where('threadId', '=', threadId)
				.orderBy('number')
				.execute();
			expect(all.map(postState)).toEqual(['visible', 'hidden', 'deleted', 'deleted', 'visible']);
			const admitted = await t.ctx.db
				.selectFrom('posts')
				.select('number')
				.where('threadId', '=', threadId)
				.where((eb) => postWordsReadable(eb, moderator))
				.orderBy('number')
				.execute();
			const allowed = all.filter((p) => mayReadPostWords(p, moderator)).map((p) => p.number);
			expect(admitted.map((p) => p.number)).toEqual(allowed);
			expect(allowed).toEqual(moderator ? [1, 2, 5] : [1, 5]);
		}
	);
});
