/**
 * Many people writing in one group at the same moment (an outside review saw six of eight
 * new threads lost to deadlocks): every post is stored once, counters are exact, and the
 * thread's events are numbered in the order their posts were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { createUser } from '../support/accounts.ts';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session.ts';
import { createGroup } from '../../src/lib/server/groups/group.service.ts';
import { addMember } from '../../src/lib/server/groups/membership.service.ts';
import { inTransaction, NOT_SAVED } from '../../src/lib/server/db/transaction.ts';
import { DomainError } from '../../src/lib/server/errors.ts';

let host: TestHost;
let slug: string;
let groupId: number;
const tokens: string[] = [];
const PEOPLE = 50;

beforeAll(async () => {
	host = await createTestHost('concurrency');
	const ownerAccount = await createUser(host.ctx, 'busy.owner@kent.police.uk');
	const { token } = await createSession(host.ctx.db, ownerAccount.id, {}, host.ctx.now());
	const owner = (await validateSessionToken(host.ctx.db, token, host.ctx.now()))!.user;
	slug = await createGroup(
		host.ctx,
		owner,
		{ name: 'Busy group', description: '', visibility: 'open', audience: 'police' },
		{ ip: null, userAgent: null }
	);
	groupId = (
		await host.ctx.db.selectFrom('groups').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
	).id;
	for (let i = 0; i < PEOPLE; i++) {
		const person = await createUser(host.ctx, `busy.${i}@kent.police.uk`);
		await inTransaction(host.ctx.db, (trx) => addMember(trx, groupId, person.id, 'member', host.ctx.now()));
		tokens.push((await createSession(host.ctx.db, person.id, {}, host.ctx.now())).token);
	}
}, 120_000);

afterAll(async () => {
	await host?.close();
});

const post = (token: string, url: string, form: Record<string, string>) =>
	host.app.inject({
		method: 'POST',
		url,
		headers: {
			cookie: `muster_session=${token}`,
			'content-type': 'application/x-www-form-urlencoded',
			origin: host.ctx.config.origin,
			accept: 'text/html'
		},
		payload: new URLSearchParams(form).toString()
	});

describe('many people at the same moment', () => {
	it('fifty new threads in one group: every one stored once', async () => {
		const answers = await Promise.all(
			tokens.map((token, i) =>
				post(token, `/groups/${slug}/new?/post`, {
					title: `Busy thread ${i}`,
					body: `Started by person ${i}`
				})
			)
		);
		expect(answers.map((a) => a.statusCode)).toEqual(tokens.map(() => 303));
		const threads = await host.ctx.db
			.selectFrom('threads')
			.select(['title', 'postCount'])
			.where('groupId', '=', groupId)
			.execute();
		expect(threads.map((t) => t.title).sort()).toEqual(tokens.map((_, i) => `Busy thread ${i}`).sort());
		expect(threads.every((t) => t.postCount === 1)).toBe(true);
	}, 60_000);

	it('fifty replies to one thread: numbered 1 to 51 without a gap, announced in that order', async () => {
		const first = await host.ctx.db
			.selectFrom('threads')
			.select(['id', 'title'])
			.where('groupId', '=', groupId)
			.orderBy('id')
			.executeTakeFirstOrThrow();
		const path = `/groups/${slug}/t/${first.id}-x`;
		// The posting limit allows one post every 5 seconds: these people last posted above.
		await host.ctx.db.deleteFrom('rateLimits').execute();
		const answers = await Promise.all(
			tokens.map((token, i) => post(token, `${path}?/reply`, { body: `Reply from person ${i}` }))
		);
		expect(answers.map((a) => a.statusCode)).toEqual(tokens.map(() => 303));
		const posts = await host.ctx.db
			.selectFrom('posts')
			.select(['id', 'number'])
			.where('threadId', '=', first.id)
			.orderBy('number')
			.execute();
		expect(posts.map((p) => p.number)).toEqual(Array.from({ length: PEOPLE + 1 }, (_, i) => i + 1));
		const thread = await host.ctx.db
			.selectFrom('threads')
			.select('postCount')
			.where('id', '=', first.id)
			.executeTakeFirstOrThrow();
		expect(thread.postCount).toBe(PEOPLE + 1);
		// Event ids rise in commit order, and each post took its number inside its commit.
		const events = await host.ctx.db
			.selectFrom('events')
			.select(['id', 'payload'])
			.where('channel', '=', `thread:${first.id}`)
			.where('type', '=', 'post.created')
			.orderBy('id')
			.execute();
		expect(events.map((e) => (e.payload as { number: number }).number)).toEqual(posts.map((p) => p.number));
	}, 60_000);

	it('a transaction that keeps meeting another is tried a few times, then says to try again', async () => {
		let attempts = 0;
		const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
		const outcome = await inTransaction(host.ctx.db, async () => {
			attempts += 1;
			if (attempts < 3) throw deadlock;
			return 'saved';
		});
		expect([outcome, attempts]).toEqual(['saved', 3]);
		attempts = 0;
		const refused = await inTransaction(host.ctx.db, async () => {
			attempts += 1;
			throw deadlock;
		}).catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(DomainError);
		expect(refused).toMatchObject({ code: 'try_again', message: NOT_SAVED });
		expect(attempts).toBe(4);
		// Anything else is not retried.
		attempts = 0;
		await expect(
			inTransaction(host.ctx.db, async () => {
				attempts += 1;
				throw new Error('a bug');
			})
		).rejects.toThrow('a bug');
		expect(attempts).toBe(1);
	});
});
