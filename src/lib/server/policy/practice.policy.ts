/**
 * Who may do what to a good-practice entry: one pure decision, asked by the pages, the
 * lists (whose SQL mirrors `mayReadScope`, checked by a test) and the discussion links.
 *
 * Scope: a site-wide entry may be read by any active, confirmed police or partner account
 * (and administrators); a group's entry only by those who may read that group's threads
 * (its members), exactly as the group policy says. Unpublished work is seen only by its
 * authors (author and co-authors) and, while it waits for review, by the scope's reviewers.
 * Anything the viewer may not see is "not found".
 */
import type { PracticeVersionStatus } from '../db/schema.ts';
import { decide, type Decision, type PolicyActor, type PolicyGroup, type Standing } from './group.policy.ts';

export const PRACTICE_ACTIONS = [
	'read',
	'read_working',
	'edit',
	'submit',
	'review',
	'revise',
	'archive',
	'add_coauthor'
] as const;
export type PracticeAction = (typeof PRACTICE_ACTIONS)[number];

export interface PracticeActor extends PolicyActor {
	/** Given by an administrator: reviews site-wide entries. */
	practiceReviewer: boolean;
}

export type PracticeScope = { kind: 'site' } | { kind: 'group'; group: PolicyGroup; standing: Standing };

export interface PracticeFacts {
	scope: PracticeScope;
	authorId: string;
	/** The actor is one of the entry's co-authors. */
	coauthor: boolean;
	/** A published version exists (archived entries keep theirs). */
	published: boolean;
	archived: boolean;
	/** The state of the version being written or reviewed, if any. */
	working: Extract<PracticeVersionStatus, 'draft' | 'in_review' | 'returned'> | null;
}

const ALLOW: Decision = { ok: true };
const refuse = (code: 'not_found' | 'forbidden' | 'conflict' | 'two_factor', message: string): Decision => ({
	ok: false,
	code,
	message
});
const NOT_FOUND = refuse('not_found', 'Page not found');

function usable(actor: PolicyActor | null): actor is PolicyActor {
	return !!actor && actor.status === 'active' && actor.emailVerified;
}

/** May this account read what is published in this scope? */
export function mayReadScope(actor: PolicyActor | null, scope: PracticeScope): boolean {
	if (!usable(actor)) return false;
	if (scope.kind === 'site') return actor.isAdmin || actor.kind === 'police' || actor.kind === 'partner';
	return decide(actor, 'read_threads', scope.group, scope.standing).ok;
}

/** May this account review (publish or return) entries in this scope? */
export function mayReviewScope(actor: PracticeActor | null, scope: PracticeScope): Decision {
	if (!usable(actor)) return NOT_FOUND;
	if (scope.kind === 'group') {
		const d = decide(actor, 'moderate_posts', scope.group, scope.standing);
		return d.ok || d.code !== 'not_found'
			? d
			: refuse('forbidden', 'Only this group’s moderators can review its entries.');
	}
	if (!actor.practiceReviewer) {
		return refuse('forbidden', 'Only practice reviewers can review site-wide entries.');
	}
	if (!actor.twoFactorEnabled) {
		return refuse('two_factor', 'Set up two-factor authentication before reviewing entries.');
	}
	return ALLOW;
}

/** May this account start an entry in this scope? */
export function mayCreateIn(actor: PolicyActor | null, scope: PracticeScope): Decision {
	if (!usable(actor)) return NOT_FOUND;
	if (scope.kind === 'group') return decide(actor, 'start_thread', scope.group, scope.standing);
	if (actor.isAdmin || actor.kind === 'police') return ALLOW;
	return refuse(
		'forbidden',
		'Site-wide entries are written by police officers and staff. You can share practice in a group you belong to.'
	);
}

export function decidePractice(
	actor: PracticeActor | null,
	action: PracticeAction,
	facts: PracticeFacts
): Decision {
	if (!usable(actor)) return NOT_FOUND;
	const readsScope = mayReadScope(actor, facts.scope);
	const writer = actor.id === facts.authorId || facts.coauthor;
	const review = mayReviewScope(actor, facts.scope);
	const inReview = facts.working === 'in_review';
	const visible = readsScope && (facts.published || writer || (review.ok && inReview));
	if (!visible) {
		// A reviewer who has not set up two-factor is told to, rather than finding nothing.
		if (readsScope && inReview && !review.ok && review.code === 'two_factor') return review;
		return NOT_FOUND;
	}

	switch (action) {
		case 'read':
			return ALLOW;
		case 'read_working':
			return facts.working !== null && (writer || (review.ok && inReview)) ? ALLOW : NOT_FOUND;
		case 'edit':
		case 'submit':
			if (facts.archived) return refuse('conflict', 'This entry is archived, so it cannot be changed.');
			if (!writer) return refuse('forbidden', 'Only the entry’s authors can change it.');
			if (inReview) {
				return refuse(
					'conflict',
					'This entry is with a reviewer. You can change it again if it is returned to you.'
				);
			}
			if (facts.working === null) {
				return refuse('conflict', 'Start a revision to change a published entry.');
			}
			return ALLOW;
		case 'revise':
			if (facts.archived) return refuse('conflict', 'This entry is archived, so it cannot be changed.');
			if (!writer) return refuse('forbidden', 'Only the entry’s authors can revise it.');
			if (!facts.published) return refuse('conflict', 'This entry has not been published yet.');
			if (facts.working !== null) return refuse('conflict', 'A revision of this entry is already under way.');
			return ALLOW;
		case 'review':
			if (!review.ok) return review;
			if (writer) {
				return refuse(
					'forbidden',
					'You cannot review an entry you wrote. Another reviewer must publish or return it.'
				);
			}
			if (!inReview) return refuse('conflict', 'This entry is not waiting for review.');
			return ALLOW;
		case 'archive':
			if (facts.archived) return refuse('conflict', 'This entry is already archived.');
			if (!facts.published) return refuse('conflict', 'Only published entries can be archived.');
			return writer || review.ok
				? ALLOW
				: refuse('forbidden', 'Only the entry’s authors and reviewers can archive it.');
		case 'add_coauthor':
			if (facts.archived) return refuse('conflict', 'This entry is archived, so it cannot be changed.');
			return actor.id === facts.authorId
				? ALLOW
				: refuse('forbidden', 'Only the entry’s author can add co-authors.');
	}
}
