/**
 * Moderators' and owners' decisions about who is in a group: requests, roles,
 * removals, bans and invitations. Each one is audited with who, whom and why, and the
 * person concerned is told by e-mail. Moderators act on members; owners on anyone,
 * except that a group always keeps at least one owner.
 */
import type { Transaction } from 'kysely';
import type { AppContext } from '../context.ts';
import { DomainError, isUniqueViolation } from '../errors.ts';
import type { SessionUser } from '../auth/session.ts';
import { generateToken, hashToken } from '../auth/tokens.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { announceAccessChange } from '../events/publish.ts';
import { mailFooter, queueMail } from '../mail/mail.ts';
import type { Database, GroupRole } from '../db/schema.ts';
import { isUuid } from '../ids.ts';
import { inAudience, audienceLabel } from '../policy/group.policy.ts';
import type { GroupAction } from '../policy/group.policy.ts';
import { findOrganisationForEmail } from '../organisations/organisation.repository.ts';
import type { RequestMeta } from '../request-meta.ts';
import { findGroup, mayActOn, type GroupAccess } from '../policy/group.access.ts';
import { auditActor, groupTarget } from './group.service.ts';
import {
	addMember,
	assertNotLastOwner,
	lockGroup,
	membershipChanged,
	removeMemberRow
} from './membership.service.ts';
import { notifyAboutGroup } from '../notifications/notify.ts';
import { inTransaction } from '../db/transaction.ts';

type Trx = Transaction<Database>;

function audit(
	trx: Trx,
	user: SessionUser,
	access: GroupAccess,
	action: string,
	details: Record<string, string | null>,
	meta: RequestMeta
) {
	const actor = auditActor(user, access);
	return appendAudit(trx, {
		actor: { id: actor.id, label: actor.label },
		action,
		target: groupTarget(access.group),
		details: { ...details, ...(actor.asAdministrator ? { asAdministrator: 'yes' } : {}) },
		ipAddress: meta.ip
	});
}

async function person(trx: Trx, userId: string) {
	if (!isUuid(userId)) throw new DomainError('not_found', 'That person was not found.');
	const row = await trx
		.selectFrom('users')
		.select(['id', 'email', 'displayName', 'kind', 'status'])
		.where('id', '=', userId)
		.executeTakeFirst();
	if (!row) throw new DomainError('not_found', 'That person was not found.');
	return row;
}

async function isBanned(trx: Trx, groupId: number, userId: string): Promise<boolean> {
	const row = await trx
		.selectFrom('groupBans')
		.select('userId')
		.where('groupId', '=', groupId)
		.where('userId', '=', userId)
		.executeTakeFirst();
	return row !== undefined;
}

async function roleOf(trx: Trx, groupId: number, userId: string): Promise<GroupRole | undefined> {
	const row = await trx
		.selectFrom('groupMembers')
		.select('role')
		.where('groupId', '=', groupId)
		.where('userId', '=', userId)
		.forUpdate()
		.executeTakeFirst();
	return row?.role;
}

async function load(
	ctx: AppContext,
	user: SessionUser,
	slug: string,
	action: GroupAction
): Promise<GroupAccess> {
	return findGroup(ctx.db, user, slug, action, ctx.now());
}

export async function listRequests(ctx: AppContext, user: SessionUser, slug: string) {
	const access = await load(ctx, user, slug, 'approve');
	const requests = await ctx.db
		.selectFrom('membershipRequests')
		.innerJoin('users', 'users.id', 'membershipRequests.userId')
		.leftJoin('organisations', 'organisations.id', 'users.organisationId')
		.select([
			'membershipRequests.id',
			'membershipRequests.message',
			'membershipRequests.createdAt',
			'users.id as userId',
			'users.displayName',
			'users.kind',
			'organisations.name as organisationName'
		])
		.where('membershipRequests.groupId', '=', access.group.id)
		.where('membershipRequests.status', '=', 'pending')
		.orderBy('membershipRequests.createdAt')
		.limit(200)
		.execute();
	return { access, requests };
}

export async function decideRequest(
	ctx: AppContext,
	user: SessionUser,
	slug: string,
	requestId: number,
	decision: { approve: true } | { approve: false; reason: string },
	meta: RequestMeta
): Promise<void> {
	const access = await load(ctx, user, slug, decision.approve ? 'approve' : 'decline');
	const now = ctx.now();
	await inTransaction(ctx.db, async (trx) => {
		// Only one decision wins, even when two moderators press at once.
		const request = await trx
			.updateTable('membershipRequests')
			.set({
				status: decision.approve ? 'approved' : 'declined',
				decidedBy: user.id,
				decidedAt: now,
				reason: decision.approve ? null : decision.reason
			})
			.where('id', '=', requestId)
			.where('groupId', '=', access.group.id)
			.where('status', '=', 'pending')
			.returning('userId')
			.executeTakeFirst();
		if (!request) throw new DomainError('conflict', 'This request has already been decided or withdrawn.');
		const requester = await person(trx, request.userId);
		if (decision.approve) {
			// The group may have changed since they asked: its audience narrowed, or they were banned.
			if (!inAudience(requester.kind, access.group.audience)) {
				throw new DomainError(
					'conflict',
					`${requester.displayName} is no longer in this group’s audience (${audienceLabel(access.group.audience)}), so the request cannot be approved. Decline it with a reason.`
				);
			}
			if ((await isBanned(trx, access.group.id, requester.id)) || requester.status !== 'active')
				throw new DomainError(
					'conflict',
					`${requester.displayName} cannot join this group. Decline the request with a reason.`
				);
			await addMember(trx, access.group.id, requester.id, 'member', now);
		}
		// The moderators' notices of the request are settled with it.
		await trx
			.updateTable('notifications')
			.set({ readAt: now })
			.where('about', '=', `request:${requestId}`)
			.where('readAt', 'is', null)
			.execute();
		await notifyAboutGroup(trx, {
			kind: decision.approve ? 'request_approved' : 'request_declined',
			about: `decided:${requestId}`,
			groupId: access.group.id,
			actorId: user.id,
			userIds: [requester.id],
			data: decision.approve ? {} : { reason: decision.reason },
			now
		});
		await audit(
			trx,
			user,
			access,
			decision.approve ? 'group.request_approved' : 'group.request_declined',
			{ person: requester.email, reason: decision.approve ? null : decision.reason },
			meta
		);
		await queueMail(trx, {
			to: requester.email,
			subject: decision.approve
				? `You have joined ${access.group.name}`
				: `Your request to join ${access.group.name} was declined`,
			text: decision.approve
				? `Hello ${requester.displayName},\n\nYour request to join ${access.group.name} on Muster has been approved.\n\n${ctx.config.origin}/groups/${access.group.slug}` +
					mailFooter(ctx.config.origin)
				: `Hello ${requester.displayName},\n\nYour request to join ${access.group.name} on Muster was declined.\n\nThe moderator said: ${decision.reason}` +
					mailFooter(ctx.config.origin)
		});
	});
	void ctx.mail.flush();
}

export async function changeRole(
	ctx: AppContext,
	user: SessionUser,
	slug: string,
	targetId: string,
	role: GroupRole,
	reason: string,
	meta: RequestMeta
): Promise<void> {
	const access = await load(ctx, user, slug, 'change_role');
	const now = ctx.now();
	await inTransaction(ctx.db, async (trx) => {
		await lockGroup(trx, access.group.id);
		const target = await person(trx, targetId);
		const current = await roleOf(trx, access.group.id, target.id);
		if (!current) throw new DomainError('conflict', `${target.displayName} is not a member of this group.`);
		if (current === role) return;
		if (current === 'owner') await assertNotLastOwner(trx, access.group.id, target.id);
		await trx
			.updateTable('groupMembers')
			.set({ role })
			.where('groupId', '=', access.group.id)
			.where('userId', '=', target.id)
			.execute();
		await notifyAboutGroup(trx, {
			kind: 'role_changed',
			about: `role:${access.group.id}:${now.getTime()}`,
			groupId: access.group.id,
			actorId: user.id,
			userIds: [target.id],
			data: { role },
			now
		});
		await membershipChanged(trx, access.group.id);
		await audit(
			trx,
			user,
			access,
			'group.role_changed',
			{ person: target.email, from: current, to: role, reason },
			meta
		);
	});
}

export async function removeMember(
	ctx: AppContext,
	user: SessionUser,
	slug: string,
	targetId: string,
	reason: string,
	meta: RequestMeta,
	ban = false
): Promise<void> {
	const access = await load(ctx, user, slug, ban ? 'ban' : 'remove');
	const now = ctx.now();
	await inTransaction(ctx.db, async (trx) => {
		await lockGroup(trx, access.group.id);
		const target = await person(trx, targetId);
		if (target.id === user.id)
			throw new DomainError('invalid', 'To leave the group yourself, use “Leave group”.');
		const current = await roleOf(trx, access.group.id, target.id);
		if (!mayActOn(access, current)) {
			throw new DomainError('forbidden', 'Only owners can remove or ban moderators and owners.');
		}
		if (current === 'owner') await assertNotLastOwner(trx, access.group.id, target.id);
		if (!ban && !current)
			throw new DomainError('conflict', `${target.displayName} is not a member of this group.`);
		if (current) await removeMemberRow(trx, access.group.id, target.id);
		await announceAccessChange(trx, target.id);
		if (ban) {
			try {
				await trx
					.insertInto('groupBans')
					.values({ groupId: access.group.id, userId: target.id, reason, bannedBy: user.id, bannedAt: now })
					.execute();
			} catch (err) {
				if (isUniqueViolation(err))
					throw new DomainError('conflict', `${target.displayName} is already banned.`);
				throw err;
			}
			// A ban also ends any request they had.
			await trx
				.updateTable('membershipRequests')
				.set({ status: 'declined', decidedBy: user.id, decidedAt: now, reason })
				.where('groupId', '=', access.group.id)
				.where('userId', '=', target.id)
				.where('status', '=', 'pending')
				.execute();
		}
		// Removed or banned, an earlier invitation no longer lets them straight back in.
		await trx
			.updateTable('invitations')
			.set({ status: 'revoked', respondedAt: now })
			.where('groupId', '=', access.group.id)
			.where((eb) => eb(eb.fn('lower', ['email']), '=', target.email.toLowerCase()))
			.where('status', '=', 'pending')
			.execute();
		await audit(
			trx,
			user,
			access,
			ban ? 'group.member_banned' : 'group.member_removed',
			{ person: target.email, role: current ?? null, reason },
			meta
		);
		// Someone banned before they ever joined is not told the group's name by e-mail.
		if (current)
			await queueMail(trx, {
				to: target.email,
				subject: ban
					? `You have been banned from ${access.group.name}`
					: `You have been removed from ${access.group.name}`,
				text:
					`Hello ${target.displayName},\n\nA moderator has ${ban ? 'banned you from' : 'removed you from'} ${access.group.name} on Muster.\n\nThe reason given: ${reason}` +
					mailFooter(ctx.config.origin)
			});
	});
	void ctx.mail.flush();
}

export async function unban(
	ctx: AppContext,
	user: SessionUser,
	slug: string,
	targetId: string,
	reason: string,
	meta: RequestMeta
): Promise<void> {
	const access = await load(ctx, user, slug, 'unban');
	await inTransaction(ctx.db, async (trx) => {
		const target = await person(trx, targetId);
		const lifted = await trx
			.deleteFrom('groupBans')
			.where('groupId', '=', access.group.id)
			.where('userId', '=', target.id)
			.returning('userId')
			.executeTakeFirst();
		if (!lifted) throw new DomainError('conflict', `${target.displayName} is not banned.`);
		await audit(trx, user, access, 'group.member_unbanned', { person: target.email, reason }, meta);
	});
}

export async function listBans(ctx: AppContext, user: SessionUser, slug: string) {
	const access = await load(ctx, user, slug, 'unban');
	return ctx.db
		.selectFrom('groupBans')
		.innerJoin('users', 'users.id', 'groupBans.userId')
		.select(['users.id', 'users.displayName', 'users.email', 'groupBans.reason', 'groupBans.bannedAt'])
		.where('groupBans.groupId', '=', access.group.id)
		.orderBy('groupBans.bannedAt', 'desc')
		.limit(200)
		.execute();
}

export async function invite(
	ctx: AppContext,
	user: SessionUser,
	slug: string,
	input: { email: string; days: number },
	meta: RequestMeta
): Promise<void> {
	const access = await load(ctx, user, slug, 'invite');
	const now = ctx.now();
	await inTransaction(ctx.db, async (trx) => {
		const invitee = await trx
			.selectFrom('users')
			.select(['id', 'kind', 'displayName'])
			.where('email', '=', input.email)
			.executeTakeFirst();
		// Who would they be? An account's kind, or what their address would make them.
		const kind = invitee?.kind ?? (await findOrganisationForEmail(trx, input.email))?.kind ?? 'guest';
		const admitted =
			inAudience(kind, access.group.audience) ||
			(kind === 'guest' && access.group.audience === 'police_partner');
		if (!admitted) {
			throw new DomainError(
				'forbidden',
				`${input.email} is outside this group’s audience: it is only for ${audienceLabel(access.group.audience)}.`,
				'email'
			);
		}
		if (invitee) {
			if (await roleOf(trx, access.group.id, invitee.id)) {
				throw new DomainError('conflict', `${input.email} is already a member of this group.`, 'email');
			}
			if (await isBanned(trx, access.group.id, invitee.id))
				throw new DomainError(
					'forbidden',
					`${input.email} is banned from this group. Unban them first.`,
					'email'
				);
		}
		// A new invitation replaces an expired one.
		await trx
			.updateTable('invitations')
			.set({ status: 'revoked', respondedAt: now })
			.where('groupId', '=', access.group.id)
			.where('email', '=', input.email)
			.where('status', '=', 'pending')
			.where('expiresAt', '<=', now)
			.execute();
		const expiresAt = new Date(now.getTime() + input.days * 24 * 60 * 60 * 1000);
		let invitation;
		try {
			invitation = await trx
				.insertInto('invitations')
				.values({
					groupId: access.group.id,
					email: input.email,
					tokenHash: hashToken(generateToken()),
					invitedBy: user.id,
					createdAt: now,
					expiresAt
				})
				.returning('id')
				.executeTakeFirstOrThrow();
		} catch (err) {
			if (isUniqueViolation(err))
				throw new DomainError('conflict', `${input.email} already has an invitation waiting.`, 'email');
			throw err;
		}
		if (invitee)
			await notifyAboutGroup(trx, {
				kind: 'invitation',
				about: `invitation:${invitation.id}`,
				groupId: access.group.id,
				actorId: user.id,
				userIds: [invitee.id],
				now
			});
		await audit(
			trx,
			user,
			access,
			'group.invitation_sent',
			{ person: input.email, expires: expiresAt.toISOString() },
			meta
		);
		await queueMail(trx, {
			to: input.email,
			subject: `You are invited to join ${access.group.name} on Muster`,
			text:
				`${user.displayName} has invited you to join ${access.group.name}, a group on Muster, where UK police and ` +
				`law-enforcement partners share good practice.\n\n` +
				(invitee
					? `Sign in to accept or decline: ${ctx.config.origin}/groups/${access.group.slug}\n`
					: `Create your account with this e-mail address, and the invitation will be waiting: ${ctx.config.origin}/register\n`) +
				`\nThe invitation expires in ${input.days} days.` +
				mailFooter(ctx.config.origin)
		});
	});
	void ctx.mail.flush();
}

export async function listInvitations(ctx: AppContext, user: SessionUser, slug: string) {
	const access = await load(ctx, user, slug, 'invite');
	return ctx.db
		.selectFrom('invitations')
		.select(['id', 'email', 'createdAt', 'expiresAt'])
		.where('groupId', '=', access.group.id)
		.where('status', '=', 'pending')
		.where('expiresAt', '>', ctx.now())
		.orderBy('createdAt', 'desc')
		.limit(200)
		.execute();
}

export async function revokeInvitation(
	ctx: AppContext,
	user: SessionUser,
	slug: string,
	invitationId: number,
	meta: RequestMeta
): Promise<void> {
	const access = await load(ctx, user, slug, 'revoke_invitation');
	await inTransaction(ctx.db, async (trx) => {
		const revoked = await trx
			.updateTable('invitations')
			.set({ status: 'revoked', respondedAt: ctx.now() })
			.where('id', '=', invitationId)
			.where('groupId', '=', access.group.id)
			.where('status', '=', 'pending')
			.returning('email')
			.executeTakeFirst();
		if (!revoked) throw new DomainError('conflict', 'That invitation has already been answered or revoked.');
		await audit(trx, user, access, 'group.invitation_revoked', { person: revoked.email }, meta);
	});
}

export async function groupAuditLog(ctx: AppContext, user: SessionUser, slug: string, before?: number) {
	const access = await load(ctx, user, slug, 'view_group_audit');
	let query = ctx.db
		.selectFrom('auditLog')
		.select(['id', 'occurredAt', 'actorLabel', 'action', 'details'])
		.where('targetType', '=', 'group')
		.where('targetId', '=', String(access.group.id));
	if (before) query = query.where('id', '<', before);
	const rows = await query.orderBy('id', 'desc').limit(51).execute();
	return { access, rows: rows.slice(0, 50), nextBefore: rows.length > 50 ? rows[49]!.id : undefined };
}
