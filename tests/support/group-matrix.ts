/**
 * The group access matrix: every group action × every kind of viewer × every visibility,
 * written out cell by cell from the rules in the groups issue. The pure policy is checked
 * against it in tests/unit/group-policy.test.ts; the database-backed test checks the same
 * cells on standings loaded from a real database (that the standing is loaded correctly).
 *
 *   A allowed   N not found (the viewer may not know it exists)
 *   F forbidden (visible, but not for them: the page explains)   C conflict (not in this state)
 *   T two-factor needed first
 */
import type {
	GroupAction,
	PolicyActor,
	PolicyGroup,
	Standing
} from '../../src/lib/server/policy/group.policy.ts';

export const VIEWERS = [
	'anonymous',
	'unverified',
	'guest',
	'partner outside the audience',
	'partner in the audience',
	'police non-member',
	'member',
	'moderator',
	'owner',
	'banned',
	'suspended',
	'site administrator',
	'invited'
] as const;
export type Viewer = (typeof VIEWERS)[number];
export const VISIBILITIES = ['open', 'restricted', 'private'] as const;

// Each string: the outcome for an open, a restricted and a private group.
export const EXPECTED: Record<GroupAction, Record<Viewer, string>> = {
	view_directory_entry: {
		anonymous: 'NNN',
		unverified: 'NNN',
		guest: 'NNN',
		'partner outside the audience': 'NNN',
		'partner in the audience': 'AAN',
		'police non-member': 'AAN',
		member: 'AAA',
		moderator: 'AAA',
		owner: 'AAA',
		banned: 'AAN',
		suspended: 'NNN',
		'site administrator': 'AAA',
		invited: 'AAN'
	},
	view_group: {
		anonymous: 'NNN',
		unverified: 'NNN',
		guest: 'AAN',
		'partner outside the audience': 'AAN',
		'partner in the audience': 'AAN',
		'police non-member': 'AAN',
		member: 'AAA',
		moderator: 'AAA',
		owner: 'AAA',
		banned: 'AAN',
		suspended: 'NNN',
		'site administrator': 'AAA',
		invited: 'AAA'
	},
	view_members: {
		anonymous: 'NNN',
		unverified: 'NNN',
		guest: 'FFN',
		'partner outside the audience': 'FFN',
		'partner in the audience': 'FFN',
		'police non-member': 'FFN',
		member: 'AAA',
		moderator: 'AAA',
		owner: 'AAA',
		banned: 'FFN',
		suspended: 'NNN',
		'site administrator': 'AAA',
		invited: 'FFF'
	},
	join: {
		anonymous: 'NNN',
		unverified: 'NNN',
		guest: 'FFN',
		'partner outside the audience': 'FFN',
		'partner in the audience': 'AFN',
		'police non-member': 'AFN',
		member: 'CCC',
		moderator: 'CCC',
		owner: 'CCC',
		banned: 'FFN',
		suspended: 'NNN',
		'site administrator': 'AFF',
		invited: 'AFF'
	},
	ask: {
		anonymous: 'NNN',
		unverified: 'NNN',
		guest: 'FFN',
		'partner outside the audience': 'FFN',
		'partner in the audience': 'FAN',
		'police non-member': 'FAN',
		member: 'CCC',
		moderator: 'CCC',
		owner: 'CCC',
		banned: 'FFN',
		suspended: 'NNN',
		'site administrator': 'FAF',
		invited: 'FAF'
	},
	withdraw: {
		anonymous: 'NNN',
		unverified: 'NNN',
		guest: 'CCN',
		'partner outside the audience': 'CCN',
		'partner in the audience': 'CCN',
		'police non-member': 'CCN',
		member: 'CCC',
		moderator: 'CCC',
		owner: 'CCC',
		banned: 'CCN',
		suspended: 'NNN',
		'site administrator': 'CCC',
		invited: 'CCC'
	},
	accept_invitation: {
		anonymous: 'NNN',
		unverified: 'NNN',
		guest: 'CCN',
		'partner outside the audience': 'CCN',
		'partner in the audience': 'CCN',
		'police non-member': 'CCN',
		member: 'CCC',
		moderator: 'CCC',
		owner: 'CCC',
		banned: 'CCN',
		suspended: 'NNN',
		'site administrator': 'CCC',
		invited: 'AAA'
	},
	leave: {
		anonymous: 'NNN',
		unverified: 'NNN',
		guest: 'CCN',
		'partner outside the audience': 'CCN',
		'partner in the audience': 'CCN',
		'police non-member': 'CCN',
		member: 'AAA',
		moderator: 'AAA',
		owner: 'CCC',
		banned: 'CCN',
		suspended: 'NNN',
		'site administrator': 'CCC',
		invited: 'CCC'
	},
	...Object.fromEntries(
		(['read_threads', 'start_thread', 'reply', 'read_library', 'upload_document'] as const).map((action) => [
			action,
			{
				anonymous: 'NNN',
				unverified: 'NNN',
				guest: 'FFN',
				'partner outside the audience': 'FFN',
				'partner in the audience': 'FFN',
				'police non-member': 'FFN',
				member: 'AAA',
				moderator: 'AAA',
				owner: 'AAA',
				banned: 'FFN',
				suspended: 'NNN',
				'site administrator': 'AAA',
				invited: 'FFF'
			}
		])
	),
	...Object.fromEntries(
		(
			[
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
			] as const
		).map((action) => [
			action,
			{
				anonymous: 'NNN',
				unverified: 'NNN',
				guest: 'NNN',
				'partner outside the audience': 'NNN',
				'partner in the audience': 'NNN',
				'police non-member': 'NNN',
				member: 'NNN',
				moderator: 'AAA',
				owner: 'AAA',
				banned: 'NNN',
				suspended: 'NNN',
				'site administrator': 'AAA',
				invited: 'NNN'
			}
		])
	),
	...Object.fromEntries(
		(['change_role', 'edit_settings', 'archive'] as const).map((action) => [
			action,
			{
				anonymous: 'NNN',
				unverified: 'NNN',
				guest: 'NNN',
				'partner outside the audience': 'NNN',
				'partner in the audience': 'NNN',
				'police non-member': 'NNN',
				member: 'NNN',
				moderator: 'FFF',
				owner: 'AAA',
				banned: 'NNN',
				suspended: 'NNN',
				'site administrator': 'AAA',
				invited: 'NNN'
			}
		])
	)
} as Record<GroupAction, Record<Viewer, string>>;

export const OUTCOME = {
	allow: 'A',
	not_found: 'N',
	forbidden: 'F',
	conflict: 'C',
	two_factor: 'T'
} as const;

/** Each viewer as the policy is told about them (ids are the viewer's name). */
export function matrixActor(viewer: Viewer): PolicyActor | null {
	if (viewer === 'anonymous') return null;
	const partner = viewer === 'partner outside the audience' || viewer === 'partner in the audience';
	const twoFactor = viewer === 'moderator' || viewer === 'owner' || viewer === 'site administrator';
	return {
		id: viewer,
		kind: viewer === 'guest' ? 'guest' : partner ? 'partner' : 'police',
		isAdmin: viewer === 'site administrator',
		status: viewer === 'suspended' ? 'suspended' : 'active',
		emailVerified: viewer !== 'unverified',
		twoFactorEnabled: twoFactor
	};
}

/** Each viewer's standing in every group of the matrix (each group has one owner). */
export function matrixStanding(viewer: Viewer): Standing {
	return {
		role: viewer === 'member' || viewer === 'moderator' || viewer === 'owner' ? viewer : null,
		banned: viewer === 'banned',
		pendingRequest: false,
		invited: viewer === 'invited',
		owners: 1
	};
}

/** The group a viewer meets: police-only for the partner outside its audience. */
export function matrixGroup(viewer: Viewer, visibility: (typeof VISIBILITIES)[number]): PolicyGroup {
	return {
		visibility,
		audience: viewer === 'partner outside the audience' ? 'police' : 'police_partner',
		archived: false
	};
}
