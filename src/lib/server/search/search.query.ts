/**
 * What a person asked the search for, read from the address (`/search?q=…&kind=…`). Nothing
 * here refuses a query: words the text-search parser cannot use are left to PostgreSQL's
 * `websearch_to_tsquery`, which never fails on syntax; a filter that makes no sense is
 * dropped, and only a query too long to search or a date that is not a date is reported.
 */
import { isUuid } from '../ids.ts';
import { practiceFiltersFrom } from '../practice/practice.schemas.ts';

/** The kinds of thing a search finds, in the order the filters list them. */
export const SEARCH_KINDS = ['post', 'thread', 'practice', 'document', 'group', 'person'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const KIND_LABELS: Record<SearchKind, string> = {
	post: 'Posts and replies',
	thread: 'Thread titles',
	practice: 'Good practice',
	document: 'Documents',
	group: 'Groups',
	person: 'People'
};

/** Longer queries are not searched: the page says so. */
export const MAX_QUERY_LENGTH = 256;
export const PER_PAGE = 20;
/** Paging stops here (1,000 results); a narrower search finds the rest. */
export const MAX_PAGE = 50;

export type SearchSort = 'relevance' | 'newest';

export interface SearchRequest {
	/** The words, trimmed, with runs of spaces made one. */
	q: string;
	kind: SearchKind | null;
	/** A group's slug: only what is in that group. */
	group: string | null;
	/** A thread's id: only that thread's posts. */
	thread: number | null;
	/** An account's id: only what they wrote. */
	author: string | null;
	/** ISO dates (UK time), inclusive. */
	from: string | null;
	to: string | null;
	sort: SearchSort;
	page: number;
	/** The library's own filters, for good-practice entries (kind=practice). */
	practice: PracticeFacets;
}

export interface PracticeFacets {
	effectiveness?: string;
	stage?: string;
	topic?: number;
	organisation?: number;
	region?: string;
	scale?: string;
}

export const PRACTICE_FACETS = [
	'effectiveness',
	'stage',
	'topic',
	'organisation',
	'region',
	'scale'
] as const;

function practiceFacets(params: URLSearchParams): PracticeFacets {
	const facets: PracticeFacets = practiceFiltersFrom(params);
	return Object.fromEntries(Object.entries(facets).filter(([, v]) => v !== undefined));
}

export interface SearchProblem {
	field: 'q' | 'from' | 'to';
	message: string;
}

function isoDate(value: string): boolean {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (!m) return false;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const date = new Date(Date.UTC(y, mo - 1, d));
	return y >= 2000 && y <= 9999 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function parseSearch(params: URLSearchParams): { request: SearchRequest; problems: SearchProblem[] } {
	const problems: SearchProblem[] = [];
	const q = (params.get('q') ?? '').replace(/\s+/g, ' ').trim();
	if (q.length > MAX_QUERY_LENGTH)
		problems.push({
			field: 'q',
			message: `Your search is ${q.length.toLocaleString('en-GB')} characters long. Shorten it to ${MAX_QUERY_LENGTH} characters or fewer.`
		});
	const kindParam = params.get('kind') ?? '';
	const kind = (SEARCH_KINDS as readonly string[]).includes(kindParam) ? (kindParam as SearchKind) : null;
	const groupParam = params.get('group') ?? '';
	const group = /^[a-z0-9-]{1,60}$/.test(groupParam) ? groupParam : null;
	const threadParam = params.get('thread') ?? '';
	const thread = /^\d{1,15}$/.test(threadParam) && Number(threadParam) > 0 ? Number(threadParam) : null;
	const authorParam = params.get('author') ?? '';
	const author = isUuid(authorParam) ? authorParam.toLowerCase() : null;
	const date = (field: 'from' | 'to') => {
		const value = (params.get(field) ?? '').trim();
		if (!value) return null;
		if (isoDate(value)) return value;
		problems.push({
			field,
			message: `Enter the ${field === 'from' ? '“from”' : '“to”'} date as year-month-day, for example 2026-11-28`
		});
		return null;
	};
	const from = date('from');
	const to = date('to');
	const pageParam = params.get('page') ?? '1';
	const page = /^\d{1,4}$/.test(pageParam) ? Math.min(Math.max(Number(pageParam), 1), MAX_PAGE) : 1;
	return {
		request: {
			q,
			kind,
			group,
			thread,
			author,
			from,
			to,
			sort: params.get('sort') === 'newest' ? 'newest' : 'relevance',
			page,
			practice: practiceFacets(params)
		},
		problems
	};
}

/** The address of this search with some parameters changed (a removed filter, another page). */
export function searchHref(request: SearchRequest, change: Partial<SearchRequest> = {}): string {
	const r = { ...request, page: 1, ...change };
	const params = new URLSearchParams();
	params.set('q', r.q);
	if (r.kind) params.set('kind', r.kind);
	if (r.group) params.set('group', r.group);
	if (r.thread) params.set('thread', String(r.thread));
	if (r.author) params.set('author', r.author);
	if (r.from) params.set('from', r.from);
	if (r.to) params.set('to', r.to);
	for (const [name, value] of Object.entries(r.practice)) params.set(name, String(value));
	if (r.sort !== 'relevance') params.set('sort', r.sort);
	if (r.page > 1) params.set('page', String(r.page));
	return `/search?${params}`;
}
