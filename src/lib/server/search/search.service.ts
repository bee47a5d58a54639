/**
 * Search: posts, thread titles, good-practice entries, groups and people, in one ranked list.
 *
 * Each kind is a `SearchSource`: the rows it searches, already narrowed by the policy's own SQL
 * conditions (`readableGroupIds`, `postWordsReadableIn`, `readable`, `listedInDirectory`,
 * `profileVisible`), so the page, its counts and its paging hold exactly what the viewer may
 * read. The sources' rows share one shape and are put together with UNION ALL; only the page's
 * 20 rows get a snippet. Each kind (posts, threads, practice, library documents, groups, people) is one source in `SOURCES`.
 */
import { type Expression, type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import { listedInDirectory, policyActor, readableGroupIds } from '../policy/group.access.ts';
import { decideSiteLibrary } from '../policy/library.policy.ts';
import { postWordsReadableIn } from '../policy/post.access.ts';
import { readable } from '../policy/practice.access.ts';
import { profileVisible } from '../policy/person.access.ts';
import { threadPath, pageOf } from '../discussions/thread-paths.ts';
import { practicePath } from '../practice/practice.schemas.ts';
import { applyFilters as applyPracticeFilters } from '../practice/practice-list.service.ts';
import { HEADLINE_OPTIONS, snippetPieces, type SnippetPiece } from './snippet.ts';
import { MAX_PAGE, PER_PAGE, SEARCH_KINDS, type SearchKind, type SearchRequest } from './search.query.ts';

/** Counts stop here: "more than 1,000" is all a person needs, and counting further is slow. */
export const COUNT_CAP = 1000;

/**
 * Relevance ranks at most this many of the newest matching posts: ranking every match of a
 * common word (a third of a million posts) takes seconds. More words or a filter reach older
 * ones; one more than COUNT_CAP, so the count can still say "more than 1,000".
 */
export const POST_CANDIDATES = COUNT_CAP + 1;

/** A search that takes longer is stopped, and the page says so: it never holds a connection for long. */
export const SEARCH_TIMEOUT_MS = 3000;

/** Names are matched with typo tolerance: a word of the query close to a word of the name. */
const NAME_MATCH = 0.45;

/**
 * Runs a search's statements in one transaction on one connection, with the settings they need:
 * no JIT compilation and no parallel workers (on these short statements both cost more than they
 * save, and workers multiply under load), the name-match threshold
 * for pg_trgm's `<%` (which the trigram indexes answer), and a time limit. A search stopped by the
 * limit gives 'too_slow', never an error page.
 */
export async function searching<T>(
	db: Kysely<Database>,
	work: (trx: Kysely<Database>) => Promise<T>,
	timeoutMs = SEARCH_TIMEOUT_MS
): Promise<T | 'too_slow'> {
	try {
		return await db.transaction().execute(async (trx) => {
			await sql`select set_config('jit', 'off', true),
				set_config('max_parallel_workers_per_gather', '0', true),
				set_config('statement_timeout', ${String(timeoutMs)}, true),
				set_config('pg_trgm.word_similarity_threshold', ${String(NAME_MATCH)}, true),
				set_config('pg_trgm.similarity_threshold', '0.3', true)`.execute(trx);
			return work(trx);
		});
	} catch (error) {
		// 57014: query_canceled, which is what statement_timeout raises.
		if ((error as { code?: unknown })?.code === '57014') return 'too_slow';
		throw error;
	}
}

/** The columns every source gives, in this order. */
interface HitRow {
	kind: SearchKind;
	ref: string;
	rank: number;
	at: Date | null;
	title: string;
	groupName: string | null;
	groupSlug: string | null;
	threadId: number | string | null;
	threadTitle: string | null;
	postNumber: number | null;
	authorId: string | null;
	authorName: string | null;
	body: string;
	hidden: boolean;
}

type AnyQuery = SelectQueryBuilder<Database, keyof Database, object>;

interface SourceInput {
	db: Kysely<Database>;
	user: SessionUser;
	request: SearchRequest;
	/** The parsed words, `websearch_to_tsquery('english', q)`. */
	tsquery: Expression<unknown>;
	now: Date;
	/** The posts to rank, found once by `postCandidates` (the page and its counts share them). */
	postIds?: number[];
}

/**
 * One kind of thing search finds. `rows` returns its matching rows with the HitRow columns, or
 * null when the request's filters rule the whole kind out (a thread filter rules out groups).
 */
export interface SearchSource {
	kind: SearchKind;
	rows(input: SourceInput): AnyQuery | null;
}

/** A date filter in UK time, on a timestamp column written as SQL. */
function inDates(column: string, request: SearchRequest) {
	const day = sql`(${sql.raw(column)} at time zone 'Europe/London')::date`;
	const from = request.from ? sql`${day} >= ${request.from}::date` : sql`true`;
	const to = request.to ? sql`${day} <= ${request.to}::date` : sql`true`;
	return sql<boolean>`(${from} and ${to})`;
}

/** A little for recent things: up to 30% more for today, fading over about three months. */
function recency(column: string, now: Date) {
	return sql`(1 + 0.3 / (1 + greatest(extract(epoch from (${now}::timestamptz - ${sql.raw(column)})), 0) / 7776000))`;
}

/** Filters only good-practice entries have: when one is chosen, the other kinds are left out. */
const practiceOnly = (request: SearchRequest) => Object.keys(request.practice).length > 0;

/**
 * The newest matching posts this viewer may read, by id: an index walk that stops early for a
 * common word. Only these are ranked (POST_CANDIDATES); they are found once per search.
 */
function postCandidates({ db, user, request, tsquery }: SourceInput) {
	// posts.group_id is the post's copy of its thread's group (kept by triggers), so the words and
	// the groups are both answered by indexes.
	let matches = db
		.selectFrom('posts')
		.select('posts.id')
		.where(sql<boolean>`posts.search @@ ${tsquery}`)
		.where((eb) => eb('posts.groupId', 'in', readableGroupIds(eb, user)))
		.where((eb) => postWordsReadableIn(eb, user))
		.where(inDates('posts.created_at', request));
	if (request.group)
		matches = matches.where('posts.groupId', '=', (eb) =>
			eb.selectFrom('groups').select('groups.id').where('groups.slug', '=', request.group!)
		);
	if (request.thread) matches = matches.where('posts.threadId', '=', request.thread);
	if (request.author) matches = matches.where('posts.authorId', '=', request.author);
	return matches.orderBy('posts.id', 'desc').limit(POST_CANDIDATES);
}

const posts: SearchSource = {
	kind: 'post',
	rows(input) {
		const { db, request, tsquery, now } = input;
		if (practiceOnly(request)) return null;
		return db
			.selectFrom('posts')
			.innerJoin('threads', 'threads.id', 'posts.threadId')
			.innerJoin('groups', 'groups.id', 'threads.groupId')
			.leftJoin('users', 'users.id', 'posts.authorId')
			.select([
				sql<string>`'post'`.as('kind'),
				sql<string>`posts.id::text`.as('ref'),
				sql<number>`ts_rank_cd(posts.search, ${tsquery}, 32) * ${recency('posts.created_at', now)}
					+ case when threads.answer_post_id = posts.id then 0.05 else 0 end
					+ least(posts.helpful_count, 10) * 0.005`.as('rank'),
				'posts.createdAt as at',
				'threads.title as title',
				'groups.name as groupName',
				'groups.slug as groupSlug',
				'threads.id as threadId',
				'threads.title as threadTitle',
				'posts.number as postNumber',
				'posts.authorId as authorId',
				'users.displayName as authorName',
				'posts.source as body',
				sql<boolean>`posts.hidden_at is not null`.as('hidden')
			])
			.where(
				input.postIds
					? sql<boolean>`posts.id = any(${input.postIds}::bigint[])`
					: sql<boolean>`posts.id in (${postCandidates(input)})`
			) as unknown as AnyQuery;
	}
};

const threads: SearchSource = {
	kind: 'thread',
	rows({ db, user, request, tsquery, now }) {
		if (request.thread || practiceOnly(request)) return null;
		const dates = inDates('threads.created_at', request);
		let q = db
			.selectFrom('threads')
			.innerJoin('groups', 'groups.id', 'threads.groupId')
			.leftJoin('users', 'users.id', 'threads.authorId')
			.select([
				sql<string>`'thread'`.as('kind'),
				sql<string>`threads.id::text`.as('ref'),
				sql<number>`ts_rank_cd(threads.search, ${tsquery}, 32) * ${recency('threads.last_post_at', now)}`.as(
					'rank'
				),
				'threads.createdAt as at',
				'threads.title as title',
				'groups.name as groupName',
				'groups.slug as groupSlug',
				'threads.id as threadId',
				'threads.title as threadTitle',
				sql<number | null>`null::integer`.as('postNumber'),
				'threads.authorId as authorId',
				'users.displayName as authorName',
				'threads.title as body',
				sql<boolean>`false`.as('hidden')
			])
			.where(sql<boolean>`threads.search @@ ${tsquery}`)
			.where((eb) => eb('threads.groupId', 'in', readableGroupIds(eb, user)))
			.where(dates);
		if (request.group) q = q.where('groups.slug', '=', request.group);
		if (request.author) q = q.where('threads.authorId', '=', request.author);
		return q as unknown as AnyQuery;
	}
};

const practice: SearchSource = {
	kind: 'practice',
	rows({ db, user, request, tsquery, now }) {
		if (request.thread) return null;
		const dates = inDates('p.first_published_at', request);
		let q = db
			.selectFrom('practices as p')
			.innerJoin('practiceVersions as v', 'v.id', 'p.publishedVersionId')
			.leftJoin('groups', 'groups.id', 'p.groupId')
			.leftJoin('users', 'users.id', 'p.authorId')
			.select([
				sql<string>`'practice'`.as('kind'),
				sql<string>`p.id::text`.as('ref'),
				sql<number>`ts_rank_cd(v.search, ${tsquery}, 32) * ${recency('p.last_published_at', now)}`.as('rank'),
				'p.firstPublishedAt as at',
				'v.title as title',
				'groups.name as groupName',
				'groups.slug as groupSlug',
				sql<number | null>`null::bigint`.as('threadId'),
				sql<string | null>`null::text`.as('threadTitle'),
				sql<number | null>`null::integer`.as('postNumber'),
				'p.authorId as authorId',
				'users.displayName as authorName',
				sql<string>`concat_ws(' ', v.summary, v.aim, v.done, v.outcome, v.results, v.lessons)`.as('body'),
				sql<boolean>`false`.as('hidden')
			])
			.where(sql<boolean>`v.search @@ ${tsquery}`)
			.where((eb) => readable(eb, user))
			.where('p.archivedAt', 'is', null)
			.where(dates);
		if (request.group) q = q.where('groups.slug', '=', request.group);
		if (request.author) q = q.where('p.authorId', '=', request.author);
		// The library's own filters (does it work, topic, region…), as the library applies them.
		q = applyPracticeFilters(q, { ...request.practice, sort: 'newest', archived: false });
		return q as unknown as AnyQuery;
	}
};

const groups: SearchSource = {
	kind: 'group',
	rows({ db, user, request, tsquery }) {
		if (
			request.thread ||
			request.group ||
			request.author ||
			request.from ||
			request.to ||
			practiceOnly(request)
		)
			return null;
		return db
			.selectFrom('groups')
			.select([
				sql<string>`'group'`.as('kind'),
				sql<string>`groups.id::text`.as('ref'),
				sql<number>`greatest(ts_rank_cd(groups.search, ${tsquery}, 32), word_similarity(${request.q}, groups.name) * 0.5)`.as(
					'rank'
				),
				sql<Date | null>`null::timestamptz`.as('at'),
				'groups.name as title',
				'groups.name as groupName',
				'groups.slug as groupSlug',
				sql<number | null>`null::bigint`.as('threadId'),
				sql<string | null>`null::text`.as('threadTitle'),
				sql<number | null>`null::integer`.as('postNumber'),
				sql<string | null>`null::uuid`.as('authorId'),
				sql<string | null>`null::text`.as('authorName'),
				'groups.description as body',
				sql<boolean>`false`.as('hidden')
			])
			.where((eb) =>
				eb.or([sql<boolean>`groups.search @@ ${tsquery}`, sql<boolean>`${request.q} <% groups.name`])
			)
			.where((eb) => listedInDirectory(eb, user)) as unknown as AnyQuery;
	}
};

const people: SearchSource = {
	kind: 'person',
	rows({ db, request }) {
		if (
			request.thread ||
			request.group ||
			request.author ||
			request.from ||
			request.to ||
			practiceOnly(request)
		)
			return null;
		return (
			db
				.selectFrom('users')
				.leftJoin('organisations', 'organisations.id', 'users.organisationId')
				.select([
					sql<string>`'person'`.as('kind'),
					sql<string>`users.id::text`.as('ref'),
					sql<number>`greatest(word_similarity(${request.q}, users.display_name), word_similarity(${request.q}, coalesce(organisations.name, '')) * 0.8) * 0.5`.as(
						'rank'
					),
					sql<Date | null>`null::timestamptz`.as('at'),
					'users.displayName as title',
					sql<string | null>`null::text`.as('groupName'),
					sql<string | null>`null::text`.as('groupSlug'),
					sql<number | null>`null::bigint`.as('threadId'),
					sql<string | null>`null::text`.as('threadTitle'),
					sql<number | null>`null::integer`.as('postNumber'),
					sql<string | null>`null::uuid`.as('authorId'),
					sql<string | null>`null::text`.as('authorName'),
					sql<string>`concat_ws(', ', users.job_title, organisations.name)`.as('body'),
					sql<boolean>`false`.as('hidden')
				])
				// Each name test through its trigram index (`<%`, at NAME_MATCH), not row by row.
				.where((eb) =>
					eb.or([
						eb(
							'users.id',
							'in',
							eb
								.selectFrom('users as named')
								.select('named.id')
								.where(sql<boolean>`${request.q} <% named.display_name`)
						),
						eb(
							'users.organisationId',
							'in',
							eb
								.selectFrom('organisations as o')
								.select('o.id')
								.where(sql<boolean>`${request.q} <% o.name`)
						)
					])
				)
				.where((eb) => profileVisible(eb)) as unknown as AnyQuery
		);
	}
};

/**
 * Documents in the libraries this viewer may read: a group's library exactly when its
 * discussions (`read_library` is `read_threads`: `readableGroupIds`), the site library as its
 * policy says. Found by title, description and the words of the current version (extract.ts).
 */
const documents: SearchSource = {
	kind: 'document',
	rows({ db, user, request, tsquery, now }) {
		if (request.thread || practiceOnly(request)) return null;
		const siteLibrary = decideSiteLibrary(policyActor(user), false, 'read').ok;
		let q = db
			.selectFrom('documents')
			// Who may read it first, while the query knows only the documents' table.
			.where((eb) =>
				eb.or([
					eb('documents.groupId', 'in', readableGroupIds(eb, user)),
					...(siteLibrary ? [eb('documents.groupId', 'is', null)] : [])
				])
			)
			.innerJoin('documentVersions as v', (join) =>
				join.onRef('v.documentId', '=', 'documents.id').onRef('v.number', '=', 'documents.versionCount')
			)
			.leftJoin('groups', 'groups.id', 'documents.groupId')
			.leftJoin('users', 'users.id', 'documents.createdBy')
			.select([
				sql<string>`'document'`.as('kind'),
				sql<string>`documents.id::text`.as('ref'),
				sql<number>`ts_rank_cd(documents.search, ${tsquery}, 32) * ${recency('documents.updated_at', now)}`.as(
					'rank'
				),
				'documents.updatedAt as at',
				'documents.title as title',
				'groups.name as groupName',
				'groups.slug as groupSlug',
				sql<number | null>`null::bigint`.as('threadId'),
				sql<string | null>`null::text`.as('threadTitle'),
				sql<number | null>`null::integer`.as('postNumber'),
				'documents.createdBy as authorId',
				'users.displayName as authorName',
				sql<string>`concat_ws(' ', documents.description, left(v.text, 20000))`.as('body'),
				sql<boolean>`false`.as('hidden')
			])
			.where(sql<boolean>`documents.search @@ ${tsquery}`)
			.where('documents.deletedAt', 'is', null)
			.where(inDates('documents.updated_at', request));
		if (request.group) q = q.where('groups.slug', '=', request.group);
		if (request.author) q = q.where('documents.createdBy', '=', request.author);
		return q as unknown as AnyQuery;
	}
};

/** Every kind search finds. */
export const SOURCES: readonly SearchSource[] = [posts, threads, practice, documents, groups, people];

export interface SearchHit {
	kind: SearchKind;
	/** Where the hit opens: the post's permalink, the thread, the entry, the group, the profile. */
	href: string;
	title: string;
	/** The group (and thread) it lives in. */
	group: { name: string; href: string } | null;
	thread: { title: string; href: string } | null;
	postNumber: number | null;
	author: { name: string; href: string } | null;
	at: Date | null;
	snippet: SnippetPiece[];
	/** A hidden post, found by a moderator of its group. */
	hidden: boolean;
}

export interface SearchResult {
	hits: SearchHit[];
	/** Hits of each kind for the query and the other filters, up to COUNT_CAP + 1. */
	counts: Record<SearchKind, number>;
	/** Whether another page follows. */
	more: boolean;
	/** The query has no words a search can use (only "the", "and", punctuation…). */
	noWords: boolean;
	/** The search ran out of time (SEARCH_TIMEOUT_MS) and found nothing to show. */
	tooSlow: boolean;
}

function hitFrom(row: HitRow & { snippet: string | null }): SearchHit {
	const group =
		row.groupSlug && row.groupName ? { name: row.groupName, href: `/groups/${row.groupSlug}` } : null;
	const thread =
		row.threadId !== null && row.threadTitle !== null && row.groupSlug
			? {
					title: row.threadTitle,
					href: threadPath(row.groupSlug, { id: Number(row.threadId), title: row.threadTitle })
				}
			: null;
	const author =
		row.authorId && row.authorName ? { name: row.authorName, href: `/people/${row.authorId}` } : null;
	const base = {
		kind: row.kind,
		title: row.title,
		group,
		thread,
		postNumber: row.postNumber,
		author,
		at: row.at,
		snippet: snippetPieces(row.snippet),
		hidden: Boolean(row.hidden)
	};
	switch (row.kind) {
		case 'post':
			return {
				...base,
				href: `${thread!.href}?page=${pageOf(row.postNumber ?? 1)}#post-${row.ref}`
			};
		case 'thread':
			return { ...base, href: thread!.href, group, thread: null };
		case 'practice':
			return { ...base, href: practicePath({ id: Number(row.ref), title: row.title }) };
		case 'group':
			return { ...base, href: `/groups/${row.groupSlug}`, group: null };
		case 'person':
			return { ...base, href: `/people/${row.ref}` };
		case 'document': {
			const library = row.groupSlug ? `/groups/${row.groupSlug}/library` : '/library';
			return {
				...base,
				href: `${library}/${row.ref}`,
				group: { name: row.groupName ? `${row.groupName} library` : 'Site library', href: library }
			};
		}
	}
}

/** Best first (or newest first), then an order that never ties, so pages neither repeat nor skip. */
function order<Q extends SelectQueryBuilder<never, never, object>>(query: Q, sort: SearchRequest['sort']): Q {
	const byRank = sql`hits.rank desc`;
	const byDate = sql`hits.at desc nulls last`;
	return query
		.orderBy(sort === 'newest' ? byDate : byRank)
		.orderBy(sort === 'newest' ? byRank : byDate)
		.orderBy(sql`hits.kind`)
		.orderBy(sql`hits.ref`) as Q;
}

/**
 * The words as typed so far, for suggestions: each word as it is, the last also as the start of
 * a longer one ("exploit" finds "exploitation"). Only letters and digits reach `to_tsquery`, so
 * nothing typed can be read as its syntax.
 */
export function prefixQuery(typed: string): string | null {
	const words = typed.match(/[\p{L}\p{N}]+/gu)?.slice(0, 8) ?? [];
	if (words.length === 0) return null;
	return words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ');
}

export interface Suggestion {
	kind: SearchKind;
	title: string;
	href: string;
	/** The group it is in, for a thread or an entry. */
	where: string | null;
}

/** A few titles and names that start with what has been typed, for the search box (JavaScript only). */
export async function suggest(ctx: AppContext, user: SessionUser, typed: string): Promise<Suggestion[]> {
	const words = prefixQuery(typed);
	if (!words) return [];
	const request: SearchRequest = {
		q: typed.replace(/\s+/g, ' ').trim().slice(0, 100),
		kind: null,
		group: null,
		thread: null,
		author: null,
		from: null,
		to: null,
		sort: 'relevance',
		page: 1,
		practice: {}
	};
	const found = await searching(ctx.db, async (db) => {
		const input: SourceInput = {
			db,
			user,
			request,
			tsquery: sql`to_tsquery('english', ${words})`,
			now: ctx.now()
		};
		// Titles and names only: a post's words are for the results page, with their context.
		const shown = SOURCES.filter((source) => source.kind !== 'post')
			.map((source) => source.rows(input))
			.filter((rows): rows is AnyQuery => rows !== null);
		let union = shown[0]!;
		for (const rows of shown.slice(1)) union = union.unionAll(rows);
		return (await order(db.selectFrom(union.as('hits')).selectAll('hits'), 'relevance')
			.limit(6)
			.execute()) as unknown as HitRow[];
	});
	// Too slow to help while typing: no suggestions this time.
	if (found === 'too_slow') return [];
	return found.map((row) => {
		const hit = hitFrom({ ...row, snippet: null });
		return { kind: hit.kind, title: hit.title, href: hit.href, where: hit.group?.name ?? null };
	});
}

export async function search(
	ctx: AppContext,
	user: SessionUser,
	request: SearchRequest
): Promise<SearchResult> {
	const empty: SearchResult = {
		hits: [],
		counts: Object.fromEntries(SEARCH_KINDS.map((k) => [k, 0])) as Record<SearchKind, number>,
		more: false,
		noWords: false,
		tooSlow: false
	};
	if (!request.q) return empty;
	const result = await searching(ctx.db, (db) => run(db, ctx.now(), user, request, empty));
	return result === 'too_slow' ? { ...empty, tooSlow: true } : result;
}

async function run(
	db: Kysely<Database>,
	now: Date,
	user: SessionUser,
	request: SearchRequest,
	empty: SearchResult
): Promise<SearchResult> {
	const tsquery = sql`websearch_to_tsquery('english', ${request.q})`;
	// A query of only common words (or only punctuation) has nothing to look for.
	const { rows } = await sql<{ nodes: number }>`select numnode(${tsquery}) as nodes`.execute(db);
	const noWords = Number(rows[0]?.nodes ?? 0) === 0;
	const input: SourceInput = { db, user, request, tsquery, now };
	if (!noWords && !practiceOnly(request)) {
		const ids = await postCandidates(input).execute();
		input.postIds = ids.map((r) => Number(r.id));
	}
	const sources = SOURCES.map((source) => ({
		source,
		// Without words, only names can still match (a person's name can be a common word).
		rows: noWords && source.kind !== 'person' && source.kind !== 'group' ? null : source.rows(input)
	})).filter((s): s is { source: SearchSource; rows: AnyQuery } => s.rows !== null);

	const counts = { ...empty.counts };
	if (sources.length === 0) return { ...empty, noWords };
	// The posts' count is their candidates' (POST_CANDIDATES is one more than COUNT_CAP); the other
	// kinds are counted in one statement, each up to COUNT_CAP + 1.
	const counted = sources.filter(({ source }) => !(source.kind === 'post' && input.postIds));
	if (input.postIds && sources.some(({ source }) => source.kind === 'post'))
		counts.post = input.postIds.length;
	const countQueries = counted.map(({ source, rows }) =>
		db
			.selectFrom(
				rows
					.clearSelect()
					.select(sql`1`.as('x'))
					.limit(COUNT_CAP + 1)
					.as('capped')
			)
			.select([sql<string>`${source.kind}`.as('kind'), (eb) => eb.fn.countAll<number>().as('n')])
	);
	if (countQueries.length > 0) {
		let countUnion = countQueries[0]!;
		for (const query of countQueries.slice(1)) countUnion = countUnion.unionAll(query);
		for (const row of await countUnion.execute()) counts[row.kind as SearchKind] = Number(row.n);
	}

	const shown = sources.filter(({ source }) => !request.kind || source.kind === request.kind);
	if (shown.length === 0) return { ...empty, counts, noWords };
	let union = shown[0]!.rows;
	for (const { rows } of shown.slice(1)) union = union.unionAll(rows);
	const page = Math.min(request.page, MAX_PAGE);
	// The page's rows first, then a snippet for each of them only (ts_headline is the costly part).
	const pageRows = order(db.selectFrom(union.as('hits')).selectAll('hits'), request.sort)
		.limit(PER_PAGE + 1)
		.offset((page - 1) * PER_PAGE);
	const withSnippets = order(
		db
			.selectFrom(pageRows.as('hits'))
			.selectAll('hits')
			.select(
				sql<string | null>`ts_headline('english', hits.body, ${tsquery}, ${HEADLINE_OPTIONS})`.as('snippet')
			),
		request.sort
	);
	const hits = (await withSnippets.execute()) as unknown as Array<HitRow & { snippet: string | null }>;
	return {
		hits: hits.slice(0, PER_PAGE).map(hitFrom),
		counts,
		more: hits.length > PER_PAGE && page < MAX_PAGE,
		noWords,
		tooSlow: false
	};
}

/**
 * For a search that found nothing: the closest name or title the viewer may see (a thread, an
 * entry, a group or a person), by trigram similarity, to offer as "Did you mean …?". Each
 * candidate passes the same access condition as the search itself.
 */
export async function didYouMean(ctx: AppContext, user: SessionUser, q: string): Promise<string | null> {
	if (!q || q.length > 100) return null;
	// `%` is similarity at pg_trgm.similarity_threshold (0.3, set by `searching`): the trigram indexes answer it.
	const close = (column: string) => sql<boolean>`${sql.raw(column)} % ${q}`;
	const score = (column: string) => sql<number>`similarity(${sql.raw(column)}, ${q})`;
	const found = await searching(ctx.db, async (db) => {
		const threads = db
			.selectFrom('threads')
			.select([sql<string>`threads.title`.as('text'), score('threads.title').as('score')])
			.where(close('threads.title'))
			.where((eb) => eb('threads.groupId', 'in', readableGroupIds(eb, user)));
		const groups = db
			.selectFrom('groups')
			.select([sql<string>`groups.name`.as('text'), score('groups.name').as('score')])
			.where(close('groups.name'))
			.where((eb) => listedInDirectory(eb, user));
		const people = db
			.selectFrom('users')
			.select([sql<string>`users.display_name`.as('text'), score('users.display_name').as('score')])
			.where(close('users.display_name'))
			.where((eb) => profileVisible(eb));
		const entries = db
			.selectFrom('practices as p')
			.innerJoin('practiceVersions as v', 'v.id', 'p.publishedVersionId')
			.select([sql<string>`v.title`.as('text'), score('v.title').as('score')])
			.where(close('v.title'))
			.where('p.archivedAt', 'is', null)
			.where((eb) => readable(eb, user));
		const best = await db
			.selectFrom(threads.unionAll(groups).unionAll(people).unionAll(entries).as('candidates'))
			.select('candidates.text')
			.where(sql<boolean>`lower(candidates.text) <> lower(${q})`)
			.orderBy(sql`candidates.score desc`)
			.orderBy('candidates.text')
			.limit(1)
			.executeTakeFirst();
		return best?.text ?? null;
	});
	return found === 'too_slow' ? null : found;
}
