/**
 * One live connection's steps, each on its own: a Connection on a real database, driven
 * directly (no server, no timers) through a socket that records what it is sent. The
 * whole path over a real socket is tested in websocket*.test.ts.
 */
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createTestContext, type TestContext } from '../support/test-context.ts';
import { createUser } from '../support/accounts.ts';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session.ts';
import { publishEvent } from '../../src/lib/server/events/publish.ts';
import { Connection } from '../../src/server/realtime/connection.ts';
import { CLOSE_SESSION_ENDED } from '../../src/lib/realtime/protocol.ts';

let context: TestContext;
let clock = new Date();

beforeAll(async () => {
	context = await createTestContext('hub_connection', { now: () => clock });
});
afterAll(async () => {
	await context?.close();
});

/** The server's end of a socket, as far as a Connection uses it, recording what happens to it. */
class RecordingSocket extends EventEmitter {
	readonly OPEN = 1;
	readyState = 1;
	bufferedAmount = 0;
	sent: Array<Record<string, unknown>> = [];
	pings = 0;
	terminated = false;
	closedWith: number | undefined;
	send(data: string | Buffer, _options: unknown, done?: (error?: Error) => void) {
		this.sent.push(JSON.parse(data.toString()));
		done?.();
	}
	ping() {
		this.pings += 1;
	}
	terminate() {
		this.terminated = true;
		this.readyState = 3;
	}
	close(code: number) {
		this.closedWith = code;
		this.readyState = 2;
	}
}

let n = 0;
/** A Connection for a new signed-in account; `settled` waits for the database work it started. */
async function connection(options: { rate?: { burst: number; perSecond: number } } = {}) {
	const created = await createUser(context.ctx, `conn${++n}@kent.police.uk`);
	const { token } = await createSession(context.ctx.db, created.id, { twoFactorVerified: true }, clock);
	const session = (await validateSessionToken(context.ctx.db, token, clock))!;
	const socket = new RecordingSocket();
	const work: Array<Promise<unknown>> = [];
	const live = new Connection({
		ctx: context.ctx,
		socket: socket as unknown as WebSocket,
		user: session.user,
		token,
		expiresAt: session.session.expiresAt,
		log: context.ctx.logger,
		// The heartbeat is driven by hand: its own timer never fires during a test.
		limits: {
			heartbeatMs: 3_600_000,
			maxBufferedBytes: 1024 * 1024,
			recheckMs: 3_600_000,
			rate: options.rate ?? { burst: 40, perSecond: 20 }
		},
		track: (promise) => (work.push(promise), promise)
	});
	live.start();
	return {
		live,
		socket,
		user: session.user,
		token,
		settled: async () => {
			while (work.length) await Promise.allSettled(work.splice(0));
		},
		message: (value: unknown) => live.onMessage(Buffer.from(JSON.stringify(value)), false)
	};
}

async function publish(channel: string, type: string, data: Record<string, unknown> = {}) {
	return context.ctx.db.transaction().execute((trx) => publishEvent(trx, { channel, type, data }));
}

describe('onMessage', () => {
	it('answers ping, refuses what is not a message, and slows down a socket past its rate', async () => {
		const c = await connection({ rate: { burst: 3, perSecond: 0.001 } });
		c.message({ type: 'ping' });
		c.live.onMessage(Buffer.from('not json'), false);
		c.live.onMessage(Buffer.from('{"type":"ping"}'), true); // binary frames are not messages
		c.message({ type: 'ping' });
		expect(c.socket.sent).toEqual([
			{ type: 'pong' },
			{ type: 'error', code: 'invalid', message: 'Send a JSON object with a known "type".' },
			{ type: 'error', code: 'invalid', message: 'Send a JSON object with a known "type".' },
			{ type: 'error', code: 'too_many', message: 'Too many messages: slow down.' }
		]);
		c.live.onClose();
	});
});

describe('subscribe', () => {
	it('replays the backlog after `since` in order, then says it is subscribed and goes live', async () => {
		const c = await connection();
		const channel = `user:${c.user.id}`;
		const first = await publish(channel, 'test', { i: 1 });
		const second = await publish(channel, 'test', { i: 2 });
		const third = await publish(channel, 'test', { i: 3 });
		await c.live.subscribe(channel, first);
		expect(c.socket.sent).toEqual([
			{ type: 'event', id: second, channel, event: 'test', data: { i: 2 } },
			{ type: 'event', id: third, channel, event: 'test', data: { i: 3 } },
			{ type: 'subscribed', channel, last: third }
		]);
		expect(c.live.channels).toEqual([channel]);

		// Live now: an event delivered on the bus is sent at once, and one already sent is not.
		context.ctx.events.deliver({ id: third, channel, type: 'test', data: { i: 3 } });
		context.ctx.events.deliver({ id: third + 1, channel, type: 'test', data: { i: 4 } });
		expect(c.socket.sent.at(-1)).toEqual({
			type: 'event',
			id: third + 1,
			channel,
			event: 'test',
			data: { i: 4 }
		});
		expect(c.socket.sent).toHaveLength(4);

		c.live.unsubscribe(channel);
		expect(c.live.channels).toEqual([]);
		context.ctx.events.deliver({ id: third + 2, channel, type: 'test', data: {} });
		expect(c.socket.sent).toHaveLength(4);
		c.live.onClose();
	});

	it('answers a channel the account may not follow with "not found", and keeps nothing', async () => {
		const c = await connection();
		const other = await connection();
		await c.live.subscribe(`user:${other.user.id}`, undefined);
		await c.live.subscribe('nonsense', undefined);
		expect(c.socket.sent.map((m) => [m.code, m.channel])).toEqual([
			['not_found', `user:${other.user.id}`],
			['not_found', 'nonsense']
		]);
		expect(c.live.channels).toEqual([]);
		c.live.onClose();
		other.live.onClose();
	});
});

describe('heartbeat', () => {
	it('pings, keeps a socket that answered, and ends one that did not', async () => {
		const c = await connection();
		c.live.heartbeat();
		c.socket.emit('pong');
		c.live.heartbeat();
		expect([c.socket.pings, c.socket.terminated]).toEqual([2, false]);
		c.live.heartbeat(); // no pong since the last ping
		expect([c.socket.pings, c.socket.terminated]).toEqual([2, true]);
		c.live.onClose();
	});

	it('once the session has expired, says so and closes with "session ended"', async () => {
		const c = await connection();
		const now = clock;
		clock = new Date(now.getTime() + 400 * 86_400_000);
		try {
			c.live.heartbeat();
			await c.settled();
		} finally {
			clock = now;
		}
		expect(c.socket.sent).toEqual([
			{ type: 'error', code: 'revoked', message: 'Your session has ended. Sign in again.' }
		]);
		expect(c.socket.closedWith).toBe(CLOSE_SESSION_ENDED);
		c.live.onClose();
	});
});
