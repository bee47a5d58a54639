import type { PageServerLoad } from './$types';
import { describeDetails } from '$lib/server/audit/audit-details';
import { auditActions, listAudit } from '$lib/server/audit/audit.service';
import { verifyAuditChain } from '$lib/server/audit/audit.repository';
import { formatDateTime } from '$lib/format';
import { auditActionLabel } from '$lib/audit-labels';
import { searchQuery, searchText } from '$lib/server/forms';

export const load: PageServerLoad = async ({ locals, url }) => {
	const action = searchText(url.searchParams, 'action', 100) || undefined;
	const { q: whoTyped, error: whoError } = searchQuery(url.searchParams, 'who', 200);
	const who = whoError ? undefined : whoTyped.trim() || undefined;
	const beforeRaw = url.searchParams.get('before');
	const before = beforeRaw && /^\d{1,15}$/.test(beforeRaw) ? Number(beforeRaw) : undefined;
	const [{ rows, nextBefore }, actions, chain] = await Promise.all([
		listAudit(locals.ctx, { action, who, before }),
		auditActions(locals.ctx),
		// Reading the whole chain is proportional to its length: only when asked.
		url.searchParams.has('verify') ? verifyAuditChain(locals.ctx.db) : Promise.resolve(null)
	]);
	return {
		filter: { action: action ?? '', who: whoTyped },
		whoError,
		actions,
		chain,
		rows: rows.map((r) => ({
			id: r.id,
			when: formatDateTime(r.occurredAt),
			actor: r.actorLabel ?? 'Muster',
			action: auditActionLabel(r.action),
			target: r.targetLabel ?? r.targetId ?? '',
			details: describeDetails(r.details),
			ip: r.ipAddress ?? ''
		})),
		nextBefore: nextBefore ?? null
	};
};
