/**
 * A person's own membership: joining, asking, withdrawing, leaving, and answering
 * invitations. Each decision is audited; requests notify the group's moderators.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../context.ts';
import { DomainError, isUniqueViolation } from '../errors.ts';
import type { SessionUser } from '../auth/session.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { announceAccessChange, publishEvent } from '../events/publish.ts';
import { mailFooter, queueMail } from '../mail/mail.ts';
import type { Database, GroupRole } from '../db/schema.ts';
import type { RequestMeta } from '../request-meta.ts';
import { findGroup, type GroupAccess } from '../policy/group.access.ts';
import { groupTarget } from './group.service.ts';
import { groupLeaderIds, notifyAboutGroup } from '../notifications/notify.ts';
import { inTransaction } from '../db/transaction.ts';

/** Adds a member and keeps the group's counter in the same transaction. */
export async function addMember(
	trx: Transaction<Database>,
	groupId: number,
	userId: string,
	role: GroupRole,
	now: Date
): Promise<boolean> {
	const added = await trx
		.insertInto('groupMembers')
		.values({ groupId, userId, role, joinedAt: now })
		.onConflict((oc) => oc.columns(['groupId', 'userId']).doNothing())
		.returning('userId')
		.executeTakeFirst();
	if (added) {
		const group = await trx
			.updateTable('groups')
			.set((eb) => ({ memberCount: eb('memberCount', '+', 1), lastActivityAt: now }))
			.where('id', '=', groupId)
			.returning('memberCount')
			.executeTakeFirstOrThrow();
		await membershipChanged(trx, groupId, group.memberCount);
	}
	return added !== undefined;
}

export async function removeMemberRow(
	trx: Transaction<Database>,
	groupId: number,
	userId: string
): Promise<GroupRole | undefined> {
	const removed = await trx
		.deleteFrom('groupMembers')
		.where('groupId', '=', groupId)
		.where('userId', '=', userId)
		.returning('role')
		.executeTakeFirst();
	if (removed) {
		const group = await trx
			.updateTable('groups')
			.set((eb) => ({ memberCount: eb('memberCount', '-', 1) }))
			.where('id', '=', groupId)
			.returning('memberCount')
			.executeTakeFirstOrThrow();
		await membershipChanged(trx, groupId, group.memberCount);
	}
	return removed?.role;
}

/**
 * Tells the group's live pages that its membership changed (joins, leaves, removals, bans,
 * roles). Only the new count travels: who joined or left is for the members list to show.
 */
export async function membershipChanged(
	trx: Transaction<Database>,
	groupId: number,
	memberCount?: number
): Promise<void> {
	const count =
		memberCount ??
		(await trx.selectFrom('groups').select('memberCount').where('id', '=', groupId).executeTakeFirstOrThrow())
			.memberCount;
	await publishEvent(trx, {
		channel: `group:${groupId}`,
		type: 'membership.changed',
		data: { memberCount: count }
	});
}

async function moderatorAddresses(db: Kysely<Database>, groupId: number): Promise<string[]> {
	const rows = await db
		.selectFrom('groupMembers')
		.innerJoin('users', 'users.id', 'groupMembers.userId')
		.select('users.email')
		.where('groupMembers.groupId', '=', groupId)
		.where('groupMembers.role', 'in', ['owner', 'moderator'])
		.where('users.status', '=', 'active')
		.execute();
	return rows.map((r) => r.email);
}

function already(): DomainError {
	return new DomainError('conflict', 'You are already a member of this group.');
}

export async function joinGroup(
	ctx: AppContext,
	user: SessionUser,
	slug: string,
	meta: RequestMeta
): Promise<void> {
	const access = await findGroup(ctx.db, user, slug, 'join', ctx.now());
	await inTransaction(ctx.db, async (trx) => {
		if (!(await addMember(trx, access.group.id, user.id, 'member', ctx.now()))) throw already();
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: 'group.joined',
			target: groupTarget(access.group),
			ipAddress: meta.ip
		});
	});
}

export async function askToJoin(
	ctx: AppContext,
	user: SessionUser,
	slug: string,
	message: string,
	meta: RequestMeta
): Promise<void> {
	const access = await findGroup(ctx.db, user, slug, 'ask', ctx.now());
	try {
		await inTransaction(ctx.db, async (trx) => {
			const request = await trx
				.insertInto('membershipRequests')
				.values({ groupId: access.group.id, userId: user.id, message, createdAt: ctx.now() })
				.returning('id')
				.executeTakeFirstOrThrow();
			await notifyAboutGroup(trx, {
				kind: 'join_request',
				about: `request:${request.id}`,
				groupId: access.group.id,
				actorId: user.id,
				userIds: await groupLeaderIds(trx, access.group.id),
				now: ctx.now()
			});
			await appendAudit(trx, {
				actor: { id: user.id, label: user.email },
				action: 'group.request_made',
				target: groupTarget(access.group),
				ipAddress: meta.ip
			});
			for (const to of await moderatorAddresses(trx, access.group.id)) {
				await queueMail(trx, {
					to,
					subject: `${user.displayName} asked to join ${access.group.name}`,
					text:
						`${user.displayName} asked to join ${access.group.name} on Muster.\n\n` +
						`Approve or decline the request at ${ctx.config.origin}/groups/${access.group.slug}/manage` +
						mailFooter(ctx.config.origin)
				});
			}
		});
	} catch (err) {
		// Two requests at once: the unique index keeps only one.
		if (isUniqueViolation(err))
			throw new DomainError('conflict', 'You have already asked to join this group.');
		throw err;
	}
	void ctx.mail.flush();
}

export async function withdrawRequest(
	ctx: AppContext,
	user: SessionUser,
	slug: string,
	meta: RequestMeta
): Promise<void> {
	const access = await findGroup(ctx.db, user, slug, 'withdraw', ctx.now());
	await inTransaction(ctx.db, async (trx) => {
		const withdrawn = await trx
			.updateTable('membershipRequests')
			.set({ status: 'withdrawn', decidedAt: ctx.now() })
			.where('groupId', '=', access.group.id)
			.where('userId', '=', user.id)
			.where('status', '=', 'pending')
			.returning('id')
			.executeTakeFirst();
		if (!withdrawn) throw new DomainError('conflict', 'You have no request to join this group.');
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: 'group.request_withdrawn',
			target: groupTarget(access.group),
			ipAddress: meta.ip
		});
	});
}

export async function leaveGroup(
	ctx: AppContext,
	user: SessionUser,
	slug: string,
	meta: RequestMeta
): Promise<void> {
	const access = await findGroup(ctx.db, user, slug, 'leave', ctx.now());
	await inTransaction(ctx.db, async (trx) => {
		await lockGroup(trx, access.group.id);
		await assertNotLastOwner(trx, access.group.id, user.id);
		const role = await removeMemberRow(trx, access.group.id, user.id);
		if (!role) throw new DomainError('conflict', 'You are not a member of this group.');
		await announceAccessChange(trx, user.id);
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: 'group.left',
			target: groupTarget(access.group),
			details: { role },
			ipAddress: meta.ip
		});
	});
}

/**
 * Serialises owner changes on one group, so two owners cannot both step down at once.
 * FOR NO KEY UPDATE, like the counters' UPDATE: it waits for them, but not for the key-share
 * locks that new threads and members take on the group (see db/locks.ts).
 */
export async function lockGroup(trx: Transaction<Database>, groupId: number): Promise<void> {
	await trx.selectFrom('groups').select('id').where('id', '=', groupId).forNoKeyUpdate().execute();
}

/** There is always at least one owner. */
export async function assertNotLastOwner(
	trx: Transaction<Database>,
	groupId: number,
	userId: string
): Promise<void> {
	const owners = await trx
		.selectFrom('groupMembers')
		.select('userId')
		.where('groupId', '=', groupId)
		.where('role', '=', 'owner')
		.execute();
	if (owners.length === 1 && owners[0]!.userId === userId) {
		throw new DomainError('conflict', 'A group must always have an owner. Make someone else an owner first.');
	}
}

async function pendingInvitation(trx: Transaction<Database>, access: GroupAccess, email: string, now: Date) {
	return trx
		.selectFrom('invitations')
		.select(['id'])
		.where('groupId', '=', access.group.id)
		.where('email', '=', email)
		.where('status', '=', 'pending')
		.where('expiresAt', '>', now)
		.forUpdate()
		.executeTakeFirst();
}

export async function answerInvitation(
	ctx: AppContext,
	user: SessionUser,
	slug: string,
	accept: boolean,
	meta: RequestMeta
): Promise<void> {
	const now = ctx.now();
	const access = await findGroup(ctx.db, user, slug, accept ? 'accept_invitation' : 'view_group', now);
	await inTransaction(ctx.db, async (trx) => {
		const invitation = await pendingInvitation(trx, access, user.email, now);
		if (!invitation)
			throw new DomainError('conflict', 'You have no invitation to this group, or it has expired.');
		await trx
			.updateTable('invitations')
			.set({ status: accept ? 'accepted' : 'declined', respondedAt: now })
			.where('id', '=', invitation.id)
			.execute();
		if (accept) await addMember(trx, access.group.id, user.id, 'member', now);
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: accept ? 'group.invitation_accepted' : 'group.invitation_declined',
			target: groupTarget(access.group),
			ipAddress: meta.ip
		});
	});
}
