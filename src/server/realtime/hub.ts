/**
 * The WebSocket hub at /ws. The upgrade needs the site's own Origin (403) and a valid,
 * fully signed-in session (401). Clients subscribe to channels the policy lets them
 * follow; with `since`, the hub replays the backlog after that id, then streams live
 * events, in id order, with no gap and no duplicate (events that arrive while the
 * backlog is read are held and then sent after it).
 */
import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import type { AppContext } from '../../lib/server/context.ts';
import { validateSessionToken, type SessionUser } from '../../lib/server/auth/session.ts';
import { sessionTokenFrom } from '../../lib/server/auth/session-cookie.ts';
import { fullySignedIn } from '../../lib/server/policy/page-access.ts';
import type { BusEvent } from '../../lib/server/events/event-bus.ts';
import { isChannelName, mayFollow } from '../../lib/server/policy/channel.access.ts';
import { backlogReaches } from '../../lib/server/events/retention.ts';
import { backlogAfter } from '../../lib/server/events/replay.ts';
import { clientMessage } from './client-message.schema.ts';
import {
	CLOSE_GOING_AWAY,
	CLOSE_SESSION_ENDED,
	CLOSE_TRY_AGAIN,
	serverFrame,
	type ErrorCode,
	type ServerFrame
} from '../../lib/realtime/protocol.ts';

export interface HubOptions {
	context: AppContext;
	/** Heartbeat interval (default 25 s); tests shorten it. */
	heartbeatMs?: number;
	/** Send-buffer bound in bytes before a slow client is cut off (default 1 MiB). */
	maxBufferedBytes?: number;
	/** How often each connection's session and subscriptions are checked in full (default 5 min). */
	recheckMs?: number;
	/** Messages a socket may send: a burst, refilled at a rate a second (default 40, 20); tests raise it. */
	rate?: { burst: number; perSecond: number };
}

const MAX_MESSAGE_BYTES = 16 * 1024;
const CLOSE_GRACE_MS = 1_500;
const MAX_SUBSCRIPTIONS = 100;
const REPLAY_LIMIT = 5_000;
/** Heartbeat: a socket that has not answered the previous ping by the next one is dead (< 60 s). */
const HEARTBEAT_MS = 25_000;
/** A client that cannot keep up is cut off (it resumes from its last id) rather than buffered without end. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/**
 * Every way of losing access (signing out, suspension, password change, removal, ban, a
 * thread moving) is announced and re-checked at once, and session expiry is watched at
 * each heartbeat from the expiry time already known; the full check against the database
 * is a safety net, spread out so that 10,000 connections do not all ask at once.
 */
const RECHECK_MS = 5 * 60_000;
/** Per-socket message rate: a bucket of 40, refilled at 20 a second. */
const RATE_BURST = 40;
const RATE_PER_SECOND = 20;

declare module 'fastify' {
	interface FastifyRequest {
		musterUser?: SessionUser;
		musterSessionExpiresAt?: Date;
	}
}

function sendWithin(
	limit: number,
	socket: WebSocket,
	message: ServerFrame | string | Buffer,
	sent?: (error?: Error) => void
): void {
	if (socket.readyState !== socket.OPEN || socket.bufferedAmount > limit) {
		if (socket.readyState === socket.OPEN) socket.terminate();
		sent?.(new Error('not sent'));
		return;
	}
	const data = typeof message === 'object' && !Buffer.isBuffer(message) ? JSON.stringify(message) : message;
	// A Buffer is still a text frame: the client reads JSON text.
	socket.send(data, { binary: false }, sent);
}

/**
 * A live event is the same for every subscriber: it is serialised and encoded once (as UTF-8
 * bytes, which ws then writes as they are), not once per socket.
 */
const frames = new WeakMap<BusEvent, Buffer>();
function eventFrame(event: BusEvent): Buffer {
	let frame = frames.get(event);
	if (frame === undefined) {
		frame = Buffer.from(JSON.stringify(serverFrame.event(event)));
		frames.set(event, frame);
	}
	return frame;
}

interface Subscription {
	last: number;
	live: boolean;
	held: BusEvent[];
	stop: () => void;
}

const plugin: FastifyPluginAsync<HubOptions> = async (app, options) => {
	const {
		context: ctx,
		heartbeatMs = HEARTBEAT_MS,
		maxBufferedBytes = MAX_BUFFERED_BYTES,
		recheckMs = RECHECK_MS,
		rate = { burst: RATE_BURST, perSecond: RATE_PER_SECOND }
	} = options;
	const send = (socket: WebSocket, message: ServerFrame | string | Buffer) =>
		sendWithin(maxBufferedBytes, socket, message);
	/** Resolves once the message has been handed to the operating system (or could not be). */
	const sendAndWait = (socket: WebSocket, message: string) =>
		new Promise<void>((resolve) => sendWithin(maxBufferedBytes, socket, message, () => resolve()));
	const origin = ctx.config.origin;
	/** Database work started for sockets (checks, subscriptions): shutdown waits for it. */
	const inFlight = new Set<Promise<unknown>>();
	const track = <T>(work: Promise<T>): Promise<T> => {
		inFlight.add(work);
		void work.finally(() => inFlight.delete(work)).catch(() => {});
		return work;
	};
	await app.register(websocket, {
		options: { maxPayload: MAX_MESSAGE_BYTES },
		// Say goodbye (1001), give clients a moment to answer, then cut off any that do not
		// (a sleeping laptop never will), so shutdown finishes in time.
		preClose(done) {
			const clients = [...app.websocketServer.clients];
			for (const client of clients) client.close(CLOSE_GOING_AWAY, 'Server shutting down');
			const started = Date.now();
			const wait = setInterval(() => {
				const open = clients.filter((c) => c.readyState !== c.CLOSED);
				if (open.length === 0 || Date.now() - started >= CLOSE_GRACE_MS) {
					clearInterval(wait);
					for (const client of open) client.terminate();
					app.websocketServer.close();
					// Let checks and subscriptions already talking to the database finish before
					// the pool closes (they would fail with "driver has already been destroyed").
					void Promise.allSettled([...inFlight]).then(() => done());
				}
			}, 25);
		}
	});

	// Only /ws upgrades: any other path is refused before @fastify/websocket would accept it.
	app.addHook('onRequest', async (request, reply) => {
		if (request.headers.upgrade && request.url.split('?')[0] !== '/ws') {
			return reply
				.code(404)
				.send({ error: { code: 'not_found', message: 'There is no WebSocket endpoint here.' } });
		}
	});

	app.get(
		'/ws',
		{
			websocket: true,
			preValidation: async (request, reply) => {
				// Cross-site WebSocket hijacking defence: browsers always send Origin on upgrades.
				if (request.headers.origin !== origin) {
					return reply.code(403).send({ error: { code: 'forbidden', message: 'Origin not allowed.' } });
				}
				const token = sessionTokenFrom(request.headers.cookie);
				const session = token ? await validateSessionToken(ctx.db, token, ctx.now()) : null;
				const user = session?.user;
				// The same test as the pages: every factor given, and the address confirmed.
				if (!session || !user || !fullySignedIn(session) || !user.emailVerified) {
					return reply.code(401).send({ error: { code: 'unauthorised', message: 'Sign in first.' } });
				}
				request.musterUser = user;
				request.musterSessionExpiresAt = session.session.expiresAt;
			}
		},
		(socket, request) => {
			let user = request.musterUser!;
			const token = sessionTokenFrom(request.headers.cookie)!;
			const subscriptions = new Map<string, Subscription>();
			const current = (channel: string, sub: Subscription) =>
				subscriptions.get(channel) === sub && socket.readyState === socket.OPEN;
			/** Ends a subscription; a newer one for the same channel is left alone. */
			const drop = (channel: string, sub: Subscription) => {
				sub.stop();
				if (subscriptions.get(channel) === sub) subscriptions.delete(channel);
			};
			const emit = (sub: Subscription, event: BusEvent) => {
				if (event.id <= sub.last) return;
				sub.last = event.id;
				send(socket, eventFrame(event));
			};
			const flushHeld = (sub: Subscription) => {
				for (const event of sub.held.splice(0)) emit(sub, event);
			};

			// Access can change while connected: re-check the session and every subscription
			// when this account's access changes (on any node) or a followed thread moves, when
			// the session's known expiry passes, and now and then as a safety net. While a check
			// prompted by a change runs, this socket's events are held, and afterwards sent only
			// for the channels it may still follow. A change announced while a check is running
			// is checked again once it finishes.
			let checking = false;
			let checkAgain = false;
			let holding = false;
			let accessChanges = 0;
			let expiresAt = request.musterSessionExpiresAt!;
			let nextFullCheck = Date.now() + Math.floor(recheckMs * (0.5 + Math.random()));
			const recheck = (): Promise<void> => track(check());
			const holdAndCheck = () => {
				holding = true;
				void recheck();
			};
			const check = async (): Promise<void> => {
				if (socket.readyState !== socket.OPEN) return;
				if (checking) {
					checkAgain = true;
					return;
				}
				checking = true;
				checkAgain = false;
				nextFullCheck = Date.now() + recheckMs;
				let failed = false;
				try {
					const still = await validateSessionToken(ctx.db, token, ctx.now());
					if (!still) {
						send(socket, serverFrame.error('revoked', 'Your session has ended. Sign in again.'));
						socket.close(CLOSE_SESSION_ENDED, 'Session ended');
						return;
					}
					user = still.user;
					expiresAt = still.session.expiresAt;
					for (const [channel, sub] of [...subscriptions]) {
						if (!(await mayFollow(ctx.db, user, channel, ctx.now())) && subscriptions.get(channel) === sub) {
							drop(channel, sub);
							send(socket, serverFrame.error('revoked', 'You can no longer follow this.', channel));
						}
					}
				} catch (error) {
					failed = true;
					request.log.warn({ err: error }, 'could not re-check a live connection');
				} finally {
					checking = false;
					if (checkAgain) void recheck();
					else if (holding) {
						holding = false;
						// Unsure who may see what: end the connection rather than guess. The
						// client reconnects and resumes from its last ids, through the policy.
						if (failed) socket.close(CLOSE_TRY_AGAIN, 'Try again');
						else for (const sub of subscriptions.values()) if (sub.live) flushHeld(sub);
					}
				}
			};
			const stopAccessWatch = ctx.events.subscribe(`user:${user.id}`, (event) => {
				if (event.type !== 'access.changed') return;
				accessChanges += 1;
				holdAndCheck();
			});

			let alive = true;
			socket.on('pong', () => (alive = true));
			const heartbeat = setInterval(() => {
				if (!alive) {
					socket.terminate();
					return;
				}
				alive = false;
				socket.ping();
				if (ctx.now() >= expiresAt || Date.now() >= nextFullCheck) void recheck();
			}, heartbeatMs);
			heartbeat.unref();

			let tokens = rate.burst;
			let refilledAt = Date.now();
			const withinRate = () => {
				const now = Date.now();
				tokens = Math.min(rate.burst, tokens + ((now - refilledAt) / 1000) * rate.perSecond);
				refilledAt = now;
				if (tokens < 1) return false;
				tokens -= 1;
				return true;
			};
			const fail = (code: ErrorCode, message: string, channel?: string) =>
				send(socket, serverFrame.error(code, message, channel));

			const forward = (sub: Subscription) => (event: BusEvent) => {
				// A thread moved to another group may have moved out of this reader's reach.
				if (event.type === 'thread.moved') holdAndCheck();
				if (!sub.live || holding) sub.held.push(event);
				else emit(sub, event);
			};

			/** Replays the backlog after `since` in slices (see below); false if it was cut short. */
			const replay = async (channel: string, sub: Subscription, since: number): Promise<boolean> => {
				// Brought up to date: no words of posts hidden or deleted since, nor edited away.
				const {
					events: backlog,
					lastId,
					complete
				} = await backlogAfter(ctx.db, channel, since, REPLAY_LIMIT);
				if (!current(channel, sub)) return false;
				if (!complete) {
					// Too far behind to replay: the page should reload its data.
					drop(channel, sub);
					send(socket, serverFrame.resync(channel));
					return false;
				}
				// A long backlog goes out in slices of at most half the send-buffer bound, each
				// after the one before has left, so a reader catching up is never cut off by it.
				let sliceBytes = 0;
				for (const [index, row] of backlog.entries()) {
					const frame = JSON.stringify(serverFrame.event(row));
					sliceBytes += Buffer.byteLength(frame);
					if (sliceBytes < maxBufferedBytes / 2 && index < backlog.length - 1) {
						send(socket, frame);
						continue;
					}
					await sendAndWait(socket, frame);
					sliceBytes = 0;
					if (!current(channel, sub)) return false;
				}
				sub.last = lastId;
				return true;
			};

			const subscribe = async (channel: string, since: number | undefined) => {
				if (subscriptions.has(channel))
					return fail('invalid', 'You are already subscribed to this channel.', channel);
				if (subscriptions.size >= MAX_SUBSCRIPTIONS)
					return fail('too_many', 'Too many subscriptions on one connection.', channel);
				// Taken before the first await, so a repeated subscribe cannot start a second one.
				const sub: Subscription = { last: since ?? 0, live: false, held: [], stop: () => {} };
				subscriptions.set(channel, sub);
				try {
					const seen = accessChanges;
					if (!isChannelName(channel) || !(await mayFollow(ctx.db, user, channel, ctx.now()))) {
						if (subscriptions.get(channel) === sub) subscriptions.delete(channel);
						return fail('not_found', 'There is no such channel.', channel);
					}
					if (!current(channel, sub)) return;
					// Listen first, then read the backlog: nothing can fall between the two.
					sub.stop = ctx.events.subscribe(channel, forward(sub));
					// Access changed while the policy was being asked: ask again, now that the
					// subscription exists for the check to end.
					if (accessChanges !== seen) holdAndCheck();
					if (since === undefined) {
						const max = await ctx.db
							.selectFrom('events')
							.select((eb) => eb.fn.max('id').as('max'))
							.where('channel', '=', channel)
							.executeTakeFirst();
						if (!current(channel, sub)) return;
						sub.last = Number(max?.max ?? 0);
					} else {
						const reaches = await backlogReaches(ctx.db, channel, since);
						if (!current(channel, sub)) return;
						if (!reaches) {
							// Older than the retained backlog: the page must reload its data.
							drop(channel, sub);
							return send(socket, serverFrame.resync(channel));
						}
						if (!(await replay(channel, sub, since))) return;
					}
					send(socket, serverFrame.subscribed(channel, sub.last));
					sub.live = true;
					if (!holding) flushHeld(sub);
				} catch (error) {
					request.log.warn({ err: error }, 'subscription failed');
					drop(channel, sub);
					fail('unavailable', 'That subscription could not be started. Try again.', channel);
				}
			};

			socket.on('message', (raw, isBinary) => {
				if (!withinRate()) return fail('too_many', 'Too many messages: slow down.');
				let parsed;
				try {
					parsed = clientMessage.safeParse(isBinary ? undefined : JSON.parse(raw.toString()));
				} catch {
					parsed = undefined;
				}
				if (!parsed?.success) return fail('invalid', 'Send a JSON object with a known "type".');
				const message = parsed.data;
				if (message.type === 'ping') return send(socket, serverFrame.pong());
				if (message.type === 'unsubscribe') {
					const sub = subscriptions.get(message.channel);
					if (sub) drop(message.channel, sub);
					return;
				}
				void track(subscribe(message.channel, message.since));
			});
			socket.on('close', () => {
				clearInterval(heartbeat);
				stopAccessWatch();
				for (const sub of subscriptions.values()) sub.stop();
				subscriptions.clear();
			});
		}
	);
};

export default fp(plugin, { name: 'muster-realtime-hub', fastify: '5.x' });
