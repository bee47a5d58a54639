import { describe, expect, it } from 'vitest';
import {
	escapeMarkdownText,
	MAX_NESTING,
	renderMarkdown,
	safeHref,
	tooDeeplyNested
} from '../../src/lib/server/markdown/markdown.ts';

describe('renderMarkdown', () => {
	it('renders CommonMark and GFM tables, strikethrough and autolinks', () => {
		expect(renderMarkdown('**bold** and _em_ and ~~gone~~')).toBe(
			'<p><strong>bold</strong> and <em>em</em> and <del>gone</del></p>'
		);
		expect(renderMarkdown('| a | b |\n|---|---|\n| 1 | 2 |')).toContain('<table>');
		expect(renderMarkdown('see https://www.gov.uk/guidance')).toBe(
			'<p>see <a href="https://www.gov.uk/guidance" rel="nofollow noopener ugc">https://www.gov.uk/guidance</a></p>'
		);
	});

	it.each([
		['<script>alert(1)</script>', /<script|alert\(1\)<\/script/],
		['<img src=x onerror=alert(1)>', /onerror|<img/],
		['[click](javascript:alert(1))', /javascript:/],
		['<a href="javascript:alert(1)">x</a>', /javascript:/],
		['[x](JaVaScRiPt:alert(1))', /javascript:/i],
		['<svg onload=alert(1)><circle/></svg>', /<svg|onload/],
		['[x](data:text/html;base64,PHNjcmlwdD4=)', /data:/],
		['<iframe src="https://evil.example"></iframe>', /<iframe/],
		['<div style="background:url(x)">hi</div>', /style=/],
		['<p onclick="steal()">hi</p>', /onclick/],
		['[x](//evil.example/path)', /href="\/\/evil/],
		['<a href="https://ok.example" onmouseover="x()">ok</a>', /onmouseover/],
		['> <script>nested</script>', /<script/],
		['`<script>` in code', /<script>/]
	])('removes the danger from %s', (input, danger) => {
		expect(renderMarkdown(input)).not.toMatch(danger);
	});

	it('shows images as links, never loading them', () => {
		const html = renderMarkdown('![a chart](https://tracker.example/pixel.png)');
		expect(html).not.toContain('<img');
		expect(html).toContain(
			'<a href="https://tracker.example/pixel.png" rel="nofollow noopener ugc">Image: a chart</a>'
		);
	});

	it('turns a top-level heading into h2, since h1 is the page title', () => {
		expect(renderMarkdown('# Title')).toBe('<h2>Title</h2>');
	});
});

describe('nesting (an outside review crashed the parser with deeply nested Markdown)', () => {
	const thousand = {
		quotes: `${'> '.repeat(1000)}deep`,
		'quotes on separate lines': `${Array.from({ length: 1000 }, (_, i) => '>'.repeat(i + 1)).join('\n')} deep`,
		'lists on one line': `${'- '.repeat(1000)}deep`,
		'numbered lists': `${'1. '.repeat(1000)}deep`,
		'indented lists': Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i * 2)}- deep`).join('\n'),
		'quotes in lists': `${'> - '.repeat(1000)}deep`,
		emphasis: `${'*'.repeat(1000)}deep${'*'.repeat(1000)}`,
		'spaced emphasis': `${'*a '.repeat(1000)}deep${' b*'.repeat(1000)}`,
		'strong emphasis': `${'**a '.repeat(1000)}deep${' b**'.repeat(1000)}`,
		underscores: `${'_'.repeat(1000)}deep${'_'.repeat(1000)}`,
		links: `${'['.repeat(1000)}deep${'](https://example.org)'.repeat(1000)}`
	};

	it.each(Object.entries(thousand))(
		'refuses 1,000 levels of %s, and still renders them as text',
		(_kind, source) => {
			expect(tooDeeplyNested(source)).toBe(true);
			const html = renderMarkdown(source);
			expect(html).toContain('deep');
			expect(html).not.toMatch(/<(blockquote|ul|ol|em|strong|a)\b/);
		}
	);

	it('lets what people really write through, up to the limit', () => {
		const ordinary = [
			'> > Quoting a quote\n>\n> and replying',
			'- one\n  - two\n    - three\n      - four\n        - five',
			'**bold *and italic* text** and _more_ ~~struck~~',
			'[a link](https://www.gov.uk) and [another](https://example.org)',
			'***\n\n___\n\n' + '*'.repeat(80),
			'```\n' + Array.from({ length: 100 }, (_, i) => ' '.repeat(i) + '{').join('\n') + '\n```',
			'| a | b |\n|---|---|\n| 1 | 2 |',
			'5 * 3 * 2 = 30, and snake_case_names_with_many_parts_are_fine_too_really_quite_long',
			`${'> '.repeat(MAX_NESTING)}as deep as allowed`,
			`${'*a '.repeat(MAX_NESTING)}x${' b*'.repeat(MAX_NESTING)}`
		];
		for (const source of ordinary) expect([source, tooDeeplyNested(source)]).toEqual([source, false]);
		expect(renderMarkdown(`${'> '.repeat(MAX_NESTING)}as deep as allowed`)).toContain('<blockquote>');
	});
});

describe('links', () => {
	it.each([
		['[x](https:javascript:alert(1))', 'x'],
		['[x](java\tscript:alert(1))', 'x'],
		['[x](relative/path)', 'x'],
		['[x](//evil.example)', 'x']
	])('keeps the words but not the link for %s', (source) => {
		const html = renderMarkdown(source);
		expect(html).not.toContain('<a');
		expect(html).toContain('x');
	});

	it('keeps links whose parsed address is http, https, mailto, a path here or a fragment', () => {
		for (const href of [
			'https://www.gov.uk/a?b=c#d',
			'http://example.org',
			'mailto:unit@kent.police.uk',
			'/groups/x/p/1',
			'#post-3'
		])
			expect(renderMarkdown(`[x](${href})`)).toContain(`href="${href.replace(/&/g, '&amp;')}"`);
		expect(safeHref(' https://ok.example ')).toBe('https://ok.example');
	});
});

describe('names as text', () => {
	it.each([
		'Mal](javascript:alert(1)) [x',
		'[x](https://example.org/phish)',
		'**Loud** _name_',
		'<script>alert(1)</script>',
		'Name ![img](https://tracker.example/p.png)',
		'@Somebody Else',
		'back\\slash `code` ~~x~~ | pipe # hash',
		'www.phish.example',
		'Evil https://phish.example/login',
		'evil@phish.example'
	])('%s stays exactly the words of the name, inside the one link we build', (name) => {
		// Names read naturally where they are shown as source (the reply box).
		expect(escapeMarkdownText("Jean-Luc O'Brien, J. Smith")).toBe("Jean-Luc O'Brien, J. Smith");
		const html = renderMarkdown(`— [${escapeMarkdownText(name)}](/groups/g/p/1)`);
		expect(html.match(/<a /g)).toHaveLength(1);
		expect(html).toContain('href="/groups/g/p/1"');
		const text = html
			.replace(/<[^>]+>/g, '')
			.replace(/&lt;/g, '<')
			.replace(/&gt;/g, '>')
			.replace(/&amp;/g, '&')
			.replace(/&quot;/g, '"')
			.replace(/&#39;/g, "'");
		expect(text).toBe(`— ${name}`);
	});
});
