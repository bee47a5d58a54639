/**
 * The per-socket message rate: a burst, then one message for each refill, never more
 * than the burst however long the socket was quiet.
 */
import { describe, expect, it } from 'vitest';
import { MessageRate } from '../../src/server/realtime/message-rate.ts';

describe('message rate', () => {
	it('lets a burst through, then refills at the rate a second', () => {
		const rate = new MessageRate({ burst: 3, perSecond: 2 }, 0);
		expect([rate.take(0), rate.take(0), rate.take(0), rate.take(0)]).toEqual([true, true, true, false]);
		expect(rate.take(400)).toBe(false); // 0.8 of a token
		expect([rate.take(1_000), rate.take(1_000), rate.take(1_000)]).toEqual([true, true, false]);
	});

	it('never holds more than the burst, however long the socket was quiet', () => {
		const rate = new MessageRate({ burst: 2, perSecond: 10 }, 0);
		const taken = Array.from({ length: 5 }, () => rate.take(3_600_000));
		expect(taken).toEqual([true, true, false, false, false]);
	});
});
