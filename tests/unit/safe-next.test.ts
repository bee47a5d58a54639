import { describe, expect, it } from 'vitest';
import { safeNext } from '../../src/lib/server/web/actions.ts';

/** Where a browser would go after a 303 to this Location from https://muster.example/login. */
function destination(location: string): string {
	return new URL(location, 'https://muster.example/login').origin;
}

const HOSTILE = [
	'//evil.example',
	'///evil.example',
	'////evil.example',
	'/.//evil.example',
	'/./evil.example/..//evil.example',
	'/login/../..//evil.example',
	'/a/b/../../..//evil.example',
	'/%2e//evil.example',
	'/%2E//evil.example',
	'/%2e%2e//evil.example',
	'/.%2e//evil.example',
	'/%2e/%2e//evil.example',
	'/%2F/evil.example',
	'/%2f%2fevil.example',
	'/\\evil.example',
	'/\\/evil.example',
	'\\\\evil.example',
	'/\t/evil.example',
	'/\n/evil.example',
	'/\r/evil.example',
	'/\u0000/evil.example',
	'/ /evil.example',
	'https://evil.example',
	'http:/evil.example',
	'https:evil.example',
	'//evil.example@muster.example',
	'/@evil.example',
	'javascript:alert(1)',
	'/javascript:alert(1)//evil.example',
	'data:text/html,hi',
	'evil.example',
	'./..//evil.example',
	'%2F%2Fevil.example',
	'/%09/evil.example',
	'/%5c/evil.example',
	'/%255c/evil.example',
	'/%252e//evil.example',
	'/' + 'a/'.repeat(300) + '..//evil.example',
	'/' + 'x'.repeat(600),
	'',
	null,
	undefined
];

describe('safeNext (where sign-in sends you next)', () => {
	it.each(HOSTILE.map((value) => [JSON.stringify(value)?.slice(0, 60), value]))(
		'never leaves the site for %s',
		(_label, value) => {
			const result = safeNext(value as string | null | undefined);
			expect(result.startsWith('/')).toBe(true);
			expect(result).not.toMatch(/^\/[/\\]/);
			expect(destination(result)).toBe('https://muster.example');
		}
	);

	it('answers the fallback for the classic tricks, not a rewritten address', () => {
		for (const value of ['/.//evil.example', '/login/../..//evil.example', '/%2e//evil.example', '//x'])
			expect(safeNext(value)).toBe('/');
		expect(safeNext('/.//evil.example', '/groups')).toBe('/groups');
	});

	it('keeps ordinary paths on the site, with their query and fragment', () => {
		expect(safeNext('/groups/modern-slavery?tab=members#top')).toBe('/groups/modern-slavery?tab=members#top');
		expect(safeNext('/')).toBe('/');
		expect(safeNext('/practice/../groups')).toBe('/groups');
		expect(safeNext('/search?q=%2F%2Fnot-a-host')).toBe('/search?q=%2F%2Fnot-a-host');
	});
});
