/**
 * The hub's two protections against sockets that hold on to server resources (DESIGN.md,
 * "Real time"): heartbeats find dead sockets, and a client that cannot keep up is cut off
 * rather than buffered without bound, then resumes from its last id. The limits are
 * shortened through createTestHost's `hub` option so each test takes about a second.
 */
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { createUser } from '../support/accounts.ts';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session.ts';
import { publishEvent } from '../../src/lib/server/events/publish.ts';
import { createGroup } from '../../src/lib/server/groups/group.service.ts';
import { startThread } from '../../src/lib/server/discussions/thread.service.ts';

type Message = Record<string, unknown>;

let n = 0;

/** A host on its own database with the given hub limits, listening on an ephemeral port. */
function hostWith(label: string, hub: { heartbeatMs: number; maxBufferedBytes?: number }, now?: () => Date) {
	const state = { host: undefined as unknown as TestHost, url: '' };
	beforeAll(async () => {
		state.host = await createTestHost(label, { pages: false, listen: true, hub, ...(now ? { now } : {}) });
		await state.host.app.listen({ port: 0, host: '127.0.0.1' });
		const address = state.host.app.server.address();
		if (!address || typeof address !== 'object') throw new Error('no address');
		state.url = `ws://127.0.0.1:${address.port}/ws`;
	});
	afterAll(async () => {
		await state.host?.close();
	});
	return state;
}

async function signedIn(host: TestHost) {
	const created = await createUser(host.ctx, `limits${++n}@kent.police.uk`);
	const now = host.ctx.now();
	const { token } = await createSession(host.ctx.db, created.id, { twoFactorVerified: true }, now);
	return { user: (await validateSessionToken(host.ctx.db, token, now))!.user, token };
}

function connect(url: string, host: TestHost, token: string, options: WebSocket.ClientOptions = {}) {
	return new Promise<WebSocket>((resolve, reject) => {
		const socket = new WebSocket(url, {
			...options,
			headers: { origin: host.ctx.config.origin, cookie: `muster_session=${token}` }
		});
		socket.once('open', () => resolve(socket));
		socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
		socket.once('error', reject);
	});
}

/** The TCP socket under a ws client (ws keeps it in `_socket`). */
function tcp(socket: WebSocket): Socket {
	return (socket as unknown as { _socket: Socket })._socket;
}

/** The server's end of a client's connection, matched by the client's local port. */
function serverEnd(host: TestHost, client: WebSocket): WebSocket {
	const port = tcp(client).localPort;
	const found = [...host.app.websocketServer.clients].find((s) => tcp(s).remotePort === port);
	if (!found) throw new Error(`no server socket for client port ${port}`);
	return found;
}

/** Resolves when `event` has fired `times` times, or rejects after `ms`. */
function after(emitter: WebSocket, event: string, times: number, ms: number): Promise<void> {
	return new Promise((resolve, reject) => {
		let seen = 0;
		const timer = setTimeout(
			() => reject(new Error(`${event} fired ${seen}/${times} times in ${ms} ms`)),
			ms
		);
		const on = () => {
			if (++seen < times) return;
			clearTimeout(timer);
			emitter.off(event, on);
			resolve();
		};
		emitter.on(event, on);
	});
}

/** Every message in arrival order; `until` waits (bounded) for one that matches. */
function recorder(socket: WebSocket) {
	const messages: Message[] = [];
	const waiters: Array<{ match: (m: Message) => boolean; resolve: (m: Message) => void }> = [];
	socket.on('message', (data) => {
		const message = JSON.parse(data.toString()) as Message;
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
		eventIds: () => messages.filter((m) => m.type === 'event').map((m) => m.id as number),
		until(match: (m: Message) => boolean, ms = 5_000): Promise<Message> {
			const found = messages.find(match);
			if (found) return Promise.resolve(found);
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`no matching message in ${ms} ms`)), ms);
				waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
			});
		}
	};
}

describe('heartbeat', () => {
	const HEARTBEAT_MS = 200;
	/** The host's clock, which a test can move on (to expire a session). */
	let ahead = 0;
	const hosted = hostWith('ws_heartbeat', { heartbeatMs: HEARTBEAT_MS }, () => new Date(Date.now() + ahead));

	it('ends the connection with "session ended" at the first heartbeat after the session expires', async () => {
		const { host, url } = hosted;
		const { token } = await signedIn(host);
		const socket = await connect(url, host, token);
		const r = recorder(socket);
		const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
		await after(socket, 'ping', 2, 10 * HEARTBEAT_MS);
		expect(socket.readyState).toBe(WebSocket.OPEN);
		ahead = 400 * 86_400_000; // long past any session's expiry
		try {
			expect(await closed).toBe(4001);
			expect(r.messages).toContainEqual(expect.objectContaining({ type: 'error', code: 'revoked' }));
		} finally {
			ahead = 0;
		}
	});

	it('keeps a socket that answers pings and closes, within two intervals, ones that do not', async () => {
		const { host, url } = hosted;
		const { token } = await signedIn(host);
		const live = await connect(url, host, token);
		// A client that reads but never answers pings, and one whose peer has vanished (reads nothing).
		const silent = await connect(url, host, token, { autoPong: false });
		const frozen = await connect(url, host, token);
		const frozenServerEnd = serverEnd(host, frozen);
		tcp(frozen).pause();
		const opened = Date.now();
		let silentPings = 0;
		silent.on('ping', () => silentPings++);

		const silentClosed = new Promise<{ code: number; ms: number }>((resolve) =>
			silent.once('close', (code) => resolve({ code, ms: Date.now() - opened }))
		);
		const frozenClosed = new Promise<number>((resolve) =>
			frozenServerEnd.once('close', () => resolve(Date.now() - opened))
		);
		const deadline = (ms: number) =>
			new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not closed in ${ms} ms`)), ms));
		const [silentResult, frozenMs] = await Promise.race([
			Promise.all([silentClosed, frozenClosed]),
			deadline(10 * HEARTBEAT_MS)
		]);

		// Terminated (no closing handshake: 1006) at the first tick after an unanswered ping.
		expect(silentResult.code).toBe(1006);
		expect(silentPings).toBeGreaterThanOrEqual(1);
		for (const ms of [silentResult.ms, frozenMs]) {
			expect(ms).toBeGreaterThanOrEqual(HEARTBEAT_MS);
			// Two intervals, plus one of slack for timers on a busy machine.
			expect(ms).toBeLessThan(3 * HEARTBEAT_MS);
		}

		// The live socket stays open through several more intervals and still answers.
		await after(live, 'ping', 5, 10 * HEARTBEAT_MS);
		expect(live.readyState).toBe(WebSocket.OPEN);
		expect(serverEnd(host, live).readyState).toBe(WebSocket.OPEN);
		const r = recorder(live);
		live.send('{"type":"ping"}');
		await r.until((m) => m.type === 'pong');
		live.close();
		frozen.terminate();
	});
});

describe('a client that cannot keep up', () => {
	const LIMIT = 16 * 1024;
	/** Each event carries 12 KiB, so two queued in the server overflow the bound. */
	const PAD = 'x'.repeat(12 * 1024);
	/**
	 * The kernel holds a few MiB for a socket that is not read (loopback autotunes the send
	 * buffer up to net.ipv4.tcp_wmem's maximum) before anything queues in the server; the slow
	 * client is cut off soon after. Publishing stops there; this only bounds a broken hub.
	 */
	const MAX_EVENTS = 2_000;
	// A long heartbeat, so that only the send-buffer bound can end the slow client's connection.
	const hosted = hostWith('ws_send_buffer', { heartbeatMs: 60_000, maxBufferedBytes: LIMIT });

	async function threadChannel(host: TestHost) {
		const owner = await signedIn(host);
		const slug = await createGroup(
			host.ctx,
			owner.user,
			{ name: `Fast thread ${++n}`, description: '', visibility: 'open', audience: 'police' },
			{ ip: '127.0.0.1', userAgent: 'test' }
		);
		const thread = await startThread(host.ctx, owner.user, slug, { title: 'Busy thread', body: 'First' });
		return { owner, channel: `thread:${thread.id}` };
	}

	it('is cut off rather than buffered without bound, while a reader keeps up; it then resumes from its last id', async () => {
		const { host, url } = hosted;
		const { owner, channel } = await threadChannel(host);
		const publish = (i: number) =>
			host.ctx.db
				.transaction()
				.execute((trx) => publishEvent(trx, { channel, type: 'test', data: { i, PAD } }));

		const reader = await connect(url, host, owner.token);
		const slow = await connect(url, host, owner.token);
		const readerLog = recorder(reader);
		const slowLog = recorder(slow);
		for (const socket of [reader, slow]) socket.send(JSON.stringify({ type: 'subscribe', channel }));
		await readerLog.until((m) => m.type === 'subscribed');
		const subscribed = await slowLog.until((m) => m.type === 'subscribed');

		// The slow client stops reading: what the server sends piles up in its buffers.
		const slowServerEnd = serverEnd(host, slow);
		tcp(slow).pause();
		// The reader keeps up: each event is published once it has the previous one (it shares
		// this process, and so this event loop, with the server).
		const published: number[] = [];
		const publishRead = async () => {
			const id = await publish(published.length);
			published.push(id);
			await readerLog.until((m) => m.type === 'event' && m.id === id);
		};
		while (slowServerEnd.readyState === WebSocket.OPEN && published.length < MAX_EVENTS) await publishRead();
		expect(slowServerEnd.readyState).not.toBe(WebSocket.OPEN);
		const cutAt = published.length;
		// A few more after the cut-off: the resume must bring these too.
		for (let i = 0; i < 3; i++) await publishRead();

		// The reader got every event, in order, and is still connected.
		expect(readerLog.eventIds()).toEqual(published);
		expect(reader.readyState).toBe(WebSocket.OPEN);

		// The slow client, reading again, finds what reached it before the cut-off, then the end.
		const closed = new Promise<number>((resolve) => slow.once('close', (code) => resolve(code)));
		tcp(slow).resume();
		expect(await closed).toBe(1006);
		const got = slowLog.eventIds();
		expect(got).toEqual(published.slice(0, got.length));
		// Lost with the connection: what the server held (the bound, and the message that
		// crossed it), a frame cut in half, and the event whose send found the bound crossed.
		expect(cutAt - got.length).toBeGreaterThan(0);
		expect(cutAt - got.length).toBeLessThanOrEqual(Math.ceil(LIMIT / PAD.length) + 3);

		// Resuming from the last id it saw brings exactly the rest, in order, then live.
		const since = got.at(-1) ?? (subscribed.last as number);
		const resumed = await connect(url, host, owner.token);
		const resumedLog = recorder(resumed);
		resumed.send(JSON.stringify({ type: 'subscribe', channel, since }));
		expect(await resumedLog.until((m) => m.type === 'subscribed')).toMatchObject({ last: published.at(-1) });
		expect(resumedLog.eventIds()).toEqual(published.filter((id) => id > since));
		reader.close();
		resumed.close();
	});

	it('replays a backlog many times the bound to a reader catching up, without cutting it off', async () => {
		const { host, url } = hosted;
		const { owner, channel } = await threadChannel(host);
		const socket = await connect(url, host, owner.token);
		const log = recorder(socket);
		socket.send(JSON.stringify({ type: 'subscribe', channel }));
		const since = (await log.until((m) => m.type === 'subscribed')).last as number;
		socket.close();
		// 12 MiB of backlog: more than the kernel's socket buffers hold, so a replay sent all at
		// once would queue in the server past the 16 KiB bound.
		const published: number[] = [];
		for (let i = 0; i < 1_000; i++) {
			published.push(
				await host.ctx.db
					.transaction()
					.execute((trx) => publishEvent(trx, { channel, type: 'test', data: { i, PAD } }))
			);
		}
		const reader = await connect(url, host, owner.token);
		const readerLog = recorder(reader);
		reader.send(JSON.stringify({ type: 'subscribe', channel, since }));
		expect(await readerLog.until((m) => m.type === 'subscribed', 30_000)).toMatchObject({
			last: published.at(-1)
		});
		expect(readerLog.eventIds()).toEqual(published);
		expect(reader.readyState).toBe(WebSocket.OPEN);
		reader.close();
	}, 60_000);
});
