/**
 * The door to the practice policy: an entry loaded with what the pure rules in
 * practice.policy.ts need (its scope, the viewer's standing in its group, whether they wrote
 * it), and their decision; and, once, as SQL, which published entries a viewer may read, for
 * every list (the library, the home page, search next). A test checks the SQL admits exactly
 * what the policy allows.
 */
import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database, PracticeVersionStatus } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import { DomainError } from '../errors.ts';
import { type GroupAccess, loadGroupAccess, policyActor } from './group.access.ts';
import {
	decidePractice,
	type PracticeAction,
	type PracticeActor,
	type PracticeFacts,
	type PracticeScope
} from './practice.policy.ts';

export type Db = Kysely<Database> | Transaction<Database>;

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
	entry: {
		id: number;
		groupId: number | null;
		authorId: string;
		publishedVersionId: number | null;
		workingVersionId: number | null;
		sourceThreadId: number | null;
		discussionThreadId: number | null;
		firstPublishedAt: Date | null;
		lastPublishedAt: Date | null;
		archivedAt: Date | null;
		archivedReason: string | null;
	};
	access?: GroupAccess;
	actor: PracticeActor;
	facts: PracticeFacts;
	workingStatus: PracticeVersionStatus | null;
	/** What else this viewer may do, for the page to offer. */
	may: Record<PracticeAction, boolean>;
}

/** Loads an entry and decides; throws not_found (or the refusal) when `action` is not allowed. */
export async function loadEntry(
	ctx: AppContext,
	db: Db,
	user: SessionUser,
	id: number,
	action: PracticeAction = 'read',
	options: { forUpdate?: boolean } = {}
): Promise<LoadedEntry> {
	let query = db
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
		)
		.where('practices.id', '=', id);
	if (options.forUpdate) query = query.forUpdate('practices');
	const row = await query.executeTakeFirst();
	if (!row) throw new DomainError('not_found', 'Page not found');
	const { workingStatus, coauthor, ...entry } = row;
	const access = entry.groupId
		? await loadGroupAccess(db, user, { id: entry.groupId }, ctx.now())
		: undefined;
	if (entry.groupId && !access) throw new DomainError('not_found', 'Page not found');
	const actor = await practiceActor(db, user);
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
	const result = decidePractice(actor, action, facts);
	if (!result.ok) throw new DomainError(result.code, result.message);
	const may = Object.fromEntries(
		(['read', 'read_working', 'edit', 'submit', 'review', 'revise', 'archive', 'add_coauthor'] as const).map(
			(a) => [a, decidePractice(actor, a, facts).ok]
		)
	) as Record<PracticeAction, boolean>;
	return { entry, access, actor, facts, workingStatus: workingStatus ?? null, may };
}

/** The entries this viewer may read once published: site-wide ones, and their groups' ones. */
export function readable(
	eb: ExpressionBuilder<Database & { p: Database['practices'] }, 'p'>,
	user: SessionUser
) {
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
