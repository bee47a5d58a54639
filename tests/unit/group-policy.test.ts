/**
 * The group policy alone, cell by cell against the written-out matrix (no database): every
 * action × every kind of viewer × every visibility. The same cells are checked on standings
 * loaded from PostgreSQL in tests/integration/group-access-matrix.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
	GROUP_ACTIONS,
	decide,
	decideWriteUp,
	mayActOnMember
} from '../../src/lib/server/policy/group.policy.ts';
import {
	EXPECTED,
	OUTCOME,
	VIEWERS,
	VISIBILITIES,
	matrixActor,
	matrixGroup,
	matrixStanding
} from '../support/group-matrix.ts';

describe('the group policy', () => {
	it('has a row for every action the policy knows, and only those', () => {
		expect(Object.keys(EXPECTED).sort()).toEqual([...GROUP_ACTIONS].sort());
		for (const action of GROUP_ACTIONS)
			expect(Object.keys(EXPECTED[action]).sort()).toEqual([...VIEWERS].sort());
	});

	const cells = GROUP_ACTIONS.flatMap((action) => VIEWERS.map((viewer) => [action, viewer] as const));
	it.each(cells)('%s by %s', (action, viewer) => {
		const got = VISIBILITIES.map((visibility) => {
			const result = decide(
				matrixActor(viewer),
				action,
				matrixGroup(viewer, visibility),
				matrixStanding(viewer)
			);
			return result.ok ? 'A' : OUTCOME[result.code];
		}).join('');
		expect(`${action} by ${viewer}: ${got}`).toBe(`${action} by ${viewer}: ${EXPECTED[action][viewer]}`);
	});

	it('lets moderators act on members only, and owners and administrators on anyone', () => {
		const roles = [undefined, 'member', 'moderator', 'owner'] as const;
		const acts = (viewer: 'moderator' | 'owner' | 'site administrator') =>
			roles.map((role) => mayActOnMember(matrixActor(viewer), matrixStanding(viewer), role));
		expect(acts('moderator')).toEqual([true, true, false, false]);
		expect(acts('owner')).toEqual([true, true, true, true]);
		expect(acts('site administrator')).toEqual([true, true, true, true]);
	});

	it('lets the thread’s author or a moderator write it up, while the group is not archived', () => {
		const writeUp = (viewer: (typeof VIEWERS)[number], author: string, archived = false) => {
			const d = decideWriteUp(
				matrixActor(viewer),
				{ ...matrixGroup(viewer, 'restricted'), archived },
				matrixStanding(viewer),
				author
			);
			return d.ok ? 'A' : OUTCOME[d.code];
		};
		expect(writeUp('member', 'member')).toBe('A');
		expect(writeUp('member', 'someone else')).toBe('F');
		expect(writeUp('moderator', 'someone else')).toBe('A');
		expect(writeUp('site administrator', 'someone else')).toBe('A');
		expect(writeUp('member', 'member', true)).toBe('C');
		// Someone who may not read the group learns nothing more than that.
		expect(writeUp('police non-member', 'police non-member')).toBe('F');
		expect(writeUp('guest', 'guest')).toBe('F');
		expect(writeUp('suspended', 'suspended')).toBe('N');
	});

	it('lets only moderators and administrators add to a library that members may not add to', () => {
		const outcome = (viewer: (typeof VIEWERS)[number]) => {
			const result = decide(
				matrixActor(viewer),
				'upload_document',
				{ ...matrixGroup(viewer, 'open'), membersMayUpload: false },
				matrixStanding(viewer)
			);
			return result.ok ? 'A' : result.message;
		};
		expect(outcome('member')).toBe('In this group only moderators add documents to the library.');
		expect(outcome('moderator')).toBe('A');
		expect(outcome('owner')).toBe('A');
		expect(outcome('site administrator')).toBe('A');
		expect(outcome('police non-member')).toBe('Join this group to add to its library.');
	});

	it('keeps the library readable, and closed to uploads, while a group is archived', () => {
		const archived = { ...matrixGroup('member', 'open'), archived: true };
		expect(decide(matrixActor('member'), 'read_library', archived, matrixStanding('member')).ok).toBe(true);
		expect(
			decide(matrixActor('member'), 'upload_document', archived, matrixStanding('member'))
		).toMatchObject({
			ok: false,
			code: 'conflict'
		});
	});
});
