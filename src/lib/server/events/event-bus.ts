/**
 * The event bus the application context carries. For now it fans events out inside
 * this process; the real-time issue replaces the transport with an `events` table and
 * LISTEN/NOTIFY so that every node sees every event. Callers depend only on this shape.
 */
export interface BusEvent {
	id: number;
	channel: string;
	type: string;
	data: unknown;
}

export type BusListener = (event: BusEvent) => void;

export interface EventBus {
	/** Delivers an event to local subscribers of its channel. */
	deliver(event: BusEvent): void;
	/** Subscribes to a channel; returns the function that unsubscribes. */
	subscribe(channel: string, listener: BusListener): () => void;
	close(): Promise<void>;
}

export function createLocalEventBus(): EventBus {
	const listeners = new Map<string, Set<BusListener>>();
	return {
		deliver(event) {
			for (const listener of listeners.get(event.channel) ?? []) listener(event);
		},
		subscribe(channel, listener) {
			let set = listeners.get(channel);
			if (!set) listeners.set(channel, (set = new Set()));
			set.add(listener);
			return () => {
				set.delete(listener);
				if (set.size === 0) listeners.delete(channel);
			};
		},
		async close() {
			listeners.clear();
		}
	};
}
