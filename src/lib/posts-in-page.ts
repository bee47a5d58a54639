/**
 * A thread page sends each post's HTML once. The server renders the posts into the page; the
 * hydration data then carries each post's other fields only, and the browser takes the HTML from
 * the page it already has (issue 22: the words of every post were sent twice, and escaped
 * character by character the second time).
 *
 * Only a page's first render is marked (see `htmlOnce`): `__data.json`, which the browser fetches
 * on client-side navigation with no rendered posts to read from, carries the HTML as before.
 * Live events carry the HTML of new and edited posts themselves.
 */
import type { Transporter } from '@sveltejs/kit';

interface PostWithHtml {
	id: number;
	html: string;
}

const inPage = new WeakSet<object>();

/** Marks a page's posts so that their HTML is not repeated in its hydration data. */
export function htmlOnce<T extends PostWithHtml>(event: { isDataRequest: boolean }, posts: T[]): T[] {
	if (!event.isDataRequest) inPage.add(posts);
	return posts;
}

/** Svelte's markers around `{@html}` content in server-rendered HTML. */
const MARKER = '<!---->';

/** The HTML of a post as the page shows it: the content of its `.muster-prose` element. */
function renderedHtml(id: number): string {
	let html = document.getElementById(`post-${id}`)?.querySelector('.muster-prose')?.innerHTML ?? '';
	if (html.startsWith(MARKER)) html = html.slice(MARKER.length);
	if (html.endsWith(MARKER)) html = html.slice(0, -MARKER.length);
	return html;
}

/** The transport hook (src/hooks.ts): drops the HTML on the server, reads it back in the browser. */
export const postsInPage: Transporter = {
	encode: (value) =>
		inPage.has(value as object) && (value as PostWithHtml[]).map(({ html: _html, ...rest }) => rest),
	decode: (posts: Omit<PostWithHtml, 'html'>[]) => posts.map((p) => ({ ...p, html: renderedHtml(p.id) }))
};
