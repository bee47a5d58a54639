import { describe, expect, it } from 'vitest';
import { createLocalEventBus, type BusEvent } from '../../src/lib/server/events/event-bus.ts';

const event = (id: number): BusEvent => ({ id, channel: 'thread:1', type: 'test', data: {} });

describe('the local event bus', () => {
	it('a subscription ended twice does not end a newer one on the same channel', () => {
		const bus = createLocalEventBus();
		const first: number[] = [];
		const second: number[] = [];
		const stopFirst = bus.subscribe('thread:1', (e) => first.push(e.id));
		stopFirst();
		const stopSecond = bus.subscribe('thread:1', (e) => second.push(e.id));
		stopFirst();
		bus.deliver(event(1));
		expect(first).toEqual([]);
		expect(second).toEqual([1]);
		stopSecond();
	});

	it('a subscriber that throws does not keep the event from the others, and is reported', () => {
		const errors: unknown[] = [];
		const bus = createLocalEventBus((error) => errors.push(error));
		const got: number[] = [];
		bus.subscribe('thread:1', () => {
			throw new Error('broken subscriber');
		});
		bus.subscribe('thread:1', (e) => got.push(e.id));
		bus.deliver(event(7));
		expect(got).toEqual([7]);
		expect(errors).toHaveLength(1);
	});
});
