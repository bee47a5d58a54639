import type { PageServerLoad } from './$types';
import { listDirectory } from '$lib/server/groups/group.service';
import { mayCreateGroup } from '$lib/server/policy/group.policy';
import { policyActor } from '$lib/server/policy/group.access';
import { formatDate } from '$lib/format';
import { searchQuery } from '$lib/server/forms';

function cursor(value: string | null) {
	const m = value?.match(/^(\d{1,15})_(\d{1,9})$/);
	return m ? { lastActivityAt: new Date(Number(m[1])), id: Number(m[2]) } : undefined;
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = locals.user!;
	const { q, error: qError } = searchQuery(url.searchParams, 'q', 100);
	const mine = url.searchParams.get('mine') === '1';
	const result = await listDirectory(locals.ctx, user, {
		q: qError ? undefined : q,
		mine,
		after: cursor(url.searchParams.get('after'))
	});
	return {
		q,
		qError,
		mine,
		paged: url.searchParams.has('after'),
		mayCreate: mayCreateGroup(policyActor(user)),
		groups: result.groups.map((g) => ({ ...g, lastActivity: formatDate(g.lastActivityAt) })),
		next: result.next ? `${result.next.lastActivityAt.getTime()}_${result.next.id}` : null
	};
};
