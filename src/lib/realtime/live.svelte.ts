/**
 * The browser's one live connection per tab: connects to /ws, resubscribes every
 * channel with the last event id it saw after any interruption (so nothing is missed
 * when a train goes through a tunnel), reconnects with jittered backoff, and reports
 * its state (Live / Reconnecting / Offline) for the page to show. A channel the server
 * could not start (a passing fault) is asked for again with backoff; one the account may
 * no longer follow (or that no longer exists) is dropped and the page told.
 *
 * The status is kept truthful from this side too: the browser's own "offline" event shows
 * Offline at once, and a ping that gets no answer within a few seconds means the connection
 * is dead even if the socket has not noticed (a laptop lid, a lost tunnel), so it is dropped
 * and made again. A session that has ended says so (sign in again), rather than "offline".
 */
import { CLOSE_SESSION_ENDED, parseServerFrame, type ClientMessage } from './protocol.ts';

export interface LiveEvent {
	id: number;
	channel: string;
	event: string;
	data: Record<string, unknown>;
}

export interface ChannelHandlers {
	onEvent(event: LiveEvent): void;
	/**
	 * The backlog no longer reaches our last id: reload the page's data and give the last
	 * event id the reloaded data reflects; the channel is then followed again from there.
	 */
	onResync(): Promise<number>;
	/** This account may no longer follow the channel (or it no longer exists). */
	onRevoked?(): void;
	/** The channel is streaming ('live') or waiting to be asked for again ('retrying'). */
	onStatus?(status: 'live' | 'retrying'): void;
}

export type Status = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'signed_out' | 'closed';

/** How often the browser checks the connection, and how long it waits for the answer. */
const PING_EVERY_MS = 20_000;
const PONG_WITHIN_MS = 8_000;

interface Channel {
	last: number;
	handlers: ChannelHandlers;
	failures: number;
	retry?: ReturnType<typeof setTimeout>;
}

/** Jittered exponential backoff: 1 s, 2 s, 4 s … up to 30 s. */
function backoff(attempt: number): number {
	const base = Math.min(30_000, 1_000 * 2 ** Math.min(attempt - 1, 5));
	return base / 2 + Math.random() * (base / 2);
}

class LiveConnection {
	status = $state<Status>('connecting');
	#socket: WebSocket | undefined;
	#channels = new Map<string, Channel>();
	#attempt = 0;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#stopped = false;
	#heartbeat: ReturnType<typeof setInterval> | undefined;
	#waitingForPong: ReturnType<typeof setTimeout> | undefined;
	#watching = false;

	/** The browser's own word on the network: Offline at once, and back as soon as it returns. */
	#watchNetwork() {
		if (this.#watching) return;
		this.#watching = true;
		addEventListener('offline', () => {
			if (this.#channels.size === 0 || this.status === 'signed_out') return;
			this.#drop();
			this.status = 'offline';
		});
		addEventListener('online', () => {
			if (this.#channels.size === 0 || this.status === 'signed_out' || this.#socket) return;
			clearTimeout(this.#timer);
			this.#attempt = 0;
			this.status = 'reconnecting';
			this.#connect();
		});
	}

	/** Forget a socket that is, or may be, dead, without waiting for it to say so. */
	#drop() {
		const socket = this.#socket;
		this.#socket = undefined;
		clearInterval(this.#heartbeat);
		clearTimeout(this.#waitingForPong);
		if (socket) {
			socket.onclose = null;
			socket.onmessage = null;
			socket.close();
		}
	}

	#reconnectLater() {
		this.status = navigator.onLine === false ? 'offline' : 'reconnecting';
		this.#attempt += 1;
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => this.#connect(), backoff(this.#attempt));
	}

	subscribe(channel: string, since: number, handlers: ChannelHandlers): () => void {
		const entry: Channel = { last: since, handlers, failures: 0 };
		this.#channels.set(channel, entry);
		if (!this.#socket) this.#connect();
		else if (this.#socket.readyState === WebSocket.OPEN) this.#send({ type: 'subscribe', channel, since });
		return () => {
			clearTimeout(entry.retry);
			if (this.#channels.get(channel) !== entry) return;
			this.#channels.delete(channel);
			if (this.#socket?.readyState === WebSocket.OPEN) this.#send({ type: 'unsubscribe', channel });
			if (this.#channels.size === 0) this.#close();
		};
	}

	#send(message: ClientMessage) {
		this.#socket?.send(JSON.stringify(message));
	}

	#connect() {
		this.#stopped = false;
		this.#watchNetwork();
		const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws`);
		this.#socket = socket;
		socket.onopen = () => {
			this.#attempt = 0;
			this.status = 'live';
			for (const [channel, sub] of this.#channels) {
				clearTimeout(sub.retry);
				this.#send({ type: 'subscribe', channel, since: sub.last });
			}
			clearInterval(this.#heartbeat);
			this.#heartbeat = setInterval(() => {
				if (this.#socket !== socket) return;
				this.#send({ type: 'ping' });
				clearTimeout(this.#waitingForPong);
				this.#waitingForPong = setTimeout(() => {
					// No answer: the connection is gone even if the socket has not noticed.
					if (this.#socket !== socket) return;
					this.#drop();
					this.#reconnectLater();
				}, PONG_WITHIN_MS);
			}, PING_EVERY_MS);
		};
		socket.onmessage = (message) => {
			// Anything from the server shows the connection is alive.
			clearTimeout(this.#waitingForPong);
			const frame = parseServerFrame(String(message.data));
			if (!frame || frame.type === 'pong') return;
			const channel = frame.channel ?? '';
			const sub = this.#channels.get(channel);
			if (frame.type === 'event' && sub) {
				if (frame.id <= sub.last) return; // already seen
				sub.last = frame.id;
				sub.handlers.onEvent({
					id: frame.id,
					channel,
					event: frame.event,
					data: (frame.data ?? {}) as Record<string, unknown>
				});
			} else if (frame.type === 'subscribed' && sub) {
				sub.failures = 0;
				sub.handlers.onStatus?.('live');
			} else if (frame.type === 'resync' && sub) {
				// The server has let the channel go; follow it again from the reloaded data.
				void sub.handlers.onResync().then((since) => {
					if (this.#channels.get(channel) !== sub) return;
					sub.last = since;
					if (this.#socket?.readyState === WebSocket.OPEN) this.#send({ type: 'subscribe', channel, since });
				});
			} else if (frame.type === 'error' && sub) {
				if (frame.code === 'revoked' || frame.code === 'not_found') {
					this.#channels.delete(channel);
					sub.handlers.onRevoked?.();
					if (this.#channels.size === 0) this.#close();
				} else if (frame.code === 'unavailable') {
					sub.failures += 1;
					sub.handlers.onStatus?.('retrying');
					clearTimeout(sub.retry);
					sub.retry = setTimeout(() => {
						if (this.#channels.get(channel) === sub && this.#socket?.readyState === WebSocket.OPEN)
							this.#send({ type: 'subscribe', channel, since: sub.last });
					}, backoff(sub.failures));
				}
			}
		};
		socket.onclose = (event) => {
			if (this.#socket !== socket) return;
			this.#socket = undefined;
			clearInterval(this.#heartbeat);
			clearTimeout(this.#waitingForPong);
			if (this.#stopped) {
				this.status = 'closed';
				return;
			}
			// The session ended (signed out, suspended, expired): reconnecting would not help
			// until the person signs in again, so say that.
			if (event.code === CLOSE_SESSION_ENDED) {
				this.status = 'signed_out';
				return;
			}
			this.#reconnectLater();
		};
	}

	#close() {
		this.#stopped = true;
		clearTimeout(this.#timer);
		this.#drop();
		this.status = 'closed';
	}
}

let connection: LiveConnection | undefined;

/** The tab's shared connection (created on first use, in the browser only). */
export function live(): LiveConnection {
	connection ??= new LiveConnection();
	return connection;
}
