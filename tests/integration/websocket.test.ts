/**
 * /ws over a real socket on an ephemeral port: who may connect, the protocol, and
 * subscriptions that replay the backlog and then stream live events without gaps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sql } from 'kysely';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { createUser } from '../support/accounts.ts';
import { createSession, validateSessionToken, type SessionUser } from '../../src/lib/server/auth/session.ts';
import { announceAccessChange, publishEvent } from '../../src/lib/server/events/publish.ts';
import { pruneEvents } from '../../src/lib/server/events/retention.ts';
import { createGroup } from '../../src/lib/server/groups/group.service.ts';
import { joinGroup, removeMemberRow } from '../../src/lib/server/groups/membership.service.ts';
import { reply, startThread } from '../../src/lib/server/discussions/thread.service.ts';
import { deletePost, editPost, setHidden } from '../../src/lib/server/discussions/post.service.ts';
import { moveThread } from '../../src/lib/server/discussions/thread-moderation.service.ts';
import { removeMember } from '../../src/lib/server/groups/moderation.service.ts';
import { setSuspended } from '../../src/lib/server/accounts/admin.service.ts';
import { signOut } from '../../src/lib/server/accounts/sign-in.service.ts';
import { hashToken } from '../../src/lib/server/auth/tokens.ts';

let host: TestHost;
let wsUrl: string;
let clock = new Date();
const meta = { ip: '127.0.0.1', userAgent: 'test' };

beforeAll(async () => {
	host = await createTestHost('ws', { pages: false, listen: true, now: () => clock });
	await host.app.listen({ port: 0, host: '127.0.0.1' });
	const address = host.app.server.address();
	if (!address || typeof address !== 'object') throw new Error('no address');
	wsUrl = `ws://127.0.0.1:${address.port}/ws`;
});
afterAll(async () => {
	await host?.close();
});

let n = 0;
async function account(): Promise<{ user: SessionUser; token: string }> {
	const created = await createUser(host.ctx, `ws${++n}@kent.police.uk`);
	const { token } = await createSession(host.ctx.db, created.id, { twoFactorVerified: true }, clock);
	return { user: (await validateSessionToken(host.ctx.db, token, clock))!.user, token };
}

function connect(token?: string, origin: string | undefined = host.ctx.config.origin): Promise<WebSocket> {
	return new Promise((resolve, reject) => {
		const headers: Record<string, string> = {};
		if (origin) headers.origin = origin;
		if (token) headers.cookie = `muster_session=${token}`;
		const socket = new WebSocket(wsUrl, { headers });
		socket.once('open', () => resolve(socket));
		socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
		socket.once('error', reject);
	});
}

/** Collects every message; `until` waits for one that matches. */
function recorder(socket: WebSocket) {
	const messages: Array<Record<string, unknown>> = [];
	const waiters: Array<{
		match: (m: Record<string, unknown>) => boolean;
		resolve: (m: Record<string, unknown>) => void;
	}> = [];
	socket.on('message', (data) => {
		const message = JSON.parse(data.toString()) as Record<string, unknown>;
		messages.push(message);
		for (const w of [...waiters]) {
			if (w.match(message)) {
				waiters.splice(waiters.indexOf(w), 1);
				w.resolve(message);
			}
		}
	});
	return {
		messages,
		until(match: (m: Record<string, unknown>) => boolean, ms = 5_000): Promise<Record<string, unknown>> {
			const found = messages.find(match);
			if (found) return Promise.resolve(found);
			return new Promise((resolve, reject) => {
				const timer = setTimeout(
					() => reject(new Error(`no matching message in ${ms} ms: ${JSON.stringify(messages.slice(-5))}`)),
					ms
				);
				waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
			});
		}
	};
}

describe('connecting to /ws', () => {
	it('needs the site’s own origin and a signed-in session', async () => {
		const { token } = await account();
		await expect(connect(token, 'https://evil.example')).rejects.toThrow('HTTP 403');
		await expect(connect(token, '')).rejects.toThrow('HTTP 403');
		await expect(connect(undefined)).rejects.toThrow('HTTP 401');
		await expect(connect('a'.repeat(32))).rejects.toThrow('HTTP 401');
		(await connect(token)).close();
	});

	it('answers ping with pong, and malformed messages with error invalid while staying usable', async () => {
		const socket = await connect((await account()).token);
		const r = recorder(socket);
		for (const bad of ['not json', '[]', '{"type":"launch"}', 'null', '{"type":"subscribe","channel":5}'])
			socket.send(bad);
		socket.send('{"type":"ping"}');
		await r.until((m) => m.type === 'pong');
		expect(r.messages.filter((m) => m.type === 'error' && m.code === 'invalid')).toHaveLength(5);
		socket.close();
	});

	it('closes a socket that sends a message over 16 KiB', async () => {
		const socket = await connect((await account()).token);
		const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
		socket.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(17 * 1024) }));
		expect(await closed).toBe(1009);
	});
});

describe('subscriptions', () => {
	async function threadFixture() {
		const owner = await account();
		const slug = await createGroup(
			host.ctx,
			owner.user,
			{ name: `Live group ${++n}`, description: '', visibility: 'open', audience: 'police' },
			meta
		);
		clock = new Date(clock.getTime() + 10_000);
		const thread = await startThread(host.ctx, owner.user, slug, { title: 'Live thread', body: 'First' });
		const group = await host.ctx.db
			.selectFrom('groups')
			.select('id')
			.where('slug', '=', slug)
			.executeTakeFirstOrThrow();
		return { owner, slug, thread, groupId: group.id };
	}

	it('a channel the account may not see is "not found"', async () => {
		const { thread, groupId } = await threadFixture();
		const outsider = await account();
		const socket = await connect(outsider.token);
		const r = recorder(socket);
		for (const channel of [
			`thread:${thread.id}`,
			`group:${groupId}`,
			`user:${(await account()).user.id}`,
			'thread:999999',
			'group:999999999999999',
			'nonsense'
		]) {
			socket.send(JSON.stringify({ type: 'subscribe', channel }));
			expect(await r.until((m) => m.type === 'error' && m.channel === channel)).toMatchObject({
				code: 'not_found'
			});
		}
		socket.close();
	});

	it('a group replays nothing about a thread since moved into a private group', async () => {
		const { owner, slug, thread, groupId } = await threadFixture();
		clock = new Date(clock.getTime() + 10_000);
		const secret = await startThread(host.ctx, owner.user, slug, {
			title: 'Covert source meeting Tuesday',
			body: 'Details to follow'
		});
		const moderator = { ...owner.user, twoFactorEnabled: true };
		const privateSlug = await createGroup(
			host.ctx,
			moderator,
			{ name: `Covert ${++n}`, description: '', visibility: 'private', audience: 'police' },
			meta
		);
		await moveThread(host.ctx, moderator, slug, secret.id, privateSlug, 'Sensitive', meta);
		// Someone who joins the open group later and asks for its whole backlog.
		const member = await account();
		await joinGroup(host.ctx, member.user, slug, meta);
		const socket = await connect(member.token);
		const r = recorder(socket);
		socket.send(JSON.stringify({ type: 'subscribe', channel: `group:${groupId}`, since: 0 }));
		await r.until((m) => m.type === 'subscribed');
		clock = new Date(clock.getTime() + 10_000);
		await reply(host.ctx, owner.user, slug, thread.id, 'Still here');
		await r.until((m) => m.type === 'event' && m.event === 'thread.activity');
		expect(JSON.stringify(r.messages)).not.toContain('Covert source meeting');
		// The thread that stayed is replayed as before.
		expect(
			r.messages.filter((m) => m.type === 'event').map((m) => [m.event, (m.data as { title?: string }).title])
		).toContainEqual(['thread.created', 'Live thread']);
		socket.close();
	});

	it('streams a reply posted after subscribing, with the rendered post', async () => {
		const { owner, slug, thread } = await threadFixture();
		const member = await account();
		await joinGroup(host.ctx, member.user, slug, meta);
		const socket = await connect(member.token);
		const r = recorder(socket);
		socket.send(JSON.stringify({ type: 'subscribe', channel: `thread:${thread.id}` }));
		await r.until((m) => m.type === 'subscribed');
		clock = new Date(clock.getTime() + 10_000);
		await reply(host.ctx, owner.user, slug, thread.id, 'Live **reply**');
		const event = await r.until((m) => m.type === 'event' && m.event === 'post.created');
		expect(event).toMatchObject({
			channel: `thread:${thread.id}`,
			data: { number: 2, html: '<p>Live <strong>reply</strong></p>' }
		});
		socket.close();
	});

	it('replays exactly the events after `since`, in order, then goes live with no gap or duplicate', async () => {
		const { owner, thread } = await threadFixture();
		const channel = `thread:${thread.id}`;
		const ids: number[] = [];
		for (let i = 0; i < 500; i++) {
			ids.push(
				await host.ctx.db
					.transaction()
					.execute((trx) => publishEvent(trx, { channel, type: 'test', data: { i } }))
			);
		}
		const since = ids[199]!;
		const socket = await connect(owner.token);
		const r = recorder(socket);
		socket.send(JSON.stringify({ type: 'subscribe', channel, since }));
		// Live events published while the backlog is being read must not be lost or repeated.
		const live = Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				host.ctx.db
					.transaction()
					.execute((trx) => publishEvent(trx, { channel, type: 'test', data: { i: 500 + i } }))
			)
		);
		await r.until((m) => m.type === 'subscribed');
		const liveIds = await live;
		const last = Math.max(...liveIds);
		await r.until((m) => m.type === 'event' && m.id === last);
		const got = r.messages.filter((m) => m.type === 'event' && m.event === 'test').map((m) => m.id as number);
		const expected = [...ids.filter((id) => id > since), ...liveIds].sort((a, b) => a - b);
		expect(got).toEqual(expected);
		socket.close();
	});

	it('prunes old backlog and tells a client resuming from before it to resync', async () => {
		const { owner, thread } = await threadFixture();
		const channel = `thread:${thread.id}`;
		const first = await host.ctx.db
			.transaction()
			.execute((trx) => publishEvent(trx, { channel, type: 'test', data: {} }));
		for (let i = 0; i < 4; i++)
			await host.ctx.db
				.transaction()
				.execute((trx) => publishEvent(trx, { channel, type: 'test', data: {} }));
		const removed = await pruneEvents(host.ctx.db, new Date(), { maxAgeMs: 365 * 86_400_000, perChannel: 2 });
		expect(removed).toBeGreaterThanOrEqual(3);
		const socket = await connect(owner.token);
		const r = recorder(socket);
		socket.send(JSON.stringify({ type: 'subscribe', channel, since: first }));
		expect(await r.until((m) => m.type === 'resync')).toEqual({ type: 'resync', channel });
		// Resuming from within the retained backlog still works.
		const kept = await host.ctx.db
			.selectFrom('events')
			.select('id')
			.where('channel', '=', channel)
			.orderBy('id')
			.execute();
		socket.send(JSON.stringify({ type: 'subscribe', channel, since: kept[0]!.id }));
		await r.until((m) => m.type === 'subscribed');
		expect(r.messages.filter((m) => m.type === 'event').map((m) => m.id)).toEqual([kept[1]!.id]);
		socket.close();
	});

	it('the same channel asked for twice at once is subscribed once, and each event arrives once', async () => {
		const { owner, thread } = await threadFixture();
		const channel = `thread:${thread.id}`;
		const socket = await connect(owner.token);
		const r = recorder(socket);
		socket.send(JSON.stringify({ type: 'subscribe', channel }));
		socket.send(JSON.stringify({ type: 'subscribe', channel }));
		await r.until((m) => m.type === 'subscribed');
		await r.until((m) => m.type === 'error' && m.code === 'invalid' && m.channel === channel);
		const id = await host.ctx.db
			.transaction()
			.execute((trx) => publishEvent(trx, { channel, type: 'once', data: {} }));
		await r.until((m) => m.type === 'event' && m.id === id);
		socket.send('{"type":"ping"}');
		await r.until((m) => m.type === 'pong');
		expect(r.messages.filter((m) => m.type === 'subscribed')).toHaveLength(1);
		expect(r.messages.filter((m) => m.type === 'event' && m.id === id)).toHaveLength(1);
		socket.close();
	});

	it('a replay never brings back words hidden, deleted or edited away since, nor edits of a hidden post', async () => {
		const { owner, slug, thread } = await threadFixture();
		const channel = `thread:${thread.id}`;
		const writer = await account();
		await joinGroup(host.ctx, writer.user, slug, meta);
		const member = await account();
		await joinGroup(host.ctx, member.user, slug, meta);
		const since = Number(
			(
				await host.ctx.db
					.selectFrom('events')
					.select((eb) => eb.fn.max('id').as('max'))
					.where('channel', '=', channel)
					.executeTakeFirst()
			)?.max ?? 0
		);
		const post = async (text: string) => {
			clock = new Date(clock.getTime() + 10_000);
			return reply(host.ctx, writer.user, slug, thread.id, text);
		};
		const hidden = await post('Victim HIDDEN-NAME at the safe house');
		const edited = await post('Witness EDITED-AWAY-NAME saw it');
		const deleted = await post('DELETED-WORDS by mistake');
		const kept = await post('Nothing sensitive here');
		const moderator = { ...owner.user, twoFactorEnabled: true };
		await setHidden(host.ctx, moderator, slug, hidden.id, { hide: true, reason: 'Names a victim' }, meta);
		await editPost(host.ctx, writer.user, slug, edited.id, 'Witness [name removed] saw it');
		await deletePost(host.ctx, writer.user, slug, deleted.id);

		const socket = await connect(member.token);
		const r = recorder(socket);
		socket.send(JSON.stringify({ type: 'subscribe', channel, since }));
		await r.until((m) => m.type === 'subscribed');
		// Live: the author edits the hidden post; its new words go to no one.
		await editPost(host.ctx, writer.user, slug, hidden.id, 'Victim HIDDEN-NAME-AGAIN moved');
		clock = new Date(clock.getTime() + 10_000);
		const last = await reply(host.ctx, writer.user, slug, thread.id, 'Last one');
		await r.until((m) => m.type === 'event' && (m.data as { id?: number }).id === last.id);

		const seen = JSON.stringify(r.messages);
		for (const secret of ['HIDDEN-NAME', 'EDITED-AWAY-NAME', 'DELETED-WORDS'])
			expect(seen).not.toContain(secret);
		const events = r.messages.filter((m) => m.type === 'event');
		const of = (id: number) =>
			events.filter((m) => (m.data as { id?: number }).id === id).map((m) => m.event);
		// The page still learns what happened to each post, in order.
		expect(of(hidden.id)).toEqual(['post.created', 'post.hidden']);
		expect(of(deleted.id)).toEqual(['post.created', 'post.deleted']);
		expect(of(edited.id)).toEqual(['post.created', 'post.edited']);
		const words = (id: number) =>
			events
				.filter((m) => (m.data as { id?: number }).id === id)
				.map((m) => (m.data as { html?: string }).html);
		expect(words(edited.id)).toEqual([
			'<p>Witness [name removed] saw it</p>',
			'<p>Witness [name removed] saw it</p>'
		]);
		expect(words(kept.id)).toEqual(['<p>Nothing sensitive here</p>']);
		socket.close();
	});

	it('an event from a rolled-back transaction is never delivered', async () => {
		const { owner, thread } = await threadFixture();
		const channel = `thread:${thread.id}`;
		const socket = await connect(owner.token);
		const r = recorder(socket);
		socket.send(JSON.stringify({ type: 'subscribe', channel }));
		await r.until((m) => m.type === 'subscribed');
		await host.ctx.db
			.transaction()
			.execute(async (trx) => {
				await publishEvent(trx, { channel, type: 'ghost', data: {} });
				throw new Error('roll back');
			})
			.catch(() => {});
		await host.ctx.db.transaction().execute((trx) => publishEvent(trx, { channel, type: 'real', data: {} }));
		await r.until((m) => m.type === 'event' && m.event === 'real');
		expect(r.messages.some((m) => m.event === 'ghost')).toBe(false);
		const stored = await sql<{
			n: number;
		}>`select count(*)::int as n from events where type = 'ghost'`.execute(host.ctx.db);
		expect(stored.rows[0]!.n).toBe(0);
		socket.close();
	});
});

describe('losing access ends subscriptions at once', () => {
	async function memberWatching() {
		const owner = await account();
		const slug = await createGroup(
			host.ctx,
			owner.user,
			{ name: `Revocation ${++n}`, description: '', visibility: 'open', audience: 'police' },
			meta
		);
		clock = new Date(clock.getTime() + 10_000);
		const thread = await startThread(host.ctx, owner.user, slug, { title: 'Watched thread', body: 'First' });
		const member = await account();
		await joinGroup(host.ctx, member.user, slug, meta);
		const socket = await connect(member.token);
		const r = recorder(socket);
		const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
		socket.send(JSON.stringify({ type: 'subscribe', channel: `thread:${thread.id}` }));
		await r.until((m) => m.type === 'subscribed');
		return { owner, slug, thread, member, socket, r, closed };
	}

	it.each([
		['removal', false],
		['ban', true]
	] as const)('on %s from the group', async (_label, ban) => {
		const { owner, slug, thread, member, socket, r } = await memberWatching();
		await removeMember(
			host.ctx,
			{ ...owner.user, twoFactorEnabled: true },
			slug,
			member.user.id,
			'test',
			meta,
			ban
		);
		expect(await r.until((m) => m.type === 'error' && m.code === 'revoked')).toMatchObject({
			channel: `thread:${thread.id}`
		});
		// Nothing more arrives from that thread.
		clock = new Date(clock.getTime() + 10_000);
		await reply(host.ctx, owner.user, slug, thread.id, 'After the removal');
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(
			r.messages.some(
				(m) => m.type === 'event' && (m.data as { html?: string }).html?.includes('After the removal')
			)
		).toBe(false);
		socket.close();
	});

	it('nothing that follows the change reaches the reader, even in the same delivery as the change', async () => {
		const { thread, member, socket, r } = await memberWatching();
		const { groupId } = await host.ctx.db
			.selectFrom('threads')
			.select('groupId')
			.where('id', '=', thread.id)
			.executeTakeFirstOrThrow();
		// The removal's announcement and a post written straight after it become visible at
		// once, so every node reads them together, the announcement first.
		await host.ctx.db.transaction().execute(async (trx) => {
			await removeMemberRow(trx, groupId, member.user.id);
			await announceAccessChange(trx, member.user.id);
			await publishEvent(trx, {
				channel: `thread:${thread.id}`,
				type: 'post.created',
				data: { html: '<p>Written after the removal</p>' }
			});
		});
		await r.until((m) => m.type === 'error' && m.code === 'revoked');
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(r.messages.some((m) => m.type === 'event' && m.channel === `thread:${thread.id}`)).toBe(false);
		socket.close();
	});

	it('on suspension and on signing out: the connection closes with "session ended"', async () => {
		const suspended = await memberWatching();
		const admin = await account();
		await setSuspended(
			host.ctx,
			{ ...admin.user, isAdmin: true },
			suspended.member.user.id,
			true,
			'test',
			meta
		);
		expect(await suspended.closed).toBe(4001);

		const signedOut = await memberWatching();
		await signOut(host.ctx, hashToken(signedOut.member.token));
		expect(await signedOut.closed).toBe(4001);
	});

	it('limits how fast one socket may send', async () => {
		const socket = await connect((await account()).token);
		const r = recorder(socket);
		for (let i = 0; i < 100; i++) socket.send('{"type":"ping"}');
		await r.until((m) => m.type === 'error' && m.code === 'too_many');
		expect(r.messages.filter((m) => m.type === 'pong').length).toBeLessThan(100);
		socket.close();
	});
});
