/**
 * Dates and times as people in the UK read them: "28 November 2026", "3:42pm".
 */
const LONDON = 'Europe/London';

const dateFormat = new Intl.DateTimeFormat('en-GB', {
	day: 'numeric',
	month: 'long',
	year: 'numeric',
	timeZone: LONDON
});
const timeFormat = new Intl.DateTimeFormat('en-GB', {
	hour: 'numeric',
	minute: '2-digit',
	// 'h12' (1–12), not hour12: true, which en-GB reads as 0–11 ("0:52pm" for 12:52pm).
	hourCycle: 'h12',
	timeZone: LONDON
});

export function formatDate(date: Date): string {
	return dateFormat.format(date);
}

export function formatTime(date: Date): string {
	return timeFormat.format(date).replace(/\s/g, '').toLowerCase();
}

/**
 * Formatted date-times by the minute they fall in: a thread page shows up to 40 of them, most
 * seen before, and Intl's formatting is the dear part. Bounded: cleared when it is full.
 */
const dateTimes = new Map<number, string>();
const MINUTE = 60_000;

export function formatDateTime(date: Date): string {
	const minute = Math.floor(date.getTime() / MINUTE);
	let text = dateTimes.get(minute);
	if (text === undefined) {
		// Whole minutes only: seconds never show, so the text is the same for the whole minute.
		const start = new Date(minute * MINUTE);
		text = `${formatDate(start)} at ${formatTime(start)}`;
		if (dateTimes.size >= 10_000) dateTimes.clear();
		dateTimes.set(minute, text);
	}
	return text;
}

/** "after 3:42pm" today, or "after 3:42pm on 29 November 2026" another day. */
export function formatRetryAt(date: Date, now: Date = new Date()): string {
	return formatDate(date) === formatDate(now)
		? `after ${formatTime(date)}`
		: `after ${formatTime(date)} on ${formatDate(date)}`;
}
