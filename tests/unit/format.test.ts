import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatRetryAt, formatTime } from '../../src/lib/format.ts';

describe('dates and times as people in the UK read them', () => {
	it('writes times on the 12-hour clock, with 12 for noon and midnight', () => {
		expect(formatTime(new Date('2026-11-28T00:22:00Z'))).toBe('12:22am');
		expect(formatTime(new Date('2026-11-28T12:52:00Z'))).toBe('12:52pm');
		expect(formatTime(new Date('2026-11-28T15:42:00Z'))).toBe('3:42pm');
		expect(formatTime(new Date('2026-11-28T11:05:00Z'))).toBe('11:05am');
	});

	it('uses UK time, summer time included', () => {
		expect(formatTime(new Date('2026-07-01T11:30:00Z'))).toBe('12:30pm');
		expect(formatDate(new Date('2026-06-30T23:30:00Z'))).toBe('1 July 2026');
	});

	it('writes dates in full, with the day first', () => {
		expect(formatDate(new Date('2026-11-28T10:00:00Z'))).toBe('28 November 2026');
		expect(formatDateTime(new Date('2026-11-28T15:42:00Z'))).toBe('28 November 2026 at 3:42pm');
	});

	it('says when to try again, with the date only when it is another day', () => {
		const now = new Date('2026-11-28T15:00:00Z');
		expect(formatRetryAt(new Date('2026-11-28T15:42:00Z'), now)).toBe('after 3:42pm');
		expect(formatRetryAt(new Date('2026-11-29T09:00:00Z'), now)).toBe('after 9:00am on 29 November 2026');
	});

	it('gives the same date and time when it remembers one as when it works it out, every second of a minute and across the clock change', () => {
		// Seconds and milliseconds never show; the hour the clocks go back (01:00–02:00 twice) does.
		const moments = [
			'2026-11-28T15:42:00.000Z',
			'2026-11-28T15:42:59.999Z',
			'2026-10-25T00:59:59.000Z',
			'2026-10-25T01:00:00.000Z',
			'2026-03-29T00:59:30.000Z',
			'2026-03-29T01:00:30.000Z',
			'1969-12-31T23:59:59.500Z'
		].map((iso) => new Date(iso));
		for (let i = 0; i < 500; i++)
			moments.push(new Date(Date.UTC(2026, 0, 1) + i * 7_919_000 + (i % 60) * 997));
		for (const moment of moments) {
			const expected = `${formatDate(moment)} at ${formatTime(moment)}`;
			expect(formatDateTime(moment)).toBe(expected);
			expect(formatDateTime(new Date(moment.getTime()))).toBe(expected);
		}
		expect(formatDateTime(new Date('2026-10-25T00:30:00Z'))).toBe('25 October 2026 at 1:30am');
		expect(formatDateTime(new Date('2026-10-25T01:30:00Z'))).toBe('25 October 2026 at 1:30am');
	});
});
