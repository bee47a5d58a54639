/**
 * One entry as a page shows it: the published version or the working one (for those who may
 * see it), its history of published versions, and which entries were written up from a thread.
 */
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import type { PracticeVersionStatus, Row } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import { DomainError } from '../errors.ts';
import { decision, loadGroupAccess } from '../policy/group.access.ts';
import { mayReviewScope } from '../policy/practice.policy.ts';
import { practicePath } from './practice.schemas.ts';
import { threadPath } from '../discussions/thread-paths.ts';
import { loadEntries, loadEntry } from '../policy/practice.access.ts';
import { LIBRARY_GROUP_SLUG } from './practice-discussion.ts';
import { topicMap } from './practice-list.service.ts';

export interface EntryView {
	id: number;
	path: string;
	status: 'draft' | 'in_review' | 'returned' | 'published' | 'archived';
	showing: 'published' | 'working';
	version: Pick<
		Row<'practiceVersions'>,
		'title' | 'summary' | 'partners' | 'targetGroup' | 'reviewComment' | 'reviewedAt' | 'status'
	> & {
		sections: Array<{ name: string; html: string }>;
		effectiveness: string | null;
		stage: string | null;
		scale: string | null;
		region: string | null;
		organisation: string | null;
		startDate: string | null;
		endDate: string | null;
		links: string[];
		topics: string[];
		contact: { id: string; name: string; organisation: string | null } | null;
		reviewerName: string | null;
	};
	/** The raw fields of the working version, for the edit form. */
	form?: Record<string, string> & { topics: string };
	scope: { groupSlug: string; groupName: string } | null;
	authors: Array<{ id: string; name: string; author: boolean }>;
	archived: { reason: string | null; at: Date } | null;
	publishedAt: Date | null;
	updatedAt: Date | null;
	hasWorking: boolean;
	workingStatus: PracticeVersionStatus | null;
	source: { title: string; path: string } | null;
	discussion: {
		threadId: number;
		groupSlug: string;
		path: string;
		canRead: boolean;
		canReply: boolean;
		library: boolean;
	} | null;
	may: Record<string, boolean>;
}

/** Where an entry stands, as its authors and readers see it. */
export function entryStatus(
	archivedAt: Date | null,
	publishedVersionId: number | null,
	workingStatus: PracticeVersionStatus | null
): EntryView['status'] {
	if (archivedAt) return 'archived';
	if (publishedVersionId) return 'published';
	return workingStatus === 'in_review' || workingStatus === 'returned' ? workingStatus : 'draft';
}

const SECTION_LABELS = {
	aim: 'Aim or problem',
	done: 'What was done',
	outcome: 'Intended outcome',
	results: 'Results and evidence',
	lessons: 'Lessons and costs'
} as const;

export async function getEntry(
	ctx: AppContext,
	user: SessionUser,
	id: number,
	options: { working?: boolean } = {}
): Promise<EntryView> {
	const loaded = await loadEntry(ctx, ctx.db, user, id, options.working ? 'read_working' : 'read');
	const { entry, may } = loaded;
	const working = options.working || entry.publishedVersionId === null;
	if (working && !may.read_working) throw new DomainError('not_found', 'Page not found');
	const versionId = working ? entry.workingVersionId! : entry.publishedVersionId!;
	const v = await ctx.db
		.selectFrom('practiceVersions as v')
		.leftJoin('organisations as o', 'o.id', 'v.leadOrganisationId')
		.leftJoin('users as c', 'c.id', 'v.contactId')
		.leftJoin('organisations as co', 'co.id', 'c.organisationId')
		.leftJoin('users as r', 'r.id', 'v.reviewedBy')
		.selectAll('v')
		.select([
			sql<string | null>`v.start_date::text`.as('start'),
			sql<string | null>`v.end_date::text`.as('end'),
			'o.name as organisation',
			'c.id as contactId',
			'c.displayName as contactName',
			'co.name as contactOrganisation',
			'r.displayName as reviewerName'
		])
		.where('v.id', '=', versionId)
		.executeTakeFirstOrThrow();
	const topicNames = await topicMap(ctx);
	const authors = await ctx.db
		.selectFrom('users')
		.select(['id', 'displayName'])
		.where((eb) =>
			eb.or([
				eb('id', '=', entry.authorId),
				eb('id', 'in', eb.selectFrom('practiceCoauthors').select('userId').where('practiceId', '=', id))
			])
		)
		.execute();
	const status = entryStatus(entry.archivedAt, entry.publishedVersionId, loaded.workingStatus);

	// "Discussed in" shows only to those who may read that thread; so does the discussion.
	let source: EntryView['source'] = null;
	if (entry.sourceThreadId) source = await visibleThread(ctx, user, entry.sourceThreadId);
	let discussion: EntryView['discussion'] = null;
	if (entry.discussionThreadId) {
		const thread = await ctx.db
			.selectFrom('threads')
			.innerJoin('groups', 'groups.id', 'threads.groupId')
			.select(['threads.id', 'threads.title', 'threads.groupId', 'groups.slug'])
			.where('threads.id', '=', entry.discussionThreadId)
			.executeTakeFirst();
		if (thread) {
			const access = await loadGroupAccess(ctx.db, user, { id: thread.groupId }, ctx.now());
			const canRead = !!access && decision(access, 'read_threads').ok;
			// A reader who may not read it learns only of the open library's discussion (which
			// they can join), never where a thread moved into another group now lives.
			if (canRead || thread.slug === LIBRARY_GROUP_SLUG) {
				discussion = {
					threadId: thread.id,
					groupSlug: thread.slug,
					path: threadPath(thread.slug, thread),
					canRead,
					canReply: !!access && decision(access, 'reply').ok,
					library: thread.slug === LIBRARY_GROUP_SLUG
				};
			}
		}
	}
	const topics = v.topicIds.map((t) => topicNames.get(t)).filter((n): n is string => !!n);
	return {
		id,
		path: practicePath({ id, title: v.title }),
		status,
		showing: working ? 'working' : 'published',
		version: {
			title: v.title,
			summary: v.summary,
			sections: (Object.keys(SECTION_LABELS) as Array<keyof typeof SECTION_LABELS>)
				.map((name) => ({ name: SECTION_LABELS[name], html: v[`${name}Html`] }))
				.filter((s) => s.html),
			effectiveness: v.effectiveness,
			stage: v.stage,
			scale: v.scale,
			region: v.region,
			organisation: v.organisation,
			partners: v.partners,
			targetGroup: v.targetGroup,
			startDate: v.start,
			endDate: v.end,
			links: v.links ? v.links.split('\n') : [],
			topics,
			contact: v.contactId
				? { id: v.contactId, name: v.contactName!, organisation: v.contactOrganisation }
				: null,
			reviewComment: v.reviewComment,
			reviewerName: v.reviewerName,
			reviewedAt: v.reviewedAt,
			status: v.status
		},
		form: working
			? {
					title: v.title,
					summary: v.summary,
					aim: v.aim,
					done: v.done,
					outcome: v.outcome,
					results: v.results,
					lessons: v.lessons,
					effectiveness: v.effectiveness ?? '',
					stage: v.stage ?? '',
					scale: v.scale ?? '',
					region: v.region ?? '',
					leadOrganisation: v.leadOrganisationId ? String(v.leadOrganisationId) : '',
					partners: v.partners,
					targetGroup: v.targetGroup,
					startDate: v.start ?? '',
					endDate: v.end ?? '',
					contact: v.contactName ?? '',
					contactId: v.contactId ?? '',
					links: v.links,
					topics: v.topicIds.join(',')
				}
			: undefined,
		scope: loaded.access
			? { groupSlug: loaded.access.group.slug, groupName: loaded.access.group.name }
			: null,
		authors: authors
			.map((a) => ({ id: a.id, name: a.displayName, author: a.id === entry.authorId }))
			.sort((a, b) => Number(b.author) - Number(a.author)),
		archived: entry.archivedAt ? { reason: entry.archivedReason, at: entry.archivedAt } : null,
		publishedAt: entry.firstPublishedAt,
		updatedAt: entry.lastPublishedAt,
		hasWorking: entry.workingVersionId !== null,
		workingStatus: loaded.workingStatus,
		source,
		discussion,
		may
	};
}

/** A thread's title and address, if this viewer may read it. */
async function visibleThread(ctx: AppContext, user: SessionUser, threadId: number) {
	const thread = await ctx.db
		.selectFrom('threads')
		.innerJoin('groups', 'groups.id', 'threads.groupId')
		.select(['threads.id', 'threads.title', 'threads.groupId', 'groups.slug'])
		.where('threads.id', '=', threadId)
		.executeTakeFirst();
	if (!thread) return null;
	const access = await loadGroupAccess(ctx.db, user, { id: thread.groupId }, ctx.now());
	if (!access || !decision(access, 'read_threads').ok) return null;
	return { title: thread.title, path: threadPath(thread.slug, thread) };
}

/** Entries written up from a thread that this viewer may read ("Written up as practice"). */
export async function practiceFromThread(ctx: AppContext, user: SessionUser, threadId: number) {
	const rows = await ctx.db
		.selectFrom('practices as p')
		.leftJoin('practiceVersions as pv', 'pv.id', 'p.publishedVersionId')
		.leftJoin('practiceVersions as wv', 'wv.id', 'p.workingVersionId')
		.select(['p.id', 'pv.title as publishedTitle', 'wv.title as workingTitle'])
		.where('p.sourceThreadId', '=', threadId)
		.orderBy('p.id')
		.limit(10)
		.execute();
	const loaded = await loadEntries(
		ctx,
		ctx.db,
		user,
		rows.map((r) => r.id)
	);
	const out: Array<{ title: string; path: string; status: string }> = [];
	for (const row of rows) {
		const entry = loaded.get(row.id);
		// As the entry's page would show it: published, or the work itself to those who may see it.
		const published = entry?.entry.publishedVersionId != null;
		if (!entry?.may.read || (!published && !entry.may.read_working)) continue;
		const title = (published ? row.publishedTitle : row.workingTitle) ?? '';
		out.push({
			title,
			path: practicePath({ id: row.id, title }),
			status: entryStatus(entry.entry.archivedAt, entry.entry.publishedVersionId, entry.workingStatus)
		});
	}
	return out;
}

/** Published versions, newest first, with who reviewed each; returns too for authors and reviewers. */
export async function entryHistory(ctx: AppContext, user: SessionUser, id: number) {
	const loaded = await loadEntry(ctx, ctx.db, user, id, 'read');
	const writerOrReviewer =
		loaded.entry.authorId === user.id ||
		loaded.facts.coauthor ||
		mayReviewScope(loaded.actor, loaded.facts.scope).ok;
	const rows = await ctx.db
		.selectFrom('practiceReviews as r')
		.innerJoin('practiceVersions as v', 'v.id', 'r.versionId')
		.leftJoin('users as u', 'u.id', 'r.reviewerId')
		.leftJoin('users as e', 'e.id', 'v.editedBy')
		.select([
			'r.id',
			'r.decision',
			'r.comment',
			'r.decidedAt',
			'v.title',
			'v.id as versionId',
			'u.displayName as reviewerName',
			'e.displayName as editorName'
		])
		.where('r.practiceId', '=', id)
		.$if(!writerOrReviewer, (qb) => qb.where('r.decision', '=', 'published'))
		.orderBy('r.id', 'desc')
		.execute();
	const title = rows.find((r) => r.decision === 'published')?.title ?? rows[0]?.title ?? '';
	return {
		title,
		path: practicePath({ id, title }),
		rows: rows.map((r) => ({ ...r, current: r.versionId === loaded.entry.publishedVersionId }))
	};
}
