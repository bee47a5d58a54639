/**
 * A person's own lists: the entries they write or co-write, and the entries waiting for them
 * to review.
 */
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import type { PracticeVersionStatus } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import { practicePath } from './practice.schemas.ts';
import { loadEntries, practiceActor, readable } from '../policy/practice.access.ts';
import { entryStatus, type EntryView } from './practice-entry.service.ts';

export interface MineItem {
	id: number;
	path: string;
	title: string;
	status: EntryView['status'];
	revision: PracticeVersionStatus | null;
	updatedAt: Date;
	groupName: string | null;
}

/**
 * An author's entries (as author or co-author): drafts, submissions, published, archived;
 * only those whose scope they may still read (not a group they have left or been removed from).
 */
export async function myPractice(ctx: AppContext, user: SessionUser): Promise<MineItem[]> {
	const rows = await ctx.db
		.selectFrom('practices as p')
		.leftJoin('practiceVersions as w', 'w.id', 'p.workingVersionId')
		.leftJoin('practiceVersions as pub', 'pub.id', 'p.publishedVersionId')
		.leftJoin('groups as g', 'g.id', 'p.groupId')
		.select([
			'p.id',
			'p.archivedAt',
			'p.publishedVersionId',
			'p.updatedAt',
			'w.status as workingStatus',
			'w.title as workingTitle',
			'pub.title as publishedTitle',
			'g.name as groupName'
		])
		.where((eb) =>
			eb.or([
				eb('p.authorId', '=', user.id),
				eb(
					'p.id',
					'in',
					eb.selectFrom('practiceCoauthors').select('practiceId').where('userId', '=', user.id)
				)
			])
		)
		.where((eb) => readable(eb as unknown as Parameters<typeof readable>[0], user))
		.orderBy('p.updatedAt', 'desc')
		.orderBy('p.id', 'desc')
		.limit(200)
		.execute();
	return rows.map((r) => {
		const title = r.publishedTitle ?? r.workingTitle ?? 'Untitled';
		return {
			id: r.id,
			path: practicePath({ id: r.id, title }),
			title,
			status: entryStatus(r.archivedAt, r.publishedVersionId, r.workingStatus),
			revision: r.publishedVersionId ? (r.workingStatus ?? null) : null,
			updatedAt: r.updatedAt,
			groupName: r.groupName
		};
	});
}

/** Submissions this viewer may review (not their own), oldest first. */
export async function reviewQueue(ctx: AppContext, user: SessionUser) {
	const rows = await ctx.db
		.selectFrom('practices as p')
		.innerJoin('practiceVersions as w', 'w.id', 'p.workingVersionId')
		.innerJoin('users as a', 'a.id', 'p.authorId')
		.leftJoin('groups as g', 'g.id', 'p.groupId')
		.select([
			'p.id',
			'p.groupId',
			'p.publishedVersionId',
			'w.title',
			'w.submittedAt',
			'a.displayName as authorName',
			'g.name as groupName'
		])
		.where('w.status', '=', 'in_review')
		.where((eb) =>
			eb.or([
				eb('p.groupId', 'is', null),
				eb(
					'p.groupId',
					'in',
					eb
						.selectFrom('groupMembers')
						.select('groupId')
						.where('userId', '=', user.id)
						.where('role', 'in', ['owner', 'moderator'])
				),
				sql<boolean>`${user.isAdmin}`
			])
		)
		.orderBy('w.submittedAt')
		.limit(200)
		.execute();
	// The policy has the last word (reviewer role, two-factor, not one's own entry).
	const loaded = await loadEntries(
		ctx,
		ctx.db,
		user,
		rows.map((r) => r.id)
	);
	const out = rows
		.filter((row) => loaded.get(row.id)?.may.read && loaded.get(row.id)?.may.review)
		.map((row) => ({
			id: row.id,
			path: `${practicePath(row)}/review`,
			title: row.title,
			authorName: row.authorName,
			groupName: row.groupName,
			submittedAt: row.submittedAt!,
			revision: row.publishedVersionId !== null
		}));
	return {
		items: out,
		// Reviewers without two-factor are told to set it up rather than shown an empty queue.
		needsTwoFactor: !user.twoFactorEnabled && (await reviewsAnything(ctx, user))
	};
}

/** Is this account a reviewer of anything (site reviewer, or moderator of a group), two-factor or not? */
export async function reviewsAnything(ctx: AppContext, user: SessionUser): Promise<boolean> {
	const actor = await practiceActor(ctx.db, user);
	if (actor.practiceReviewer) return true;
	const moderated = await ctx.db
		.selectFrom('groupMembers')
		.select('groupId')
		.where('userId', '=', user.id)
		.where('role', 'in', ['owner', 'moderator'])
		.limit(1)
		.executeTakeFirst();
	return !!moderated;
}
