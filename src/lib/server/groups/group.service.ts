/**
 * Creating groups, the directory, a group's page, and its settings.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { DomainError, isUniqueViolation } from '../errors.ts';
import type { SessionUser } from '../auth/session.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { renderMarkdown } from '../markdown/markdown.ts';
import type { GroupAudience, GroupRole, GroupVisibility } from '../db/schema.ts';
import { inAudience, mayCreateGroup } from '../policy/group.policy.ts';
import type { RequestMeta } from '../request-meta.ts';
import { findGroup, listedInDirectory, policyActor, type GroupAccess } from '../policy/group.access.ts';
import { slugCandidates } from './group.schemas.ts';
import { inTransaction } from '../db/transaction.ts';

export interface GroupSettings {
	name: string;
	description: string;
	visibility: GroupVisibility;
	audience: GroupAudience;
	/** Settings only: a new group takes it from its visibility. */
	emailWithoutContent?: boolean;
	membersMayUpload?: boolean;
}

export function auditActor(user: SessionUser, access?: GroupAccess) {
	return { id: user.id, label: user.email, asAdministrator: user.isAdmin && !access?.standing.role };
}

export function groupTarget(group: { id: number; name: string }) {
	return { type: 'group', id: String(group.id), label: group.name };
}

/** Creates a group; its creator becomes its owner. Returns the slug. */
export async function createGroup(
	ctx: AppContext,
	user: SessionUser,
	input: GroupSettings,
	meta: RequestMeta
): Promise<string> {
	if (!mayCreateGroup(policyActor(user))) {
		throw new DomainError('forbidden', 'Only police accounts and administrators can create groups.');
	}
	const candidates = slugCandidates(input.name, () =>
		randomBytes(4).readUInt32BE(0).toString(36).slice(0, 6)
	);
	for (let attempt = 1; attempt <= 50; attempt++) {
		const slug = candidates.next().value as string;
		try {
			await inTransaction(ctx.db, async (trx) => {
				const now = ctx.now();
				const group = await trx
					.insertInto('groups')
					.values({
						slug,
						name: input.name,
						description: input.description,
						descriptionHtml: renderMarkdown(input.description),
						visibility: input.visibility,
						// Sensitive by default: a private group's e-mails say only that there is something new.
						emailWithoutContent: input.visibility === 'private',
						audience: input.audience,
						createdBy: user.id,
						createdAt: now,
						updatedAt: now,
						lastActivityAt: now,
						memberCount: 1
					})
					.returning(['id', 'name'])
					.executeTakeFirstOrThrow();
				await trx
					.insertInto('groupMembers')
					.values({ groupId: group.id, userId: user.id, role: 'owner', joinedAt: now })
					.execute();
				await appendAudit(trx, {
					actor: { id: user.id, label: user.email },
					action: 'group.created',
					target: groupTarget(group),
					details: { visibility: input.visibility, audience: input.audience },
					ipAddress: meta.ip
				});
			});
			return slug;
		} catch (err) {
			if (isUniqueViolation(err, 'groups_slug_key')) continue;
			throw err;
		}
	}
	// Fifty addresses taken in a row (random ones among them): something else is wrong.
	throw new DomainError('try_again', 'That did not save. Try again.', 'name');
}

export interface DirectoryEntry {
	slug: string;
	name: string;
	visibility: GroupVisibility;
	audience: GroupAudience;
	memberCount: number;
	lastActivityAt: Date;
	archived: boolean;
	role: GroupRole | null;
}

export interface DirectoryCursor {
	lastActivityAt: Date;
	id: number;
}

const PAGE = 25;

/**
 * Groups the viewer may see in the directory (the policy's view_directory_entry, as SQL):
 * open and restricted groups within the viewer's audience, and any group they belong to;
 * administrators see all. Newest activity first, keyset-paged.
 */
export async function listDirectory(
	ctx: AppContext,
	user: SessionUser,
	filter: { q?: string; mine?: boolean; after?: DirectoryCursor }
): Promise<{ groups: DirectoryEntry[]; next?: DirectoryCursor }> {
	// What this viewer may see, once: the page lists it and a cursor must name a row of it
	// (a cursor naming a group outside it, e.g. a private one, lists nothing, as a missing one does).
	let visible = ctx.db
		.selectFrom('groups')
		.leftJoin('groupMembers', (join) =>
			join.onRef('groupMembers.groupId', '=', 'groups.id').on('groupMembers.userId', '=', user.id)
		)
		.select([
			'groups.id',
			'groups.slug',
			'groups.name',
			'groups.visibility',
			'groups.audience',
			'groups.memberCount',
			'groups.lastActivityAt',
			'groups.archivedAt',
			'groupMembers.role'
		]);
	if (filter.mine) {
		visible = visible.where('groupMembers.role', 'is not', null);
	} else {
		visible = visible.where((eb) => listedInDirectory(eb, user));
	}
	const term = filter.q?.trim().slice(0, 100);
	if (term) {
		const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		visible = visible.where((eb) =>
			eb.or([eb('groups.name', 'ilike', like), eb('groups.description', 'ilike', like)])
		);
	}
	let query = ctx.db
		.with('visible', () => visible)
		.selectFrom('visible')
		.select([
			'id',
			'slug',
			'name',
			'visibility',
			'audience',
			'memberCount',
			'lastActivityAt',
			'archivedAt',
			'role'
		]);
	if (filter.after) {
		// Compare with the cursor row's own stored values: a JavaScript date has only
		// millisecond precision, PostgreSQL keeps microseconds.
		query = query.where(
			sql<boolean>`(visible.last_activity_at, visible.id) < (select c.last_activity_at, c.id from visible c where c.id = ${filter.after.id})`
		);
	}
	const rows = await query
		.orderBy('lastActivityAt', 'desc')
		.orderBy('id', 'desc')
		.limit(PAGE + 1)
		.execute();
	const page = rows.slice(0, PAGE);
	const last = page[page.length - 1];
	return {
		groups: page.map((r) => ({
			slug: r.slug,
			name: r.name,
			visibility: r.visibility,
			audience: r.audience,
			memberCount: r.memberCount,
			lastActivityAt: r.lastActivityAt,
			archived: r.archivedAt !== null,
			role: r.role
		})),
		next: rows.length > PAGE && last ? { lastActivityAt: last.lastActivityAt, id: last.id } : undefined
	};
}

export async function getGroup(ctx: AppContext, user: SessionUser, slug: string): Promise<GroupAccess> {
	return findGroup(ctx.db, user, slug, 'view_group', ctx.now());
}

/** Owners and moderators, shown on the group page. */
export async function groupLeaders(ctx: AppContext, groupId: number) {
	return ctx.db
		.selectFrom('groupMembers')
		.innerJoin('users', 'users.id', 'groupMembers.userId')
		.select(['users.id', 'users.displayName', 'groupMembers.role'])
		.where('groupMembers.groupId', '=', groupId)
		.where('groupMembers.role', 'in', ['owner', 'moderator'])
		.orderBy('groupMembers.role', 'desc')
		.orderBy('users.displayName')
		.limit(50)
		.execute();
}

export async function updateSettings(
	ctx: AppContext,
	user: SessionUser,
	slug: string,
	input: GroupSettings,
	meta: RequestMeta
): Promise<void> {
	const access = await findGroup(ctx.db, user, slug, 'edit_settings', ctx.now());
	const before = access.group;
	await inTransaction(ctx.db, async (trx) => {
		await trx
			.updateTable('groups')
			.set({
				name: input.name,
				description: input.description,
				descriptionHtml: renderMarkdown(input.description),
				visibility: input.visibility,
				audience: input.audience,
				emailWithoutContent: input.emailWithoutContent ?? before.emailWithoutContent,
				membersMayUpload: input.membersMayUpload ?? before.membersMayUpload,
				updatedAt: ctx.now()
			})
			.where('id', '=', before.id)
			.execute();
		const changed: Record<string, string> = {};
		for (const key of ['name', 'visibility', 'audience'] as const) {
			if (before[key] !== input[key]) changed[key] = `${before[key]} → ${input[key]}`;
		}
		if (before.description !== input.description) changed.description = 'changed';
		if (input.emailWithoutContent !== undefined && before.emailWithoutContent !== input.emailWithoutContent)
			changed.emailWithoutContent = `${before.emailWithoutContent} → ${input.emailWithoutContent}`;
		if (input.membersMayUpload !== undefined && before.membersMayUpload !== input.membersMayUpload)
			changed.membersMayUpload = `${before.membersMayUpload} → ${input.membersMayUpload}`;
		await appendAudit(trx, {
			actor: auditActor(user, access),
			action: 'group.settings_changed',
			target: groupTarget({ id: before.id, name: input.name }),
			details: { ...changed, asAdministrator: auditActor(user, access).asAdministrator },
			ipAddress: meta.ip
		});
	});
}

/** Members who no longer fit the group's audience (after it was narrowed). */
export async function membersOutsideAudience(ctx: AppContext, groupId: number, audience: GroupAudience) {
	const kinds = (['police', 'partner', 'guest'] as const).filter((k) => !inAudience(k, audience));
	if (kinds.length === 0) return [];
	return ctx.db
		.selectFrom('groupMembers')
		.innerJoin('users', 'users.id', 'groupMembers.userId')
		.select(['users.id', 'users.displayName', 'users.email', 'users.kind', 'groupMembers.role'])
		.where('groupMembers.groupId', '=', groupId)
		.where('users.kind', 'in', kinds)
		.orderBy('users.displayName')
		.execute();
}

export async function setArchived(
	ctx: AppContext,
	user: SessionUser,
	slug: string,
	archived: boolean,
	meta: RequestMeta
): Promise<void> {
	const access = await findGroup(ctx.db, user, slug, 'archive', ctx.now());
	if ((access.group.archivedAt !== null) === archived) {
		throw new DomainError(
			'conflict',
			archived ? 'This group is already archived.' : 'This group is not archived.'
		);
	}
	await inTransaction(ctx.db, async (trx) => {
		await trx
			.updateTable('groups')
			.set({ archivedAt: archived ? ctx.now() : null, updatedAt: ctx.now() })
			.where('id', '=', access.group.id)
			.execute();
		await appendAudit(trx, {
			actor: auditActor(user, access),
			action: archived ? 'group.archived' : 'group.unarchived',
			target: groupTarget(access.group),
			details: { asAdministrator: auditActor(user, access).asAdministrator },
			ipAddress: meta.ip
		});
	});
}
