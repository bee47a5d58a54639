/**
 * The door to the group policy: a group loaded with the viewer's standing in it (one query, to
 * which callers may join their own rows), and the decision the pure rules in group.policy.ts
 * make on it. Pages, services and the hub ask here (search and the API will), and nowhere
 * else, whether someone may see or do something in a group.
 */
import { type ExpressionBuilder, sql, type Kysely } from 'kysely';
import type { Database, GroupRole, Row } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import { DomainError } from '../errors.ts';
import { tablesOf } from '../db/subquery.ts';
import {
	decide,
	decideWriteUp,
	inAudience,
	mayActOnMember,
	type Decision,
	type GroupAction,
	type PolicyActor,
	type PolicyGroup,
	type Standing
} from './group.policy.ts';

/** The group's columns every access decision is loaded with. */
const GROUP_COLUMNS = [
	'groups.id',
	'groups.slug',
	'groups.name',
	'groups.description',
	'groups.descriptionHtml',
	'groups.visibility',
	'groups.audience',
	'groups.archivedAt',
	'groups.memberCount',
	'groups.lastActivityAt',
	'groups.createdAt',
	'groups.emailWithoutContent',
	'groups.membersMayUpload'
] as const;

export type GroupRow = Pick<
	Row<'groups'>,
	(typeof GROUP_COLUMNS)[number] extends `groups.${infer C}` ? C : never
>;

export interface GroupAccess {
	group: GroupRow;
	standing: Standing;
	actor: PolicyActor | null;
}

export function policyActor(user: SessionUser | null): PolicyActor | null {
	return user
		? {
				id: user.id,
				kind: user.kind,
				isAdmin: user.isAdmin,
				status: user.status,
				emailVerified: user.emailVerified,
				twoFactorEnabled: user.twoFactorEnabled
			}
		: null;
}

/** What the standing columns compare with (`viewerValues`). */
export interface ViewerValues {
	userId: string;
	email: string;
	now: Date;
}

/** The viewer as `groupAccessQuery` asks about them; no one is signed in as the nil id. */
export function viewerValues(user: SessionUser | null, now: Date): ViewerValues {
	return { userId: user?.id ?? '00000000-0000-0000-0000-000000000000', email: user?.email ?? '', now };
}

/**
 * The group and the viewer's standing in it, as one query to which callers may join and add
 * their own columns (a thread page reads its thread in the same round trip); read the result
 * with `groupAccessFrom`. The standing columns are `role`, `banned`, `pendingRequest`,
 * `invited` and `owners`, so a caller's own columns must not use those names, nor the group's.
 */
export function groupAccessQuery(db: Kysely<Database>, { userId, email, now }: ViewerValues) {
	return db
		.selectFrom('groups')
		.select(GROUP_COLUMNS)
		.select((eb) => [
			eb
				.selectFrom('groupMembers')
				.select('role')
				.whereRef('groupMembers.groupId', '=', 'groups.id')
				.where('groupMembers.userId', '=', userId)
				.as('role'),
			eb
				.exists(
					eb
						.selectFrom('groupBans')
						.select(sql`1`.as('x'))
						.whereRef('groupBans.groupId', '=', 'groups.id')
						.where('groupBans.userId', '=', userId)
				)
				.as('banned'),
			eb
				.exists(
					eb
						.selectFrom('membershipRequests')
						.select(sql`1`.as('x'))
						.whereRef('membershipRequests.groupId', '=', 'groups.id')
						.where('membershipRequests.userId', '=', userId)
						.where('membershipRequests.status', '=', 'pending')
				)
				.as('pendingRequest'),
			eb
				.exists(
					eb
						.selectFrom('invitations')
						.select(sql`1`.as('x'))
						.whereRef('invitations.groupId', '=', 'groups.id')
						.where('invitations.email', '=', email)
						.where('invitations.status', '=', 'pending')
						.where('invitations.expiresAt', '>', now)
				)
				.as('invited'),
			eb
				.selectFrom('groupMembers')
				.select((m) => m.fn.countAll<number>().as('n'))
				.whereRef('groupMembers.groupId', '=', 'groups.id')
				.where('groupMembers.role', '=', 'owner')
				.as('owners')
		]);
}

type GroupAccessRow = GroupRow & {
	role: GroupRole | null;
	banned: unknown;
	pendingRequest: unknown;
	invited: unknown;
	owners: number | string | null;
};

/** The group and standing from a row of `groupAccessQuery` (other columns are left out). */
export function groupAccessFrom(row: GroupAccessRow, user: SessionUser | null): GroupAccess {
	return {
		group: {
			id: row.id,
			slug: row.slug,
			name: row.name,
			description: row.description,
			descriptionHtml: row.descriptionHtml,
			visibility: row.visibility,
			audience: row.audience,
			archivedAt: row.archivedAt,
			memberCount: row.memberCount,
			lastActivityAt: row.lastActivityAt,
			createdAt: row.createdAt,
			emailWithoutContent: row.emailWithoutContent,
			membersMayUpload: row.membersMayUpload
		},
		actor: policyActor(user),
		standing: {
			role: row.role ?? null,
			banned: Boolean(row.banned),
			pendingRequest: Boolean(row.pendingRequest),
			invited: Boolean(row.invited) && user !== null && user.email !== '',
			owners: Number(row.owners ?? 0)
		}
	};
}

/** The group and the viewer's standing in it, in one query. */
export async function loadGroupAccess(
	db: Kysely<Database>,
	user: SessionUser | null,
	where: { slug: string } | { id: number },
	now: Date
): Promise<GroupAccess | undefined> {
	const query = groupAccessQuery(db, viewerValues(user, now));
	const row = await (
		'slug' in where ? query.where('groups.slug', '=', where.slug) : query.where('groups.id', '=', where.id)
	).executeTakeFirst();
	return row ? groupAccessFrom(row, user) : undefined;
}

/** The group as the pure policy sees it. */
export function policyGroup(access: GroupAccess): PolicyGroup {
	return { ...access.group, archived: access.group.archivedAt !== null };
}

/** Several groups and the viewer's standing in each, in one query, by id. */
export async function loadGroupAccesses(
	db: Kysely<Database>,
	user: SessionUser | null,
	ids: number[],
	now: Date
): Promise<Map<number, GroupAccess>> {
	if (ids.length === 0) return new Map();
	const rows = await groupAccessQuery(db, viewerValues(user, now)).where('groups.id', 'in', ids).execute();
	return new Map(rows.map((row) => [row.id, groupAccessFrom(row, user)]));
}

export function decision(access: GroupAccess, action: GroupAction): Decision {
	return decide(access.actor, action, policyGroup(access), access.standing);
}

/** May this viewer write up a thread (by `threadAuthorId`) in this group as practice? */
export function writeUpDecision(access: GroupAccess, threadAuthorId: string | null): Decision {
	return decideWriteUp(access.actor, policyGroup(access), access.standing, threadAuthorId);
}

/** May this moderator act on a person of this role in the group (see `mayActOnMember`)? */
export function mayActOn(access: GroupAccess, targetRole: GroupRole | null | undefined): boolean {
	return mayActOnMember(access.actor, access.standing, targetRole);
}

/** Throws the DomainError the policy's refusal stands for. */
export function authorize(access: GroupAccess | undefined, action: GroupAction): GroupAccess {
	if (!access) throw new DomainError('not_found', 'Page not found');
	const result = decision(access, action);
	if (result.ok) return access;
	throw new DomainError(result.code, result.message);
}

export async function findGroup(
	db: Kysely<Database>,
	user: SessionUser | null,
	slug: string,
	action: GroupAction,
	now: Date
): Promise<GroupAccess> {
	if (!/^[a-z0-9-]{1,60}$/.test(slug)) throw new DomainError('not_found', 'Page not found');
	return authorize(await loadGroupAccess(db, user, { slug }, now), action);
}

/** Active, with a confirmed address: the only accounts the policy lets see anything. */
function usable(user: SessionUser | null): user is SessionUser {
	return !!user && user.status === 'active' && user.emailVerified;
}

/**
 * The groups whose discussions this viewer may read (`read_threads`), as SQL: the ids of their
 * groups, or of every group for an administrator. Every list or search of threads, posts and
 * group entries filters by it: `eb('threads.groupId', 'in', readableGroupIds(eb, user))`. A
 * test checks it admits exactly the groups the policy allows.
 */
export function readableGroupIds<DB extends Database, TB extends keyof DB>(
	eb: ExpressionBuilder<DB, TB>,
	user: SessionUser | null
) {
	const e = tablesOf(eb);
	if (!usable(user))
		return e
			.selectFrom('groups')
			.select('groups.id')
			.where(sql<boolean>`false`);
	if (user.isAdmin) return e.selectFrom('groups').select('groups.id');
	return e
		.selectFrom('groupMembers')
		.select('groupMembers.groupId as id')
		.where('groupMembers.userId', '=', user.id);
}

/**
 * The accounts that may read a group's discussions (`read_threads`), as SQL: the ids of those
 * active, with a confirmed address, and a member of the group or an administrator. It chooses
 * who may be told about a thread or post (notifications): the reverse of `readableGroupIds`,
 * asked of many people about one group: `eb('users.id', 'in', readersOfGroup(eb, groupId))`.
 * A test checks it admits exactly whom the policy allows.
 */
export function readersOfGroup<DB extends Database, TB extends keyof DB>(
	eb: ExpressionBuilder<DB, TB>,
	groupId: number
) {
	const e = tablesOf(eb);
	return e
		.selectFrom('users')
		.select('users.id')
		.where('users.status', '=', 'active')
		.where('users.emailVerifiedAt', 'is not', null)
		.where((w) =>
			w.or([
				w('users.isAdmin', '=', true),
				w.exists(
					w
						.selectFrom('groupMembers')
						.select(sql`1`.as('one'))
						.whereRef('groupMembers.userId', '=', 'users.id')
						.where('groupMembers.groupId', '=', groupId)
				)
			])
		);
}

/**
 * The groups whose discussions this viewer may moderate (`moderate_posts`), as SQL: those not
 * archived where they are an owner or moderator, or every one for an administrator; none
 * without two-factor authentication. A test checks it admits exactly what the policy allows.
 */
export function moderatedGroupIds<DB extends Database, TB extends keyof DB>(
	eb: ExpressionBuilder<DB, TB>,
	user: SessionUser | null
) {
	const e = tablesOf(eb);
	const groups = e.selectFrom('groups').select('groups.id').where('groups.archivedAt', 'is', null);
	if (!usable(user) || !user.twoFactorEnabled) return groups.where(sql<boolean>`false`);
	if (user.isAdmin) return groups;
	return groups.where('groups.id', 'in', (m) =>
		m
			.selectFrom('groupMembers')
			.select('groupMembers.groupId')
			.where('groupMembers.userId', '=', user.id)
			.where('groupMembers.role', 'in', ['owner', 'moderator'])
	);
}

/**
 * The groups the directory lists to this viewer (`view_directory_entry`), as a condition on
 * `groups`: their own, and those not private whose audience admits them; every group for an
 * administrator. A test checks it lists exactly what the policy allows.
 */
export function listedInDirectory(eb: ExpressionBuilder<Database, 'groups'>, user: SessionUser | null) {
	if (!usable(user)) return sql<boolean>`false`;
	if (user.isAdmin) return sql<boolean>`true`;
	const audiences = (['police', 'police_partner'] as const).filter((a) => inAudience(user.kind, a));
	return eb.or([
		eb(
			'groups.id',
			'in',
			eb.selectFrom('groupMembers').select('groupMembers.groupId').where('groupMembers.userId', '=', user.id)
		),
		audiences.length > 0
			? eb.and([eb('groups.visibility', '!=', 'private'), eb('groups.audience', 'in', audiences)])
			: sql<boolean>`false`
	]);
}
