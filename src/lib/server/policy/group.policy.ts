/**
 * Who may do what to a group: the one place that decides, asked by every edge (pages,
 * form actions, the WebSocket hub, and next search and the API). Default deny. Anything the
 * viewer may not see is "not found", never "forbidden", so private groups do not leak.
 *
 * The decision is a pure function of the actor, the group and the actor's standing in
 * it (loaded from the database by group.access.ts, the door every edge goes through), so it can
 * be tested cell by cell.
 */
import type { AccountKind, AccountStatus, GroupAudience, GroupRole, GroupVisibility } from '../db/schema.ts';

export const GROUP_ACTIONS = [
	'view_directory_entry',
	'view_group',
	'view_members',
	'join',
	'ask',
	'withdraw',
	'accept_invitation',
	'leave',
	'approve',
	'decline',
	'change_role',
	'remove',
	'ban',
	'unban',
	'invite',
	'revoke_invitation',
	'edit_settings',
	'archive',
	'view_group_audit',
	'read_threads',
	'start_thread',
	'reply',
	'moderate_posts',
	'read_library',
	'upload_document',
	'manage_library'
] as const;

export type GroupAction = (typeof GROUP_ACTIONS)[number];

export interface PolicyActor {
	id: string;
	kind: AccountKind;
	isAdmin: boolean;
	status: AccountStatus;
	emailVerified: boolean;
	twoFactorEnabled: boolean;
}

export interface PolicyGroup {
	visibility: GroupVisibility;
	audience: GroupAudience;
	archived: boolean;
	/** Members (not only moderators) may add to the library; true when not said. */
	membersMayUpload?: boolean;
}

export interface Standing {
	role: GroupRole | null;
	banned: boolean;
	pendingRequest: boolean;
	invited: boolean;
	/** How many owners the group has (the last one cannot leave). */
	owners: number;
}

export type Refusal = 'not_found' | 'forbidden' | 'conflict' | 'two_factor';
export type Decision = { ok: true } | { ok: false; code: Refusal; message: string };

const ALLOW: Decision = { ok: true };
const refuse = (code: Refusal, message: string): Decision => ({ ok: false, code, message });
const NOT_FOUND = refuse('not_found', 'Page not found');

const MODERATION: ReadonlySet<GroupAction> = new Set([
	'approve',
	'decline',
	'remove',
	'ban',
	'unban',
	'invite',
	'revoke_invitation',
	'view_group_audit',
	'moderate_posts',
	'manage_library'
]);
const OWNERSHIP: ReadonlySet<GroupAction> = new Set(['change_role', 'edit_settings', 'archive']);
/** What still works while a group is archived (read-only for everyone). */
const WHILE_ARCHIVED: ReadonlySet<GroupAction> = new Set([
	'view_directory_entry',
	'view_group',
	'view_members',
	'view_group_audit',
	'read_threads',
	'read_library',
	'withdraw',
	'leave',
	'archive'
]);

/** Which account kinds a group's audience admits. Guests only ever arrive by invitation. */
export function inAudience(kind: AccountKind, audience: GroupAudience): boolean {
	return kind === 'police' || (kind === 'partner' && audience === 'police_partner');
}

export function audienceLabel(audience: GroupAudience): string {
	return audience === 'police'
		? 'police officers and staff'
		: 'police officers and staff, and law-enforcement partners';
}

/** May this account create groups? Site administrators and police accounts. */
export function mayCreateGroup(actor: PolicyActor | null): boolean {
	return (
		!!actor && actor.status === 'active' && actor.emailVerified && (actor.isAdmin || actor.kind === 'police')
	);
}

function isMember(standing: Standing): boolean {
	return standing.role !== null;
}

function canSeeGroup(actor: PolicyActor, group: PolicyGroup, standing: Standing): boolean {
	if (actor.isAdmin || isMember(standing) || standing.invited) return true;
	return group.visibility !== 'private';
}

export function decide(
	actor: PolicyActor | null,
	action: GroupAction,
	group: PolicyGroup,
	standing: Standing
): Decision {
	// Signed-out, unconfirmed and suspended accounts see no group at all.
	if (!actor || actor.status !== 'active' || !actor.emailVerified) return NOT_FOUND;
	if (!canSeeGroup(actor, group, standing)) return NOT_FOUND;

	const member = isMember(standing);
	const moderator = standing.role === 'owner' || standing.role === 'moderator' || actor.isAdmin;
	const owner = standing.role === 'owner' || actor.isAdmin;

	if (group.archived && !WHILE_ARCHIVED.has(action)) {
		return refuse('conflict', 'This group is archived, so it is read-only. Its owners can unarchive it.');
	}

	if (MODERATION.has(action) || OWNERSHIP.has(action)) {
		if (!moderator) return NOT_FOUND;
		if (OWNERSHIP.has(action) && !owner) return refuse('forbidden', 'Only the group’s owners can do this.');
		if (!actor.twoFactorEnabled) {
			return refuse('two_factor', 'Set up two-factor authentication before managing a group.');
		}
		return ALLOW;
	}

	switch (action) {
		case 'view_directory_entry':
			if (actor.isAdmin || member) return ALLOW;
			return group.visibility !== 'private' && inAudience(actor.kind, group.audience) ? ALLOW : NOT_FOUND;
		case 'view_group':
			return ALLOW;
		case 'view_members':
			return member || actor.isAdmin
				? ALLOW
				: refuse('forbidden', 'Only members can see who is in this group.');
		case 'join':
		case 'ask': {
			if (member) return refuse('conflict', 'You are already a member of this group.');
			if (standing.banned)
				return refuse('forbidden', 'You have been banned from this group, so you cannot join it.');
			if (!inAudience(actor.kind, group.audience)) {
				return refuse('forbidden', `This group is only for ${audienceLabel(group.audience)}.`);
			}
			if (group.visibility === 'private') {
				return refuse('forbidden', 'This group is invite-only. Ask a moderator for an invitation.');
			}
			if (action === 'join') {
				return group.visibility === 'open'
					? ALLOW
					: refuse('forbidden', 'This group is restricted: ask to join, and a moderator will decide.');
			}
			if (group.visibility === 'open')
				return refuse('forbidden', 'This group is open: you can join it straight away.');
			return standing.pendingRequest
				? refuse('conflict', 'You have already asked to join this group.')
				: ALLOW;
		}
		case 'read_threads':
			return member || actor.isAdmin
				? ALLOW
				: refuse('forbidden', 'Join this group to read its discussions.');
		case 'start_thread':
		case 'reply':
			return member || actor.isAdmin
				? ALLOW
				: refuse('forbidden', 'Join this group to take part in its discussions.');
		case 'read_library':
			return member || actor.isAdmin ? ALLOW : refuse('forbidden', 'Join this group to read its library.');
		case 'upload_document':
			if (!member && !actor.isAdmin) return refuse('forbidden', 'Join this group to add to its library.');
			return moderator || group.membersMayUpload !== false
				? ALLOW
				: refuse('forbidden', 'In this group only moderators add documents to the library.');
		case 'withdraw':
			return standing.pendingRequest ? ALLOW : refuse('conflict', 'You have no request to join this group.');
		case 'accept_invitation':
			if (member) return refuse('conflict', 'You are already a member of this group.');
			if (!standing.invited)
				return refuse('conflict', 'You have no invitation to this group, or it has expired.');
			if (standing.banned)
				return refuse('forbidden', 'You have been banned from this group, so you cannot join it.');
			// An invitation is how a guest (or anyone the audience would not otherwise admit)
			// joins a group that admits partners; a police-only group admits police only.
			if (
				!inAudience(actor.kind, group.audience) &&
				!(actor.kind === 'guest' && group.audience === 'police_partner')
			) {
				return refuse('forbidden', `This group is only for ${audienceLabel(group.audience)}.`);
			}
			return ALLOW;
		case 'leave':
			if (!member) return refuse('conflict', 'You are not a member of this group.');
			if (standing.role === 'owner' && standing.owners <= 1) {
				return refuse('conflict', 'You are the only owner. Make someone else an owner before you leave.');
			}
			return ALLOW;
	}
	return NOT_FOUND;
}

/**
 * May someone who moderates a group act on (remove, ban, change the role of) this person?
 * Moderators act on members only; owners and site administrators on anyone. The caller has
 * already been allowed the action itself (`decide`); `targetRole` is undefined for someone
 * who is not a member (a ban can be placed on them).
 */
export function mayActOnMember(
	actor: PolicyActor | null,
	standing: Standing,
	targetRole: GroupRole | null | undefined
): boolean {
	const ownerPower = standing.role === 'owner' || !!actor?.isAdmin;
	return ownerPower || !targetRole || targetRole === 'member';
}

/**
 * May this person write a thread up as good practice? Its author, or a moderator of its group,
 * and only where they may start something in the group (not while it is archived).
 */
export function decideWriteUp(
	actor: PolicyActor | null,
	group: PolicyGroup,
	standing: Standing,
	threadAuthorId: string | null
): Decision {
	const moderator = decide(actor, 'moderate_posts', group, standing).ok;
	if ((!actor || actor.id !== threadAuthorId) && !moderator) {
		const read = decide(actor, 'read_threads', group, standing);
		if (!read.ok) return read;
		return refuse('forbidden', 'Only the thread’s author or a moderator can write it up as practice.');
	}
	return decide(actor, 'start_thread', group, standing);
}
