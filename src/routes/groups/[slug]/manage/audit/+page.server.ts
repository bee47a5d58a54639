import type { PageServerLoad } from './$types';
import { describeDetails } from '$lib/server/audit/audit-details';
import { groupAuditLog } from '$lib/server/groups/moderation.service';
import { formatDateTime } from '$lib/format';
import { pageError } from '$lib/server/web/actions';
import { auditActionLabel } from '$lib/audit-labels';

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
				what: auditActionLabel(r.action),
				details: describeDetails(r.details)
			})),
			nextBefore: nextBefore ?? null
		};
	} catch (err) {
		pageError(err);
	}
};
