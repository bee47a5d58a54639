/**
 * One live connection on /ws: whose it is, the channels it follows, the access checks under
 * way, and the steps it goes through, each a method that can be read (and tested) on its own:
 *
 *   start          listen for access changes, pongs, messages and the close; start the heartbeat
 *   onMessage      a client message: within the rate, valid, then ping, subscribe or unsubscribe
 *   subscribe      ask the policy, listen, replay the backlog after `since`, say so, go live
 *   replay         send the backlog in slices the send buffer can take
 *   unsubscribe    stop following a channel
 *   onAccessChanged / recheck   is the session still good, and may each channel still be followed?
 *   heartbeat      ping; end a socket that missed the last one; notice the session's expiry
 *   onClose        the socket has closed: stop listening, forget every subscription
 *
 * Events for a channel are sent in id order with no gap and no duplicate: those that arrive
 * while its backlog is read, or while a check prompted by an access change runs, are held
 * and sent after it.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { AppContext } from '../../lib/server/context.ts';
import { validateSessionToken, type SessionUser } from '../../lib/server/auth/session.ts';
import type { BusEvent } from '../../lib/server/events/event-bus.ts';
import { isChannelName, mayFollow } from '../../lib/server/policy/channel.access.ts';
import { backlogReaches } from '../../lib/server/events/retention.ts';
import { backlogAfter, lastEventId } from '../../lib/server/events/replay.ts';
import {
	CLOSE_SESSION_ENDED,
	CLOSE_TRY_AGAIN,
	serverFrame,
	type ErrorCode,
	type ServerFrame
} from '../../lib/realtime/protocol.ts';
import { clientMessage } from './client-message.schema.ts';
import { MessageRate, type Rate } from './message-rate.ts';
import { encodedEvent, sendWithin } from './send.ts';

const MAX_SUBSCRIPTIONS = 100;
const REPLAY_LIMIT = 5_000;

export interface ConnectionLimits {
	/** A socket that has not answered the previous ping by the next one is dead. */
	heartbeatMs: number;
	/** Send-buffer bound in bytes before a slow client is cut off. */
	maxBufferedBytes: number;
	/** How often the session and every subscription are checked in full (spread out at random). */
	recheckMs: number;
	/** Messages the client may send. */
	rate: Rate;
}

export interface ConnectionOptions {
	ctx: Pick<AppContext, 'db' | 'events' | 'now'>;
	socket: WebSocket;
	/** The account and its session, as checked when the socket was opened. */
	user: SessionUser;
	token: string;
	expiresAt: Date;
	log: Pick<FastifyBaseLogger, 'warn'>;
	limits: ConnectionLimits;
	/** Registers database work started for this socket: shutdown waits for it. */
	track: <T>(work: Promise<T>) => Promise<T>;
}

interface Subscription {
	/** The last event id sent (or, before going live, the `since` asked for). */
	last: number;
	/** False while the backlog is being sent: new events are held until it has gone. */
	live: boolean;
	held: BusEvent[];
	/** Stops listening on the event bus. */
	stop: () => void;
}

export class Connection {
	readonly #ctx: ConnectionOptions['ctx'];
	readonly #socket: WebSocket;
	readonly #log: ConnectionOptions['log'];
	readonly #limits: ConnectionLimits;
	readonly #track: ConnectionOptions['track'];
	readonly #token: string;
	#user: SessionUser;
	#expiresAt: Date;
	readonly #subscriptions = new Map<string, Subscription>();
	readonly #rate: MessageRate;
	#stopAccessWatch: () => void = () => {};
	#heartbeat: ReturnType<typeof setInterval> | undefined;
	/** Whether the socket has answered the last ping. */
	#alive = true;

	// Access can change while connected: see recheck().
	#checking = false;
	#checkAgain = false;
	#holding = false;
	#accessChanges = 0;
	#nextFullCheck: number;

	constructor(options: ConnectionOptions) {
		this.#ctx = options.ctx;
		this.#socket = options.socket;
		this.#log = options.log;
		this.#limits = options.limits;
		this.#track = options.track;
		this.#token = options.token;
		this.#user = options.user;
		this.#expiresAt = options.expiresAt;
		this.#nextFullCheck = Date.now() + Math.floor(options.limits.recheckMs * (0.5 + Math.random()));
		this.#rate = new MessageRate(options.limits.rate, Date.now());
	}

	/** The channels followed (or being subscribed to) now. */
	get channels(): string[] {
		return [...this.#subscriptions.keys()];
	}

	start(): void {
		this.#stopAccessWatch = this.#ctx.events.subscribe(`user:${this.#user.id}`, (event) => {
			if (event.type === 'access.changed') this.onAccessChanged();
		});
		this.#socket.on('pong', () => (this.#alive = true));
		this.#heartbeat = setInterval(() => this.heartbeat(), this.#limits.heartbeatMs);
		this.#heartbeat.unref();
		this.#socket.on('message', (raw, isBinary) => this.onMessage(raw, isBinary));
		this.#socket.on('close', () => this.onClose());
	}

	onMessage(raw: RawData, isBinary: boolean): void {
		if (!this.#rate.take(Date.now())) return this.#fail('too_many', 'Too many messages: slow down.');
		let parsed;
		try {
			parsed = clientMessage.safeParse(isBinary ? undefined : JSON.parse(raw.toString()));
		} catch {
			parsed = undefined;
		}
		if (!parsed?.success) return this.#fail('invalid', 'Send a JSON object with a known "type".');
		const message = parsed.data;
		if (message.type === 'ping') return this.#send(serverFrame.pong());
		if (message.type === 'unsubscribe') return this.unsubscribe(message.channel);
		void this.#track(this.subscribe(message.channel, message.since));
	}

	async subscribe(channel: string, since: number | undefined): Promise<void> {
		if (this.#subscriptions.has(channel))
			return this.#fail('invalid', 'You are already subscribed to this channel.', channel);
		if (this.#subscriptions.size >= MAX_SUBSCRIPTIONS)
			return this.#fail('too_many', 'Too many subscriptions on one connection.', channel);
		// Taken before the first await, so a repeated subscribe cannot start a second one.
		const sub: Subscription = { last: since ?? 0, live: false, held: [], stop: () => {} };
		this.#subscriptions.set(channel, sub);
		const ctx = this.#ctx;
		try {
			const seen = this.#accessChanges;
			if (!isChannelName(channel) || !(await mayFollow(ctx.db, this.#user, channel, ctx.now()))) {
				if (this.#subscriptions.get(channel) === sub) this.#subscriptions.delete(channel);
				return this.#fail('not_found', 'There is no such channel.', channel);
			}
			if (!this.#current(channel, sub)) return;
			// Listen first, then read the backlog: nothing can fall between the two.
			sub.stop = ctx.events.subscribe(channel, (event) => this.#onChannelEvent(sub, event));
			// Access changed while the policy was being asked: ask again, now that the
			// subscription exists for the check to end.
			if (this.#accessChanges !== seen) this.#holdAndCheck();
			if (since === undefined) {
				const last = await lastEventId(ctx.db, channel);
				if (!this.#current(channel, sub)) return;
				sub.last = last;
			} else {
				const reaches = await backlogReaches(ctx.db, channel, since);
				if (!this.#current(channel, sub)) return;
				if (!reaches) {
					// Older than the retained backlog: the page must reload its data.
					this.#drop(channel, sub);
					return this.#send(serverFrame.resync(channel));
				}
				if (!(await this.#replay(channel, sub, since))) return;
			}
			this.#send(serverFrame.subscribed(channel, sub.last));
			sub.live = true;
			if (!this.#holding) this.#flushHeld(sub);
		} catch (error) {
			this.#log.warn({ err: error }, 'subscription failed');
			this.#drop(channel, sub);
			this.#fail('unavailable', 'That subscription could not be started. Try again.', channel);
		}
	}

	/** Replays the backlog after `since` in slices (see below); false if it was cut short. */
	async #replay(channel: string, sub: Subscription, since: number): Promise<boolean> {
		const { maxBufferedBytes } = this.#limits;
		// Brought up to date: no words of posts hidden or deleted since, nor edited away.
		const {
			events: backlog,
			lastId,
			complete
		} = await backlogAfter(this.#ctx.db, channel, since, REPLAY_LIMIT);
		if (!this.#current(channel, sub)) return false;
		if (!complete) {
			// Too far behind to replay: the page should reload its data.
			this.#drop(channel, sub);
			this.#send(serverFrame.resync(channel));
			return false;
		}
		// A long backlog goes out in slices of at most half the send-buffer bound, each
		// after the one before has left, so a reader catching up is never cut off by it.
		let sliceBytes = 0;
		for (const [index, row] of backlog.entries()) {
			const frame = JSON.stringify(serverFrame.event(row));
			sliceBytes += Buffer.byteLength(frame);
			if (sliceBytes < maxBufferedBytes / 2 && index < backlog.length - 1) {
				this.#send(frame);
				continue;
			}
			await this.#sendAndWait(frame);
			sliceBytes = 0;
			if (!this.#current(channel, sub)) return false;
		}
		sub.last = lastId;
		return true;
	}

	unsubscribe(channel: string): void {
		const sub = this.#subscriptions.get(channel);
		if (sub) this.#drop(channel, sub);
	}

	/** This account's access may have changed (on any node): hold its events and check at once. */
	onAccessChanged(): void {
		this.#accessChanges += 1;
		this.#holdAndCheck();
	}

	/**
	 * Checks the session and every subscription: when this account's access changes or a
	 * followed thread moves, when the session's known expiry passes, and now and then as a
	 * safety net. While a check prompted by a change runs, this socket's events are held, and
	 * afterwards sent only for the channels it may still follow. A change announced while a
	 * check is running is checked again once it finishes.
	 */
	recheck(): Promise<void> {
		return this.#track(this.#check());
	}

	heartbeat(): void {
		if (!this.#alive) {
			this.#socket.terminate();
			return;
		}
		this.#alive = false;
		this.#socket.ping();
		if (this.#ctx.now() >= this.#expiresAt || Date.now() >= this.#nextFullCheck) void this.recheck();
	}

	onClose(): void {
		clearInterval(this.#heartbeat);
		this.#stopAccessWatch();
		for (const sub of this.#subscriptions.values()) sub.stop();
		this.#subscriptions.clear();
	}

	async #check(): Promise<void> {
		const socket = this.#socket;
		if (socket.readyState !== socket.OPEN) return;
		if (this.#checking) {
			this.#checkAgain = true;
			return;
		}
		this.#checking = true;
		this.#checkAgain = false;
		this.#nextFullCheck = Date.now() + this.#limits.recheckMs;
		const ctx = this.#ctx;
		let failed = false;
		try {
			const still = await validateSessionToken(ctx.db, this.#token, ctx.now());
			if (!still) {
				this.#send(serverFrame.error('revoked', 'Your session has ended. Sign in again.'));
				socket.close(CLOSE_SESSION_ENDED, 'Session ended');
				return;
			}
			this.#user = still.user;
			this.#expiresAt = still.session.expiresAt;
			for (const [channel, sub] of [...this.#subscriptions]) {
				if (
					!(await mayFollow(ctx.db, this.#user, channel, ctx.now())) &&
					this.#subscriptions.get(channel) === sub
				) {
					this.#drop(channel, sub);
					this.#send(serverFrame.error('revoked', 'You can no longer follow this.', channel));
				}
			}
		} catch (error) {
			failed = true;
			this.#log.warn({ err: error }, 'could not re-check a live connection');
		} finally {
			this.#checking = false;
			if (this.#checkAgain) void this.recheck();
			else if (this.#holding) {
				this.#holding = false;
				// Unsure who may see what: end the connection rather than guess. The
				// client reconnects and resumes from its last ids, through the policy.
				if (failed) socket.close(CLOSE_TRY_AGAIN, 'Try again');
				else for (const sub of this.#subscriptions.values()) if (sub.live) this.#flushHeld(sub);
			}
		}
	}

	#holdAndCheck(): void {
		this.#holding = true;
		void this.recheck();
	}

	#onChannelEvent(sub: Subscription, event: BusEvent): void {
		// A thread moved to another group may have moved out of this reader's reach.
		if (event.type === 'thread.moved') this.#holdAndCheck();
		if (!sub.live || this.#holding) sub.held.push(event);
		else this.#emit(sub, event);
	}

	#emit(sub: Subscription, event: BusEvent): void {
		if (event.id <= sub.last) return;
		sub.last = event.id;
		this.#send(encodedEvent(event));
	}

	#flushHeld(sub: Subscription): void {
		for (const event of sub.held.splice(0)) this.#emit(sub, event);
	}

	/** Whether `sub` is still this channel's subscription on an open socket. */
	#current(channel: string, sub: Subscription): boolean {
		return this.#subscriptions.get(channel) === sub && this.#socket.readyState === this.#socket.OPEN;
	}

	/** Ends a subscription; a newer one for the same channel is left alone. */
	#drop(channel: string, sub: Subscription): void {
		sub.stop();
		if (this.#subscriptions.get(channel) === sub) this.#subscriptions.delete(channel);
	}

	#send(message: ServerFrame | string | Buffer): void {
		sendWithin(this.#limits.maxBufferedBytes, this.#socket, message);
	}

	/** Resolves once the message has been handed to the operating system (or could not be). */
	#sendAndWait(message: string): Promise<void> {
		return new Promise((resolve) =>
			sendWithin(this.#limits.maxBufferedBytes, this.#socket, message, () => resolve())
		);
	}

	#fail(code: ErrorCode, message: string, channel?: string): void {
		this.#send(serverFrame.error(code, message, channel));
	}
}
