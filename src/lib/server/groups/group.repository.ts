/**
 * Loading a group with the viewer's standing in it, for the policy to decide on.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, GroupAudience, GroupVisibility } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import { DomainError } from '../errors.ts';
import {
	decide,
	type Decision,
	type GroupAction,
	type PolicyActor,
	type Standing
} from '../policy/group.policy.ts';

export interface GroupRow {
	id: number;
	slug: string;
	name: string;
	description: string;
	descriptionHtml: string;
	visibility: GroupVisibility;
	audience: GroupAudience;
	archivedAt: Date | null;
	memberCount: number;
	lastActivityAt: Date;
	createdAt: Date;
}

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
	'groups.createdAt'
] as const;

/** The group and the viewer's standing in it, in one query. */
export async function loadGroupAccess(
	db: Kysely<Database>,
	user: SessionUser | null,
	where: { slug: string } | { id: number },
	now: Date
): Promise<GroupAccess | undefined> {
	const userId = user?.id ?? '00000000-0000-0000-0000-000000000000';
	const email = user?.email ?? '';
	let query = db
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
	query =
		'slug' in where ? query.where('groups.slug', '=', where.slug) : query.where('groups.id', '=', where.id);
	const row = await query.executeTakeFirst();
	if (!row) return undefined;
	const { role, banned, pendingRequest, invited, owners, ...group } = row;
	return {
		group,
		actor: policyActor(user),
		standing: {
			role: role ?? null,
			banned: Boolean(banned),
			pendingRequest: Boolean(pendingRequest),
			invited: Boolean(invited) && email !== '',
			owners: Number(owners ?? 0)
		}
	};
}

export function decision(access: GroupAccess, action: GroupAction): Decision {
	return decide(
		access.actor,
		action,
		{ ...access.group, archived: access.group.archivedAt !== null },
		access.standing
	);
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
