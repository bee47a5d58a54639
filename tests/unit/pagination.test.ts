import { describe, expect, it } from 'vitest';
import { pageItems } from '../../src/lib/pagination.ts';

/** The items as a person reads them: page numbers, and "…" for a gap. */
const shown = (current: number, pages: number) =>
	pageItems(current, pages)
		.map((i) => (i.gap ? '…' : String(i.page)))
		.join(' ');

/** What the thread page showed before: every page considered, one at a time. */
function byWalkingEveryPage(current: number, pages: number): string {
	const out: string[] = [];
	for (let n = 1; n <= pages; n++) {
		if (n === 1 || n === pages || Math.abs(n - current) <= 1) out.push(String(n));
		else if (n === 2 || n === pages - 1) out.push('…');
	}
	return out.join(' ');
}

describe('numbered pagination', () => {
	it('shows the first and last pages, the current page with its neighbours, and gaps between', () => {
		expect(shown(1, 1)).toBe('1');
		expect(shown(1, 2)).toBe('1 2');
		expect(shown(1, 100)).toBe('1 2 … 100');
		expect(shown(50, 100)).toBe('1 … 49 50 51 … 100');
		expect(shown(100, 100)).toBe('1 … 99 100');
		expect(shown(3, 5)).toBe('1 2 3 4 5');
	});

	it('gives what walking every page gave, for every page of threads up to 60 pages long', () => {
		for (let pages = 1; pages <= 60; pages++)
			for (let current = 1; current <= pages; current++)
				expect(shown(current, pages), `page ${current} of ${pages}`).toBe(byWalkingEveryPage(current, pages));
	});

	it('builds a handful of items however long the thread is', () => {
		expect(pageItems(25_000, 50_000)).toHaveLength(7);
	});
});
