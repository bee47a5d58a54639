/**
 * A search hit's snippet: PostgreSQL's `ts_headline` over the words as they were written (the
 * Markdown source, never the HTML), with the matched words between two control characters
 * that no stored text can hold (forms.ts refuses them). Here it becomes a list of plain-text
 * pieces, some marked: the page prints each piece as text, so nothing in a post can become
 * markup, and only the highlight is ours.
 */

export const MARK_START = '\u0002';
export const MARK_STOP = '\u0003';

export interface SnippetPiece {
	text: string;
	mark: boolean;
}

/** The options `ts_headline` is given: two short fragments around the matches. */
export const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_STOP}, MaxWords=35, MinWords=15, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "`;

/** Markdown's punctuation, so that a snippet reads as text: links keep their words. */
function plain(text: string): string {
	return (
		text
			// [words](address) and ![alt](address): the words.
			.replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/g, '$1')
			// An address cut in half by a fragment's edge.
			.replace(/\]\([^)\s]*\)?/g, ' ')
			// Emphasis, code, headings, quotes, list bullets.
			.replace(/[*_`~]{1,3}/g, '')
			.replace(/(^|\n)\s{0,3}(?:#{1,6}|>+|[-+*]|\d{1,3}[.)])\s+/g, '$1')
			.replace(/\s+/g, ' ')
			.trim()
	);
}

export function snippetPieces(headline: string | null, limit = 320): SnippetPiece[] {
	if (!headline) return [];
	const pieces: SnippetPiece[] = [];
	let length = 0;
	let mark = false;
	// eslint-disable-next-line no-control-regex -- the two marks are control characters on purpose
	for (const part of plain(headline).split(/([\u0002\u0003])/)) {
		if (part === MARK_START || part === MARK_STOP) {
			mark = part === MARK_START;
			continue;
		}
		if (!part || length >= limit) continue;
		const room = limit - length;
		const text = part.length > room ? `${part.slice(0, room).trimEnd()}…` : part;
		pieces.push({ text, mark });
		length += text.length;
	}
	return pieces;
}
