import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { suggest } from '$lib/server/search/search.service';
import { searchText } from '$lib/server/forms';

/**
 * Titles and names offered under a search box while someone types (JavaScript only; the form
 * alone is complete without it). The same sources, through the same access conditions, as
 * the search page: a handful at a time, never a post's words.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	const typed = searchText(url.searchParams, 'q', 100);
	return json(
		{ suggestions: typed.trim().length < 2 ? [] : await suggest(locals.ctx, locals.user!, typed) },
		{ headers: { 'cache-control': 'private, no-store' } }
	);
};
