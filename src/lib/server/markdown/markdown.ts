/**
 * Markdown for everything people write (group descriptions, posts, good-practice entries):
 * CommonMark plus GFM tables, strikethrough and autolinks, rendered on the server and
 * sanitised with an allow-list, so no raw HTML, script, event handler or unsafe URL
 * survives. Links get rel="nofollow noopener ugc"; images are never loaded (an
 * external image would tell its host who is reading): they become links.
 */
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

const marked = new Marked({ gfm: true, breaks: false, async: false });

const ALLOWED_TAGS = [
	'p',
	'br',
	'hr',
	'h2',
	'h3',
	'h4',
	'h5',
	'h6',
	'blockquote',
	'pre',
	'code',
	'em',
	'strong',
	'del',
	's',
	'ul',
	'ol',
	'li',
	'a',
	'table',
	'thead',
	'tbody',
	'tr',
	'th',
	'td'
];

/**
 * A link's address as a browser would read it: kept only when it is a path on this site
 * ("/groups/…", not "//host" or "/\\host"), a fragment, or a URL whose parsed scheme is
 * http, https or mailto. The text is not enough: "https:javascript:…" begins with https.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const UNSAFE_IN_PATH = /[\u0000-\u001f\\]/;

export function safeHref(href: string | undefined): string | undefined {
	if (href === undefined) return undefined;
	const value = href.trim();
	if (/^#/.test(value) || /^\/(?![/\\])/.test(value)) return UNSAFE_IN_PATH.test(value) ? undefined : value;
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return undefined;
	}
	return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? value : undefined;
}

const SANITIZE: sanitizeHtml.IOptions = {
	allowedTags: ALLOWED_TAGS,
	allowedAttributes: { a: ['href', 'title'], th: ['align'], td: ['align'], ol: ['start'] },
	allowedSchemes: ['http', 'https', 'mailto'],
	allowedSchemesAppliedToAttributes: ['href'],
	allowProtocolRelative: false,
	disallowedTagsMode: 'discard',
	// Headings start at h2: h1 is the page's own title.
	// A link whose address is not safe keeps its words and loses the link ("span" is not
	// allowed, so only its text remains).
	transformTags: {
		h1: 'h2',
		img: (_tag, attribs) => {
			const href = safeHref(attribs.src);
			return {
				tagName: href ? 'a' : 'span',
				attribs: href ? { href, rel: 'nofollow noopener ugc' } : ({} as Record<string, string>),
				text: attribs.alt ? `Image: ${attribs.alt}` : 'Image (not loaded)'
			};
		},
		a: (_tag, attribs) => {
			const href = safeHref(attribs.href);
			return href
				? { tagName: 'a', attribs: { ...attribs, href, rel: 'nofollow noopener ugc' } }
				: { tagName: 'span', attribs: {} };
		}
	},
	exclusiveFilter: (frame) => frame.tag === 'a' && !frame.attribs.href
};

// rel is added by the transform; it must also be allowed through.
(SANITIZE.allowedAttributes as Record<string, string[]>).a!.push('rel');

/**
 * How deep Markdown may nest (quotes in quotes, lists in lists, emphasis in emphasis, links
 * in brackets): far beyond anything a person writes, far below what exhausts the parser's
 * stack (a few thousand levels crash it).
 */
export const MAX_NESTING = 32;
export const TOO_DEEP = `This text nests quotes, lists or emphasis more than ${MAX_NESTING} levels deep. Flatten it and try again`;

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const CONTAINER = /^ {0,3}(?:>|[-*+](?=\s)|\d{1,9}[.)](?=\s))[ \t]?/;

/** Does this Markdown nest deeper than MAX_NESTING anywhere? (Linear in its length.) */
export function tooDeeplyNested(source: string): boolean {
	let fenced = false;
	// Inline nesting carries across the lines of a paragraph.
	let brackets = 0;
	let emphasis = 0;
	for (const line of source.split('\n')) {
		if (FENCE.test(line)) fenced = !fenced;
		if (fenced) continue;
		if (line.trim() === '') {
			brackets = 0;
			emphasis = 0;
			continue;
		}
		// Block nesting: list indentation, then the containers opened at the start of the line.
		let rest = line.replace(/\t/g, '    ');
		const indent = rest.length - rest.trimStart().length;
		let depth = Math.floor(indent / 2);
		rest = rest.slice(indent);
		for (let m = CONTAINER.exec(rest); m; m = CONTAINER.exec(rest)) {
			rest = rest.slice(m[0].length);
			depth += 1;
		}
		if (depth > MAX_NESTING) return true;
		// Inline nesting: emphasis delimiters that open (and do not close), and open brackets.
		for (const run of rest.matchAll(/[*_~]+/g)) {
			const before = run.index === 0 ? ' ' : rest[run.index - 1]!;
			const after = rest[run.index + run[0].length] ?? ' ';
			const opens = !/\s/.test(after) && (!/[\p{P}\p{S}]/u.test(after) || /[\s\p{P}\p{S}]/u.test(before));
			const closes = !/\s/.test(before) && (!/[\p{P}\p{S}]/u.test(before) || /[\s\p{P}\p{S}]/u.test(after));
			if (opens && !closes) emphasis += run[0].length;
			else if (closes && !opens) emphasis = Math.max(0, emphasis - run[0].length);
			if (emphasis > 2 * MAX_NESTING) return true;
		}
		for (let i = 0; i < rest.length; i++) {
			const c = rest[i];
			if (c === '\\') i++;
			else if (c === '[' && ++brackets > MAX_NESTING) return true;
			else if (c === ']' && brackets > 0) brackets--;
		}
	}
	return false;
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Safe HTML for a Markdown source. Forms refuse text nested too deeply (TOO_DEEP) before it
 * gets here; should any arrive (older rows, a path without the check), it is shown as plain
 * text rather than crashing the page.
 */
export function renderMarkdown(source: string): string {
	if (tooDeeplyNested(source)) return plainText(source);
	let html: string;
	try {
		html = marked.parse(source) as string;
	} catch (error) {
		if (error instanceof RangeError) return plainText(source);
		throw error;
	}
	return sanitizeHtml(html, SANITIZE).trim();
}

function plainText(source: string): string {
	return source
		.split(/\n{2,}/)
		.map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
		.join('\n');
}

/**
 * Text that must stay text inside Markdown we build (a person's name in a quote's
 * attribution or a mention): every character Markdown could read as syntax there is escaped,
 * so a name such as "Mal](javascript:x) [x" or "[x](https://phish.example)" is shown as
 * written and never becomes a link, emphasis or HTML. Punctuation that names carry and that
 * means nothing mid-line (hyphens, apostrophes, "J. Smith") is left as typed (brackets are not: "(" and ")" would end the link), so a quote reads
 * naturally in the reply box; a dot inside a word is escaped, with ":" and "@", so nothing in
 * a name is turned into a web or e-mail link.
 */
export function escapeMarkdownText(text: string): string {
	return text
		.replace(/\s+/g, ' ')
		.replace(/[\\`*_[\]()<>&!@~|:]/g, '\\$&')
		.replace(/\.(?=\S)/g, '\\.');
}
