/**
 * The items of a numbered pagination (the GOV.UK pattern): the first and last pages, the current
 * page and its neighbours, and a gap ("⋯") where pages are left out. Only these are ever built, so a
 * thread of 50,000 pages costs what a thread of five does.
 */
export type PageItem = { page: number; gap?: false } | { gap: true; page: number };

export function pageItems(current: number, pages: number): PageItem[] {
	const shown = (n: number) => n === 1 || n === pages || Math.abs(n - current) <= 1;
	const candidates = [...new Set([1, 2, current - 1, current, current + 1, pages - 1, pages])]
		.filter((n) => n >= 1 && n <= pages)
		.sort((a, b) => a - b);
	const items: PageItem[] = [];
	for (const n of candidates) {
		if (shown(n)) items.push({ page: n });
		// A gap stands for the pages between the first (or last) and the current page's neighbours.
		else if (n === 2 || n === pages - 1) items.push({ gap: true, page: n });
	}
	return items;
}
