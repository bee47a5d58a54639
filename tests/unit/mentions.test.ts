import { describe, expect, it } from 'vitest';
import { linkMentions } from '../../src/lib/server/discussions/mentions.ts';

const members = [
	{ id: 'u1', displayName: 'Sam Officer' },
	{ id: 'u2', displayName: 'Sam' },
	{ id: 'u3', displayName: 'Priya Shah' }
];

describe('linkMentions', () => {
	it('links members by their full name, preferring the longest match', () => {
		const { source, mentioned } = linkMentions('Thanks @Sam Officer and @priya shah!', members);
		expect(source).toBe('Thanks [@Sam Officer](/people/u1) and [@Priya Shah](/people/u3)!');
		expect(mentioned.map((m) => m.id)).toEqual(['u1', 'u3']);
	});

	it('leaves e-mail addresses, code, unknown names and partial words alone', () => {
		const text = 'Mail sam@kent.police.uk, see `@Sam` and ```\n@Priya Shah\n```, ask @Nobody or @Samuel';
		expect(linkMentions(text, members)).toEqual({ source: text, mentioned: [] });
	});

	it('mentions each person once however often they are named', () => {
		expect(linkMentions('@Sam, @Sam', members).mentioned).toHaveLength(1);
	});
});
