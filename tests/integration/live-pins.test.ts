/**
 * Pinning is announced to both pages that show it: the thread's (its "Pinned" marker) and
 * its group's (the thread's place in the list), and a group's backlog says nothing of a
 * thread that has since moved away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/test-context.ts';
import { createUser } from '../support/accounts.ts';
import { createSession, validateSessionToken, type SessionUser } from '../../src/lib/server/auth/session.ts';
import { createGroup } from '../../src/lib/server/groups/group.service.ts';
import { startThread } from '../../src/lib/server/discussions/thread.service.ts';
import { moveThread, setPinned } from '../../src/lib/server/discussions/thread-moderation.service.ts';
import { backlogAfter } from '../../src/lib/server/events/replay.ts';

let context: TestContext;
const meta = { ip: '127.0.0.1', userAgent: 'test' };

beforeAll(async () => {
	context = await createTestContext('live_pins');
});
afterAll(async () => {
	await context?.close();
});

let n = 0;
/** A police officer with two-factor on, who may create and moderate groups. */
async function moderator(): Promise<SessionUser> {
	const created = await createUser(context.ctx, `pins${++n}@kent.police.uk`);
	const { token } = await createSession(context.ctx.db, created.id, { twoFactorVerified: true }, new Date());
	const { user } = (await validateSessionToken(context.ctx.db, token, new Date()))!;
	return { ...user, twoFactorEnabled: true };
}

async function groupOf(user: SessionUser, name: string, visibility: 'open' | 'private' = 'open') {
	const slug = await createGroup(
		context.ctx,
		user,
		{ name: `${name} ${++n}`, description: '', visibility, audience: 'police' },
		meta
	);
	const { id } = await context.ctx.db
		.selectFrom('groups')
		.select('id')
		.where('slug', '=', slug)
		.executeTakeFirstOrThrow();
	return { slug, id };
}

/** The pin events about this thread, on any channel, in order. */
async function pinEvents(threadId: number) {
	const rows = await context.ctx.db
		.selectFrom('events')
		.select(['channel', 'payload'])
		.where('type', '=', 'thread.pinned')
		.orderBy('id')
		.execute();
	return rows
		.filter(
			(r) => r.channel === `thread:${threadId}` || (r.payload as { threadId?: number }).threadId === threadId
		)
		.map((r) => [r.channel, r.payload]);
}

describe('pinning a thread', () => {
	it('is announced on the thread’s channel and on its group’s, and so is unpinning', async () => {
		const owner = await moderator();
		const group = await groupOf(owner, 'Pins');
		const thread = await startThread(context.ctx, owner, group.slug, { title: 'Read first', body: 'Rules' });
		await setPinned(context.ctx, owner, group.slug, thread.id, { pinned: true, reason: 'Rules' }, meta);
		await setPinned(context.ctx, owner, group.slug, thread.id, { pinned: false, reason: 'Done' }, meta);
		expect(await pinEvents(thread.id)).toEqual([
			[`thread:${thread.id}`, { pinned: true }],
			[`group:${group.id}`, { threadId: thread.id, pinned: true }],
			[`thread:${thread.id}`, { pinned: false }],
			[`group:${group.id}`, { threadId: thread.id, pinned: false }]
		]);
	});

	it('goes to the group the thread is in now, and a group’s backlog forgets a thread moved away', async () => {
		const owner = await moderator();
		const open = await groupOf(owner, 'Open desk');
		const hidden = await groupOf(owner, 'Private desk', 'private');
		const thread = await startThread(context.ctx, owner, open.slug, { title: 'Source', body: 'Details' });
		await setPinned(context.ctx, owner, open.slug, thread.id, { pinned: true, reason: 'Key' }, meta);
		await moveThread(context.ctx, owner, open.slug, thread.id, hidden.slug, 'Sensitive', meta);
		await setPinned(context.ctx, owner, hidden.slug, thread.id, { pinned: false, reason: 'Over' }, meta);
		expect((await pinEvents(thread.id)).filter(([channel]) => channel !== `thread:${thread.id}`)).toEqual([
			[`group:${open.id}`, { threadId: thread.id, pinned: true }],
			[`group:${hidden.id}`, { threadId: thread.id, pinned: false }]
		]);
		// Someone catching up on the open group hears nothing of the thread now elsewhere.
		const backlog = await backlogAfter(context.ctx.db, `group:${open.id}`, 0, 100);
		expect(backlog.events.filter((e) => (e.data as { threadId?: number }).threadId === thread.id)).toEqual(
			[]
		);
	});
});
