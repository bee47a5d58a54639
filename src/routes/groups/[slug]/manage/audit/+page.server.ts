import type { PageServerLoad } from './$types';
import { describeDetails } from '$lib/server/audit/audit-details';
import { groupAuditLog } from '$lib/server/groups/moderation.service';
import { formatDateTime } from '$lib/server/format';
import { pageError } from '$lib/server/web/actions';

const LABELS: Record<string, string> = {
	'group.created': 'Created the group',
	'group.joined': 'Joined',
	'group.left': 'Left',
	'group.request_made': 'Asked to join',
	'group.request_withdrawn': 'Withdrew a request',
	'group.request_approved': 'Approved a request',
	'group.request_declined': 'Declined a request',
	'group.role_changed': 'Changed a role',
	'group.member_removed': 'Removed a member',
	'group.member_banned': 'Banned',
	'group.member_unbanned': 'Lifted a ban',
	'group.invitation_sent': 'Invited',
	'group.invitation_revoked': 'Revoked an invitation',
	'group.invitation_accepted': 'Accepted an invitation',
	'group.invitation_declined': 'Declined an invitation',
	'group.settings_changed': 'Changed the settings',
	'group.archived': 'Archived the group',
	'group.unarchived': 'Unarchived the group'
};

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const beforeRaw = url.searchParams.get('before');
	const before = beforeRaw && /^\d{1,15}$/.test(beforeRaw) ? Number(beforeRaw) : undefined;
	try {
		const { access, rows, nextBefore } = await groupAuditLog(locals.ctx, locals.user!, params.slug, before);
		return {
			group: { slug: access.group.slug, name: access.group.name },
			rows: rows.map((r) => ({
				id: r.id,
				when: formatDateTime(r.occurredAt),
				who: r.actorLabel ?? 'Muster',
				what: LABELS[r.action] ?? r.action,
				details: describeDetails(r.details)
			})),
			nextBefore: nextBefore ?? null
		};
	} catch (err) {
		pageError(err);
	}
};
