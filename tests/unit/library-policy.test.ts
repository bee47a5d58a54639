/** The site library's policy (issue 17), cell by cell: who reads it, who publishes to it. */
import { describe, expect, it } from 'vitest';
import { decideSiteLibrary } from '../../src/lib/server/policy/library.policy.ts';
import type { PolicyActor } from '../../src/lib/server/policy/group.policy.ts';

const actor = (over: Partial<PolicyActor> = {}): PolicyActor => ({
	id: '00000000-0000-0000-0000-000000000001',
	kind: 'police',
	isAdmin: false,
	status: 'active',
	emailVerified: true,
	twoFactorEnabled: true,
	...over
});

const outcome = (a: PolicyActor | null, publisher: boolean, action: 'read' | 'publish') => {
	const d = decideSiteLibrary(a, publisher, action);
	return d.ok ? 'A' : d.code;
};

describe('the site library policy', () => {
	it.each([
		['nobody signed in', null, false, 'not_found', 'not_found'],
		['an unconfirmed account', actor({ emailVerified: false }), false, 'not_found', 'not_found'],
		['a suspended account', actor({ status: 'suspended' }), true, 'not_found', 'not_found'],
		['a guest', actor({ kind: 'guest' }), false, 'forbidden', 'forbidden'],
		['a guest made publisher', actor({ kind: 'guest' }), true, 'forbidden', 'forbidden'],
		['a partner', actor({ kind: 'partner' }), false, 'A', 'forbidden'],
		['a police officer', actor(), false, 'A', 'forbidden'],
		['a publisher', actor(), true, 'A', 'A'],
		['a publisher without two-factor', actor({ twoFactorEnabled: false }), true, 'A', 'two_factor'],
		['an administrator', actor({ isAdmin: true }), false, 'A', 'A'],
		[
			'an administrator without two-factor',
			actor({ isAdmin: true, twoFactorEnabled: false }),
			false,
			'A',
			'two_factor'
		]
	] as const)('%s', (_who, a, publisher, read, publish) => {
		expect(outcome(a, publisher, 'read')).toBe(read);
		expect(outcome(a, publisher, 'publish')).toBe(publish);
	});
});
