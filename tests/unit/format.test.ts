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
});
