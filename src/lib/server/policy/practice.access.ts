/**
 * The door to the practice policy: an entry loaded with what the pure rules in
 * practice.policy.ts need (its scope, the viewer's standing in its group, whether they wrote
 * it), and their decision; and, once, as SQL, which published entries a viewer may read, for
 * every list (the library, the home page, search next). A test checks the SQL admits exactly
 * what the policy allows.
 */
import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import type { Database, PracticeVersionStatus, Row } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import { DomainError } from '../errors.ts';
import {
	type GroupAccess,
	loadGroupAccess,
	loadGroupAccesses,
	policyActor,
	readableGroupIds
} from './group.access.ts';
import {
	decidePractice,
	PRACTICE_ACTIONS,
	type PracticeAction,
	type PracticeActor,
	type PracticeFacts,
	type PracticeScope
} from './practice.policy.ts';

export type Db = Kysely<Database> | Transaction<Database>;

/** What the door needs of the app: the time (invitations expire). */
interface Clock {
	now(): Date;
}

export async function practiceActor(db: Db, user: SessionUser): Promise<PracticeActor> {
	const row = await db
		.selectFrom('users')
		.select('practiceReviewer')
		.where('id', '=', user.id)
		.executeTakeFirst();
	return { ...policyActor(user)!, practiceReviewer: row?.practiceReviewer ?? false };
}

export function scopeOf(access: GroupAccess | undefined): PracticeScope {
	if (!access) return { kind: 'site' };
	return {
		kind: 'group',
		group: { ...access.group, archived: access.group.archivedAt !== null },
		standing: access.standing
	};
}

const ENTRY_COLUMNS = [
	'practices.id',
	'practices.groupId',
	'practices.authorId',
	'practices.publishedVersionId',
	'practices.workingVersionId',
	'practices.sourceThreadId',
	'practices.discussionThreadId',
	'practices.firstPublishedAt',
	'practices.lastPublishedAt',
	'practices.archivedAt',
	'practices.archivedReason'
] as const;

export interface LoadedEntry {
	entry: Pick<Row<'practices'>, (typeof ENTRY_COLUMNS)[number] extends `practices.${infer C}` ? C : never>;
	access?: GroupAccess;
	actor: PracticeActor;
	facts: PracticeFacts;
	workingStatus: PracticeVersionStatus | null;
	/** What else this viewer may do, for the page to offer. */
	may: Record<PracticeAction, boolean>;
}

/** Entries with what the policy needs about them for this viewer, in one query. */
function entryQuery(db: Db, user: SessionUser) {
	return db
		.selectFrom('practices')
		.leftJoin('practiceVersions as working', 'working.id', 'practices.workingVersionId')
		.select(ENTRY_COLUMNS)
		.select(['working.status as workingStatus'])
		.select((eb) =>
			eb
				.exists(
					eb
						.selectFrom('practiceCoauthors')
						.select(sql`1`.as('x'))
						.whereRef('practiceCoauthors.practiceId', '=', 'practices.id')
						.where('practiceCoauthors.userId', '=', user.id)
				)
				.as('coauthor')
		);
}

type EntryRow = LoadedEntry['entry'] & { workingStatus: PracticeVersionStatus | null; coauthor: unknown };

/** The policy's view of a loaded entry, and every decision on it for this actor. */
function decided(row: EntryRow, access: GroupAccess | undefined, actor: PracticeActor): LoadedEntry {
	const { workingStatus, coauthor, ...entry } = row;
	const working =
		workingStatus === 'draft' || workingStatus === 'in_review' || workingStatus === 'returned'
			? workingStatus
			: null;
	const facts: PracticeFacts = {
		scope: scopeOf(access),
		authorId: entry.authorId,
		coauthor: Boolean(coauthor),
		published: entry.publishedVersionId !== null,
		archived: entry.archivedAt !== null,
		working
	};
	const may = Object.fromEntries(
		PRACTICE_ACTIONS.map((a) => [a, decidePractice(actor, a, facts).ok])
	) as Record<PracticeAction, boolean>;
	return { entry, access, actor, facts, workingStatus: workingStatus ?? null, may };
}

/** Loads an entry and decides; throws not_found (or the refusal) when `action` is not allowed. */
export async function loadEntry(
	ctx: Clock,
	db: Db,
	user: SessionUser,
	id: number,
	action: PracticeAction = 'read',
	options: { forUpdate?: boolean } = {}
): Promise<LoadedEntry> {
	let query = entryQuery(db, user).where('practices.id', '=', id);
	if (options.forUpdate) query = query.forUpdate('practices');
	const row = await query.executeTakeFirst();
	if (!row) throw new DomainError('not_found', 'Page not found');
	const access = row.groupId ? await loadGroupAccess(db, user, { id: row.groupId }, ctx.now()) : undefined;
	if (row.groupId && !access) throw new DomainError('not_found', 'Page not found');
	const loaded = decided(row, access, await practiceActor(db, user));
	const result = decidePractice(loaded.actor, action, loaded.facts);
	if (!result.ok) throw new DomainError(result.code, result.message);
	return loaded;
}

/**
 * Many entries at once, for a list (a review queue, the entries written up from a thread):
 * three queries whatever their number. Each comes with every decision in `may`; the caller
 * keeps those it may show. Entries that no longer exist are left out.
 */
export async function loadEntries(
	ctx: Clock,
	db: Db,
	user: SessionUser,
	ids: number[]
): Promise<Map<number, LoadedEntry>> {
	if (ids.length === 0) return new Map();
	const rows = await entryQuery(db, user).where('practices.id', 'in', ids).execute();
	const groupIds = [...new Set(rows.map((r) => r.groupId).filter((g): g is number => g !== null))];
	const [accesses, actor] = await Promise.all([
		loadGroupAccesses(db, user, groupIds, ctx.now()),
		practiceActor(db, user)
	]);
	const out = new Map<number, LoadedEntry>();
	for (const row of rows) {
		const access = row.groupId ? accesses.get(row.groupId) : undefined;
		if (row.groupId && !access) continue;
		out.set(row.id, decided(row, access, actor));
	}
	return out;
}

/**
 * The entries whose scope this viewer may read (`mayReadScope`), as a condition on `p`: every
 * list of published entries (the library, the home page, search next) filters by it. A test
 * checks it admits exactly the entries the policy lets each viewer read.
 */
export function readable(
	eb: ExpressionBuilder<Database & { p: Database['practices'] }, 'p'>,
	user: SessionUser
) {
	// Never anything for an account that is suspended or unconfirmed.
	if (user.status !== 'active' || !user.emailVerified) return sql<boolean>`false`;
	const siteReader = user.isAdmin || user.kind === 'police' || user.kind === 'partner';
	return eb.or([
		eb.and([eb('p.groupId', 'is', null), sql<boolean>`${siteReader}`]),
		eb('p.groupId', 'in', readableGroupIds(eb, user))
	]);
}

/**
 * The accounts that may read an entry's scope (`mayReadScope`), as a condition on `users`: who
 * may be told about it by e-mail (and, next, by notification). A test checks it admits exactly
 * the accounts the policy allows.
 */
export function readsEntryScope(eb: ExpressionBuilder<Database, 'users'>, practiceId: number) {
	const entryGroup = eb
		.selectFrom('practices')
		.select('practices.groupId')
		.where('practices.id', '=', practiceId);
	return eb.and([
		eb('users.status', '=', 'active'),
		eb('users.emailVerifiedAt', 'is not', null),
		eb.or([
			eb('users.isAdmin', '=', true),
			eb.and([eb(entryGroup, 'is', null), eb('users.kind', 'in', ['police', 'partner'])]),
			eb(
				'users.id',
				'in',
				eb
					.selectFrom('groupMembers')
					.select('groupMembers.userId')
					.where('groupMembers.groupId', '=', entryGroup)
			)
		])
	]);
}
