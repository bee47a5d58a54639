/**
 * Markdown for everything people write (group descriptions now, posts later):
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

const SANITIZE: sanitizeHtml.IOptions = {
	allowedTags: ALLOWED_TAGS,
	allowedAttributes: { a: ['href', 'title'], th: ['align'], td: ['align'], ol: ['start'] },
	allowedSchemes: ['http', 'https', 'mailto'],
	allowedSchemesAppliedToAttributes: ['href'],
	allowProtocolRelative: false,
	disallowedTagsMode: 'discard',
	// Headings start at h2: h1 is the page's own title.
	transformTags: {
		h1: 'h2',
		img: (_tag, attribs) => ({
			tagName: 'a',
			attribs: { href: attribs.src ?? '', rel: 'nofollow noopener ugc' },
			text: attribs.alt ? `Image: ${attribs.alt}` : 'Image (not loaded)'
		}),
		a: (_tag, attribs) => ({
			tagName: 'a',
			attribs: { ...attribs, rel: 'nofollow noopener ugc' }
		})
	},
	exclusiveFilter: (frame) => frame.tag === 'a' && !frame.attribs.href
};

// rel is added by the transform; it must also be allowed through.
(SANITIZE.allowedAttributes as Record<string, string[]>).a!.push('rel');

/** Safe HTML for a Markdown source. */
export function renderMarkdown(source: string): string {
	const html = marked.parse(source) as string;
	return sanitizeHtml(html, SANITIZE).trim();
}
