/**
 * The browser's one live connection per tab: connects to /ws, resubscribes every
 * channel with the last event id it saw after any interruption (so nothing is missed
 * when a train goes through a tunnel), reconnects with jittered backoff, and reports
 * its state (Live / Reconnecting / Offline) for the page to show. A channel the server
 * could not start (a passing fault) is asked for again with backoff; one the account may
 * no longer follow (or that no longer exists) is dropped and the page told.
 */
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

type Status = 'connecting' | 'live' | 'reconnecting' | 'offline';

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

	#send(message: Record<string, unknown>) {
		this.#socket?.send(JSON.stringify(message));
	}

	#connect() {
		this.#stopped = false;
		const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws`);
		this.#socket = socket;
		socket.onopen = () => {
			this.#attempt = 0;
			this.status = 'live';
			for (const [channel, sub] of this.#channels) {
				clearTimeout(sub.retry);
				this.#send({ type: 'subscribe', channel, since: sub.last });
			}
		};
		socket.onmessage = (message) => {
			let data: Record<string, unknown>;
			try {
				data = JSON.parse(String(message.data));
			} catch {
				return;
			}
			const channel = String(data.channel ?? '');
			const sub = this.#channels.get(channel);
			if (data.type === 'event' && sub) {
				const id = Number(data.id);
				if (id <= sub.last) return; // already seen
				sub.last = id;
				sub.handlers.onEvent({
					id,
					channel,
					event: String(data.event),
					data: (data.data ?? {}) as Record<string, unknown>
				});
			} else if (data.type === 'subscribed' && sub) {
				sub.failures = 0;
				sub.handlers.onStatus?.('live');
			} else if (data.type === 'resync' && sub) {
				// The server has let the channel go; follow it again from the reloaded data.
				void sub.handlers.onResync().then((since) => {
					if (this.#channels.get(channel) !== sub) return;
					sub.last = since;
					if (this.#socket?.readyState === WebSocket.OPEN) this.#send({ type: 'subscribe', channel, since });
				});
			} else if (data.type === 'error' && sub) {
				if (data.code === 'revoked' || data.code === 'not_found') {
					this.#channels.delete(channel);
					sub.handlers.onRevoked?.();
					if (this.#channels.size === 0) this.#close();
				} else if (data.code === 'unavailable') {
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
			// 4001: the session ended; reconnecting would not help until they sign in again.
			if (this.#stopped || event.code === 4001) {
				this.status = 'offline';
				return;
			}
			this.status = 'reconnecting';
			this.#attempt += 1;
			this.#timer = setTimeout(() => this.#connect(), backoff(this.#attempt));
		};
	}

	#close() {
		this.#stopped = true;
		clearTimeout(this.#timer);
		this.#socket?.close();
		this.#socket = undefined;
		this.status = 'offline';
	}
}

let connection: LiveConnection | undefined;

/** The tab's shared connection (created on first use, in the browser only). */
export function live(): LiveConnection {
	connection ??= new LiveConnection();
	return connection;
}
