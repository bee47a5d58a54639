/**
 * The members list, for members (and administrators): searchable, keyset-paged by name.
 */
import type { AppContext } from '../context.ts';
import type { SessionUser } from '../auth/session.ts';
import type { AccountKind, GroupRole } from '../db/schema.ts';
import { findGroup, type GroupAccess } from '../policy/group.access.ts';

export interface MemberRow {
	id: string;
	displayName: string;
	kind: AccountKind;
	organisationName: string | null;
	role: GroupRole;
	joinedAt: Date;
}

const PAGE = 50;

export async function listMembers(
	ctx: AppContext,
	user: SessionUser,
	slug: string,
	filter: { q?: string; after?: { name: string; id: string } } = {}
): Promise<{ access: GroupAccess; members: MemberRow[]; next?: { name: string; id: string } }> {
	const access = await findGroup(ctx.db, user, slug, 'view_members', ctx.now());
	let query = ctx.db
		.selectFrom('groupMembers')
		.innerJoin('users', 'users.id', 'groupMembers.userId')
		.leftJoin('organisations', 'organisations.id', 'users.organisationId')
		.select([
			'users.id',
			'users.displayName',
			'users.kind',
			'organisations.name as organisationName',
			'groupMembers.role',
			'groupMembers.joinedAt'
		])
		.where('groupMembers.groupId', '=', access.group.id);
	const term = filter.q?.trim().slice(0, 100);
	if (term) {
		const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		query = query.where((eb) =>
			eb.or([eb('users.displayName', 'ilike', like), eb('organisations.name', 'ilike', like)])
		);
	}
	if (filter.after) {
		const { name, id } = filter.after;
		query = query.where((eb) =>
			eb.or([
				eb('users.displayName', '>', name),
				eb.and([eb('users.displayName', '=', name), eb('users.id', '>', id)])
			])
		);
	}
	const rows = await query
		.orderBy('users.displayName')
		.orderBy('users.id')
		.limit(PAGE + 1)
		.execute();
	const members = rows.slice(0, PAGE);
	const last = members[members.length - 1];
	return {
		access,
		members,
		next: rows.length > PAGE && last ? { name: last.displayName, id: last.id } : undefined
	};
}
