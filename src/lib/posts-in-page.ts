/**
 * A thread page sends each post's HTML once. The server renders the posts into the page; the
 * hydration data then carries each post's other fields only, and the browser takes the HTML from
 * the page it already has (issue 22: the words of every post were sent twice, and escaped
 * character by character the second time).
 *
 * Fields most posts share (visible, not edited, not marked, no helpful marks) are left out too and
 * filled in again in the browser.
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

/** What most posts on a thread page have: a field with this value is not sent. */
const USUAL: Record<string, unknown> = {
	state: 'visible',
	hiddenReason: null,
	edited: null,
	helpfulCount: 0,
	markedHelpful: false,
	mine: false
};

function withoutUsual({ html: _html, ...post }: PostWithHtml): Record<string, unknown> {
	const sent: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(post))
		if (!Object.hasOwn(USUAL, key) || USUAL[key] !== value) sent[key] = value;
	return sent;
}

/** The transport hook (src/hooks.ts): drops the HTML on the server, reads it back in the browser. */
export const postsInPage: Transporter = {
	encode: (value) => inPage.has(value as object) && (value as PostWithHtml[]).map(withoutUsual),
	decode: (posts: Array<{ id: number }>) => posts.map((p) => ({ ...USUAL, ...p, html: renderedHtml(p.id) }))
};
