/**
 * The practice policy alone (no database): what each kind of viewer may do to an entry in
 * each state. Its SQL forms are checked against it in tests/integration/practice.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
	PRACTICE_ACTIONS,
	decidePractice,
	type PracticeActor,
	type PracticeFacts
} from '../../src/lib/server/policy/practice.policy.ts';

describe('practice policy matrix', () => {
	const actor = (over: Partial<PracticeActor> = {}): PracticeActor => ({
		id: 'viewer',
		kind: 'police',
		isAdmin: false,
		status: 'active',
		emailVerified: true,
		twoFactorEnabled: true,
		practiceReviewer: false,
		...over
	});
	const site = (over: Partial<PracticeFacts> = {}): PracticeFacts => ({
		scope: { kind: 'site' },
		authorId: 'author',
		coauthor: false,
		published: false,
		archived: false,
		working: 'draft',
		...over
	});
	const outcome = (a: PracticeActor, facts: PracticeFacts) =>
		PRACTICE_ACTIONS.map((action) => {
			const d = decidePractice(a, action, facts);
			return d.ok
				? 'A'
				: d.code === 'not_found'
					? 'N'
					: d.code === 'forbidden'
						? 'F'
						: d.code === 'two_factor'
							? 'T'
							: 'C';
		}).join('');

	// Columns: read, read_working, edit, submit, review, revise, archive, add_coauthor.
	it.each([
		['author, draft', actor({ id: 'author' }), site(), 'AAAAFCCA'],
		['co-author, draft', actor(), site({ coauthor: true }), 'AAAAFCCF'],
		['police reader, draft', actor(), site(), 'NNNNNNNN'],
		['reviewer, draft', actor({ practiceReviewer: true }), site(), 'NNNNNNNN'],
		['reviewer, in review', actor({ practiceReviewer: true }), site({ working: 'in_review' }), 'AAFFAFCF'],
		[
			'reviewer without two-factor',
			actor({ practiceReviewer: true, twoFactorEnabled: false }),
			site({ working: 'in_review' }),
			'TTTTTTTT'
		],
		[
			'author, in review',
			actor({ id: 'author', practiceReviewer: true }),
			site({ working: 'in_review' }),
			'AACCFCCA'
		],
		['partner, published', actor({ kind: 'partner' }), site({ published: true, working: null }), 'ANFFFFFF'],
		['guest, published', actor({ kind: 'guest' }), site({ published: true, working: null }), 'NNNNNNNN'],
		[
			'suspended, published',
			actor({ status: 'suspended' }),
			site({ published: true, working: null }),
			'NNNNNNNN'
		],
		['author, published', actor({ id: 'author' }), site({ published: true, working: null }), 'ANCCFAAA'],
		[
			'reviewer, published',
			actor({ practiceReviewer: true }),
			site({ published: true, working: null }),
			'ANFFCFAF'
		],
		[
			'author, archived',
			actor({ id: 'author' }),
			site({ published: true, archived: true, working: null }),
			'ANCCFCCC'
		]
	])('%s', (_label, a, facts, expected) => {
		expect(outcome(a, facts)).toBe(expected);
	});
});
