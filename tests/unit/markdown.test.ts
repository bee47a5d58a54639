import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/lib/server/markdown/markdown.ts';

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
