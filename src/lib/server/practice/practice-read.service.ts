/**
 * Reading the library: the filtered list with counts, one entry laid out for reading,
 * an author's own entries, the review queue, an entry's history, and the entries written
 * up from a thread. Every list's SQL admits exactly the entries `decidePractice` lets the
 * viewer read (a test compares the two).
 */
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database, PracticeVersionStatus } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import { DomainError } from '../errors.ts';
import { decision, loadGroupAccess, policyActor } from '../policy/group.access.ts';
import { threadPath } from '../discussions/discussion.schemas.ts';
import { decidePractice, mayReviewScope } from '../policy/practice.policy.ts';
import { LIBRARY_GROUP_SLUG, loadEntry, practiceActor, scopeOf } from './practice.service.ts';
import { EFFECTIVENESS, REGIONS, SCALES, STAGES, practicePath } from './practice.schemas.ts';

type Q = SelectQueryBuilder<
	Database & { v: Database['practiceVersions']; p: Database['practices'] },
	'p' | 'v',
	object
>;

/** The entries this viewer may read once published: site-wide ones, and their groups' ones. */
function readable(eb: ExpressionBuilder<Database & { p: Database['practices'] }, 'p'>, user: SessionUser) {
	// Never anything for an account that is suspended or unconfirmed.
	if (user.status !== 'active' || !user.emailVerified) return sql<boolean>`false`;
	const siteReader = user.isAdmin || user.kind === 'police' || user.kind === 'partner';
	return eb.or([
		eb.and([eb('p.groupId', 'is', null), sql<boolean>`${siteReader}`]),
		eb.and([
			eb('p.groupId', 'is not', null),
			user.isAdmin
				? sql<boolean>`true`
				: eb(
						'p.groupId',
						'in',
						eb
							.selectFrom('groupMembers')
							.select('groupMembers.groupId')
							.where('groupMembers.userId', '=', user.id)
					)
		])
	]);
}

export const FACETS = ['effectiveness', 'stage', 'topic', 'organisation', 'region', 'scale'] as const;
export type Facet = (typeof FACETS)[number];

export interface PracticeFilters {
	q?: string;
	effectiveness?: string;
	stage?: string;
	topic?: number;
	organisation?: number;
	region?: string;
	scale?: string;
	sort: 'newest' | 'updated';
	archived: boolean;
}

function applyFilters(query: Q, f: PracticeFilters, except?: Facet): Q {
	let q = query;
	if (f.q) {
		const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		q = q.where((eb) => eb.or([eb('v.title', 'ilike', like), eb('v.summary', 'ilike', like)]));
	}
	if (f.effectiveness && except !== 'effectiveness')
		q = q.where('v.effectiveness', '=', f.effectiveness as never);
	if (f.stage && except !== 'stage') q = q.where('v.stage', '=', f.stage as never);
	if (f.region && except !== 'region') q = q.where('v.region', '=', f.region);
	if (f.scale && except !== 'scale') q = q.where('v.scale', '=', f.scale as never);
	if (f.organisation && except !== 'organisation') q = q.where('v.leadOrganisationId', '=', f.organisation);
	if (f.topic && except !== 'topic') q = q.where(sql<boolean>`v.topic_ids @> array[${f.topic}]::integer[]`);
	if (!f.archived) q = q.where('p.archivedAt', 'is', null);
	return q;
}

function base(ctx: AppContext, user: SessionUser): Q {
	return ctx.db
		.selectFrom('practices as p')
		.innerJoin('practiceVersions as v', 'v.id', 'p.publishedVersionId')
		.where((eb) => readable(eb, user)) as unknown as Q;
}

export interface PracticeListItem {
	id: number;
	path: string;
	title: string;
	summary: string;
	effectiveness: string | null;
	stage: string | null;
	organisation: string | null;
	topics: string[];
	groupName: string | null;
	archived: boolean;
	publishedAt: Date;
	updatedAt: Date;
}

export type FacetCounts = Record<Facet, Array<{ value: string; label: string; count: number }>>;

const PAGE = 20;

export async function listPractice(
	ctx: AppContext,
	user: SessionUser,
	filters: PracticeFilters,
	after?: number
): Promise<{ items: PracticeListItem[]; next?: number; counts: FacetCounts; total: number }> {
	const sortColumn = filters.sort === 'updated' ? 'lastPublishedAt' : 'firstPublishedAt';
	let query = applyFilters(base(ctx, user), filters);
	if (after) {
		// Only an entry this reader may see can be the cursor: any other gives an empty page, as
		// a missing one does, so cursors say nothing about entries outside the reader's reach.
		const readableCursor = await ctx.db
			.selectFrom('practices as p')
			.select('p.id')
			.where('p.id', '=', after)
			.where((eb) => readable(eb, user))
			.executeTakeFirst();
		if (!readableCursor) query = query.where(sql<boolean>`false`);
		// Compare with the cursor row's own stored values (no JavaScript date rounding).
		const column = sql.raw(sortColumn === 'lastPublishedAt' ? 'last_published_at' : 'first_published_at');
		query = query.where(
			sql<boolean>`(p.${column}, p.id) < (select c.${column}, c.id from practices c where c.id = ${after})`
		);
	}
	const rows = await query
		.leftJoin('organisations as o', 'o.id', 'v.leadOrganisationId')
		.leftJoin('groups as g', 'g.id', 'p.groupId')
		.select([
			'p.id',
			'v.title',
			'v.summary',
			'v.effectiveness',
			'v.stage',
			'v.topicIds',
			'o.name as organisation',
			'g.name as groupName',
			'p.archivedAt',
			'p.firstPublishedAt',
			'p.lastPublishedAt'
		])
		.orderBy(`p.${sortColumn}`, 'desc')
		.orderBy('p.id', 'desc')
		.limit(PAGE + 1)
		.execute();
	const topicNames = await topicMap(ctx);
	const page = rows.slice(0, PAGE);
	const items = page.map((r) => ({
		id: r.id,
		path: practicePath(r),
		title: r.title,
		summary: r.summary,
		effectiveness: r.effectiveness,
		stage: r.stage,
		organisation: r.organisation,
		topics: r.topicIds.map((t) => topicNames.get(t)).filter((n): n is string => !!n),
		groupName: r.groupName,
		archived: r.archivedAt !== null,
		publishedAt: r.firstPublishedAt!,
		updatedAt: r.lastPublishedAt!
	}));
	const counts = await facetCounts(ctx, user, filters, topicNames);
	const totalRow = await applyFilters(base(ctx, user), filters)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirst();
	return {
		items,
		next: rows.length > PAGE ? page[page.length - 1]!.id : undefined,
		counts,
		total: Number(totalRow?.n ?? 0)
	};
}

/** The newest published entries this viewer may read, for the home page (no filters or counts). */
export async function recentPractice(
	ctx: AppContext,
	user: SessionUser,
	limit = 5
): Promise<Array<{ path: string; title: string; groupName: string | null; publishedAt: Date }>> {
	const rows = await base(ctx, user)
		.leftJoin('groups as g', 'g.id', 'p.groupId')
		.select(['p.id', 'v.title', 'g.name as groupName', 'p.firstPublishedAt'])
		.where('p.archivedAt', 'is', null)
		.orderBy('p.firstPublishedAt', 'desc')
		.orderBy('p.id', 'desc')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		path: practicePath(r),
		title: r.title,
		groupName: r.groupName,
		publishedAt: r.firstPublishedAt!
	}));
}

async function topicMap(ctx: AppContext): Promise<Map<number, string>> {
	const rows = await ctx.db.selectFrom('practiceTopics').select(['id', 'name']).execute();
	return new Map(rows.map((r) => [r.id, r.name]));
}

/** For each filter, how many entries each value would give with the other filters kept. */
async function facetCounts(
	ctx: AppContext,
	user: SessionUser,
	filters: PracticeFilters,
	topicNames: Map<number, string>
): Promise<FacetCounts> {
	const scalar = async (facet: Facet, column: 'v.effectiveness' | 'v.stage' | 'v.region' | 'v.scale') => {
		const rows = await applyFilters(base(ctx, user), filters, facet)
			.select([`${column} as value`, (eb) => eb.fn.countAll<number>().as('n')])
			.where(column, 'is not', null)
			.groupBy(column)
			.execute();
		return new Map(rows.map((r) => [String(r.value), Number(r.n)]));
	};
	const [effectiveness, stage, region, scale] = await Promise.all([
		scalar('effectiveness', 'v.effectiveness'),
		scalar('stage', 'v.stage'),
		scalar('region', 'v.region'),
		scalar('scale', 'v.scale')
	]);
	const organisations = await applyFilters(base(ctx, user), filters, 'organisation')
		.innerJoin('organisations as o', 'o.id', 'v.leadOrganisationId')
		.select(['o.id', 'o.name', (eb) => eb.fn.countAll<number>().as('n')])
		.groupBy(['o.id', 'o.name'])
		.orderBy('o.name')
		.execute();
	const topics = await applyFilters(base(ctx, user), filters, 'topic')
		.select([sql<number>`unnest(v.topic_ids)`.as('value'), (eb) => eb.fn.countAll<number>().as('n')])
		.groupBy(sql`1`)
		.execute();
	const topicCounts = new Map(topics.map((t) => [Number(t.value), Number(t.n)]));
	const listed = (labels: Record<string, string>, counted: Map<string, number>) =>
		Object.entries(labels).map(([value, label]) => ({ value, label, count: counted.get(value) ?? 0 }));
	const liveTopics = await ctx.db
		.selectFrom('practiceTopics')
		.select(['id', 'name'])
		.where('retiredAt', 'is', null)
		.orderBy('name')
		.execute();
	void topicNames;
	return {
		effectiveness: listed(EFFECTIVENESS, effectiveness),
		stage: listed(STAGES, stage),
		region: listed(REGIONS, region),
		scale: listed(SCALES, scale),
		organisation: organisations.map((o) => ({ value: String(o.id), label: o.name, count: Number(o.n) })),
		topic: liveTopics.map((t) => ({ value: String(t.id), label: t.name, count: topicCounts.get(t.id) ?? 0 }))
	};
}

export interface EntryView {
	id: number;
	path: string;
	status: 'draft' | 'in_review' | 'returned' | 'published' | 'archived';
	showing: 'published' | 'working';
	version: {
		title: string;
		summary: string;
		sections: Array<{ name: string; html: string }>;
		effectiveness: string | null;
		stage: string | null;
		scale: string | null;
		region: string | null;
		organisation: string | null;
		partners: string;
		targetGroup: string;
		startDate: string | null;
		endDate: string | null;
		links: string[];
		topics: string[];
		contact: { id: string; name: string; organisation: string | null } | null;
		reviewComment: string | null;
		reviewerName: string | null;
		reviewedAt: Date | null;
		status: PracticeVersionStatus;
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
function entryStatus(
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
		.select('p.id')
		.where('p.sourceThreadId', '=', threadId)
		.orderBy('p.id')
		.limit(10)
		.execute();
	const out: Array<{ title: string; path: string; status: string }> = [];
	for (const row of rows) {
		try {
			const view = await getEntry(ctx, user, row.id);
			out.push({ title: view.version.title, path: view.path, status: view.status });
		} catch (err) {
			if (!(err instanceof DomainError)) throw err;
		}
	}
	return out;
}

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
	const out = [];
	for (const row of rows) {
		// The policy has the last word (reviewer role, two-factor, not one's own entry).
		const loaded = await loadEntry(ctx, ctx.db, user, row.id).catch(() => null);
		if (!loaded?.may.review) continue;
		out.push({
			id: row.id,
			path: `${practicePath(row)}/review`,
			title: row.title,
			authorName: row.authorName,
			groupName: row.groupName,
			submittedAt: row.submittedAt!,
			revision: row.publishedVersionId !== null
		});
	}
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

export { decidePractice, scopeOf, policyActor };
