/**
 * The event bus the application context carries: it fans events out to this process's
 * subscribers. Events reach it from the `events` table through the listener (LISTEN/NOTIFY),
 * so every node sees every event. Callers depend only on this shape.
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

/** `onError` hears of a subscriber that threw; the others still get the event. */
export function createLocalEventBus(onError: (error: unknown) => void = () => {}): EventBus {
	const listeners = new Map<string, Set<BusListener>>();
	return {
		deliver(event) {
			for (const listener of listeners.get(event.channel) ?? []) {
				try {
					listener(event);
				} catch (error) {
					onError(error);
				}
			}
		},
		subscribe(channel, listener) {
			let set = listeners.get(channel);
			if (!set) listeners.set(channel, (set = new Set()));
			set.add(listener);
			// Safe to call twice: a second call must not drop a newer set for the channel.
			return () => {
				if (!set.delete(listener)) return;
				if (set.size === 0 && listeners.get(channel) === set) listeners.delete(channel);
			};
		},
		async close() {
			listeners.clear();
		}
	};
}
