/**
 * The library's lists: published entries this viewer may read, filtered, with each filter's
 * counts, keyset-paged; and the newest few for the home page.
 */
import { type SelectQueryBuilder, sql } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import { EFFECTIVENESS, practicePath, REGIONS, SCALES, STAGES } from './practice.schemas.ts';
import { readable } from '../policy/practice.access.ts';

type Q = SelectQueryBuilder<
	Database & { v: Database['practiceVersions']; p: Database['practices'] },
	'p' | 'v',
	object
>;

export const FACETS = ['effectiveness', 'stage', 'topic', 'organisation', 'region', 'scale'] as const;

export type Facet = (typeof FACETS)[number];

export interface PracticeFilters {
	/** Title or summary contains (the library's own box). */
	q?: string;
	/** Full-text words, as search reads them (`websearch_to_tsquery`). */
	words?: string;
	effectiveness?: string;
	stage?: string;
	topic?: number;
	organisation?: number;
	region?: string;
	scale?: string;
	sort: 'newest' | 'updated';
	archived: boolean;
}

/** The library's filters on a query of `practices as p` joined to its `practiceVersions as v` (search uses them too). */
export function applyFilters<T extends Q>(query: T, f: PracticeFilters, except?: Facet): T {
	let q = query as Q;
	if (f.words) q = q.where(sql<boolean>`v.search @@ websearch_to_tsquery('english', ${f.words})`);
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
	return q as T;
}

function base(ctx: Pick<AppContext, 'db'>, user: SessionUser): Q {
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
	ctx: Pick<AppContext, 'db'>,
	user: SessionUser,
	limit = 5,
	/** Only entries first published after this (a digest's "since the last one"). */
	since?: Date
): Promise<Array<{ path: string; title: string; groupName: string | null; publishedAt: Date }>> {
	let query = base(ctx, user)
		.leftJoin('groups as g', 'g.id', 'p.groupId')
		.select(['p.id', 'v.title', 'g.name as groupName', 'p.firstPublishedAt'])
		.where('p.archivedAt', 'is', null);
	if (since) query = query.where('p.firstPublishedAt', '>', since);
	const rows = await query
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

export async function topicMap(ctx: AppContext): Promise<Map<number, string>> {
	const rows = await ctx.db.selectFrom('practiceTopics').select(['id', 'name']).execute();
	return new Map(rows.map((r) => [r.id, r.name]));
}

/** For each filter, how many entries each value would give with the other filters kept. */
export async function facetCounts(
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
