/**
 * Short replies that fit most practitioner discussions, recombined (an opening and a point)
 * so that the demo's threads have a few more voices without a page of prose each. Which
 * combination a reply gets depends only on the thread and its place in it, so every run of
 * the demo writes the same words.
 */

const OPENINGS = [
	'Same experience here.',
	'Thanks for raising this.',
	'Useful thread.',
	'Following this one.',
	'Agree with the above.',
	'Good question.',
	'Really helpful, thank you.',
	'Late to this, but one thought.'
];

/** Points that fit any discussion here: none assumes what the thread is about. */
const POINTS = [
	'Is any of this written down? A one-page note would help me brief my inspector.',
	"I'll take this to our next tactical meeting and report back.",
	'Log the decision and the reasons at the time. It saved us when it was questioned six months later.',
	"Don't underestimate the time it takes. Budget for it properly or it gets squeezed out.",
	"This came up at our regional meeting too. I'll point people at this thread.",
	'Happy to talk this through on a call if anyone is setting up something similar.',
	'Worth checking what your neighbouring force already has before you build your own.',
	'We tried something similar last year and it stalled when the lead moved on. Have a deputy from day one.',
	'The biggest gain for us was continuity: the same officer at every contact.',
	'A line in the shift briefing every day for a month did more for us than the e-learning ever did.',
	"We keep a simple spreadsheet of outcomes. Nothing clever, but it means we can answer 'did it work?' when asked.",
	'Saving this for our next team meeting. Thank you for writing it up so clearly.',
	'If anyone turns this into a practice entry, I would use it.',
	'The partner agencies were keen once someone asked them directly. Nobody had.',
	'Would it be worth a note to the regional lead, so that other forces see this?'
];

/** FNV-1a: a small, stable hash, so the same thread always gets the same words. */
export function stableHash(text: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash;
}

/** The nth short reply in a thread (no two in one thread alike). */
export function chatterText(threadKey: string, n: number): string {
	const seed = stableHash(threadKey);
	const opening = OPENINGS[(seed + 3 * n) % OPENINGS.length]!;
	const point = POINTS[(Math.floor(seed / OPENINGS.length) + 4 * n) % POINTS.length]!;
	return `${opening} ${point}`;
}

/** Minutes between short replies: between one and a half and six hours. */
export function chatterDelay(threadKey: string, n: number): number {
	return 90 + (stableHash(`${threadKey}:delay:${n}`) % 270);
}
