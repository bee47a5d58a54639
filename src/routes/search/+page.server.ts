import type { PageServerLoad } from './$types';
import { search, didYouMean, COUNT_CAP } from '$lib/server/search/search.service';
import { facetCounts, topicMap } from '$lib/server/practice/practice-list.service';
import { searchScope } from '$lib/server/search/search-scope';
import {
	KIND_LABELS,
	MAX_PAGE,
	PRACTICE_FACETS,
	PER_PAGE,
	SEARCH_KINDS,
	parseSearch,
	searchHref
} from '$lib/server/search/search.query';
import { formatDate } from '$lib/format';
import { pageItems } from '$lib/pagination';

const PRACTICE_FACET_LABELS = {
	effectiveness: 'Does it work?',
	stage: 'Stage',
	topic: 'Topic',
	organisation: 'Lead organisation',
	region: 'Region',
	scale: 'Scale'
} as const;

export const load: PageServerLoad = async ({ locals, url }) => {
	const { request, problems } = parseSearch(url.searchParams);
	const user = locals.user!;
	const tooLong = problems.some((p) => p.field === 'q');
	// The names of the filters in force, each read through the policy: a group or thread the
	// viewer may not read, or an account nobody may see, is not named (and finds nothing).
	const scope = await searchScope(locals.ctx, user, request);
	const result = tooLong ? null : await search(locals.ctx, user, request);
	const counts = result?.counts ?? null;
	// Narrowed to good practice: the library's own filters, each value with its count for these words.
	const practiceFacets =
		result && request.kind === 'practice' && !result.noWords
			? await facetCounts(
					locals.ctx,
					user,
					{ ...request.practice, words: request.q, sort: 'newest', archived: false },
					await topicMap(locals.ctx)
				)
			: null;
	const total = counts
		? request.kind
			? counts[request.kind]
			: SEARCH_KINDS.reduce((sum, kind) => sum + counts[kind], 0)
		: 0;
	// Nothing found: offer the closest name or title the viewer may see.
	const suggestion =
		result && request.q && !result.noWords && !result.tooSlow && total === 0
			? await didYouMean(locals.ctx, user, request.q)
			: null;
	const pages = Math.min(Math.ceil(Math.min(total, COUNT_CAP) / PER_PAGE), MAX_PAGE);
	// Never fewer pages than the one shown and, when the search says more follow, the next.
	const lastPage = Math.max(pages, result?.more ? request.page + 1 : 1);
	return {
		q: request.q,
		// What the form shows again: exactly what was asked, including a date that is not one.
		form: {
			q: url.searchParams.get('q') ?? '',
			kind: request.kind ?? '',
			group: request.group ?? '',
			thread: request.thread ? String(request.thread) : '',
			author: request.author ?? '',
			from: request.from ?? url.searchParams.get('from') ?? '',
			to: request.to ?? url.searchParams.get('to') ?? '',
			sort: request.sort
		},
		errors: Object.fromEntries(problems.map((p) => [p.field, p.message])),
		searched: result !== null && request.q !== '',
		noWords: result?.noWords ?? false,
		tooSlow: result?.tooSlow ?? false,
		suggestion: suggestion
			? { text: suggestion, href: searchHref({ ...request, q: suggestion, kind: null, page: 1 }) }
			: null,
		hits: (result?.hits ?? []).map((hit) => ({
			...hit,
			at: hit.at ? formatDate(hit.at) : null
		})),
		kinds: SEARCH_KINDS.map((kind) => ({
			kind,
			label: KIND_LABELS[kind],
			count: counts?.[kind] ?? 0,
			href: searchHref(request, { kind }),
			current: request.kind === kind
		})),
		allKindsHref: searchHref(request, { kind: null }),
		total,
		more: total > COUNT_CAP,
		page: request.page,
		pages: lastPage,
		pagination: {
			prev: request.page > 1 ? searchHref(request, { page: request.page - 1 }) : null,
			next: request.page < lastPage ? searchHref(request, { page: request.page + 1 }) : null,
			items: pageItems(request.page, lastPage).map((item) => ({
				...item,
				href: searchHref(request, { page: item.page })
			}))
		},
		practiceFacets: practiceFacets
			? PRACTICE_FACETS.map((name) => ({
					name,
					label: PRACTICE_FACET_LABELS[name],
					value: request.practice[name] === undefined ? '' : String(request.practice[name]),
					options: practiceFacets[name]
				}))
			: [],
		groups: scope.groups,
		thread: scope.thread,
		author: scope.author,
		// Each filter in force, with the address of the same search without it.
		active: [
			...(scope.groupName
				? [{ label: `In ${scope.groupName}`, href: searchHref(request, { group: null }) }]
				: []),
			...(scope.thread
				? [{ label: `In the thread “${scope.thread.title}”`, href: searchHref(request, { thread: null }) }]
				: []),
			...(scope.author
				? [{ label: `By ${scope.author.name}`, href: searchHref(request, { author: null }) }]
				: []),
			...(request.from ? [{ label: `From ${request.from}`, href: searchHref(request, { from: null }) }] : []),
			...(request.to ? [{ label: `To ${request.to}`, href: searchHref(request, { to: null }) }] : []),
			...PRACTICE_FACETS.filter((name) => request.practice[name] !== undefined).map((name) => {
				const value = String(request.practice[name]);
				const shown = practiceFacets?.[name].find((o) => o.value === value)?.label ?? value;
				const rest = Object.fromEntries(Object.entries(request.practice).filter(([k]) => k !== name));
				return {
					label: `${PRACTICE_FACET_LABELS[name]} ${shown}`,
					href: searchHref(request, { practice: rest })
				};
			})
		],
		withoutFiltersHref: searchHref({
			...request,
			group: null,
			thread: null,
			author: null,
			from: null,
			to: null,
			practice: {}
		})
	};
};
