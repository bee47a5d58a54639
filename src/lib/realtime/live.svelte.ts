/**
 * The browser's one live connection per tab: connects to /ws, resubscribes every
 * channel with the last event id it saw after any interruption (so nothing is missed
 * when a train goes through a tunnel), reconnects with jittered backoff, and reports
 * its state (Live / Reconnecting / Offline) for the page to show.
 */
export interface LiveEvent {
	id: number;
	channel: string;
	event: string;
	data: Record<string, unknown>;
}

export interface ChannelHandlers {
	onEvent(event: LiveEvent): void;
	/** The backlog no longer reaches our last id: reload the page's data. */
	onResync(): void;
	/** This account may no longer follow the channel. */
	onRevoked?(): void;
}

type Status = 'connecting' | 'live' | 'reconnecting' | 'offline';

class LiveConnection {
	status = $state<Status>('connecting');
	#socket: WebSocket | undefined;
	#channels = new Map<string, { last: number; handlers: ChannelHandlers }>();
	#attempt = 0;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#stopped = false;

	subscribe(channel: string, since: number, handlers: ChannelHandlers): () => void {
		this.#channels.set(channel, { last: since, handlers });
		if (!this.#socket) this.#connect();
		else if (this.#socket.readyState === WebSocket.OPEN) this.#send({ type: 'subscribe', channel, since });
		return () => {
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
			for (const [channel, sub] of this.#channels)
				this.#send({ type: 'subscribe', channel, since: sub.last });
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
			} else if (data.type === 'resync' && sub) {
				sub.handlers.onResync();
			} else if (data.type === 'error' && data.code === 'revoked' && sub) {
				this.#channels.delete(channel);
				sub.handlers.onRevoked?.();
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
			const base = Math.min(30_000, 1_000 * 2 ** Math.min(this.#attempt - 1, 5));
			this.#timer = setTimeout(() => this.#connect(), base / 2 + Math.random() * (base / 2));
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
