import type { PageServerLoad } from './$types';
import { listMembers } from '$lib/server/groups/member-list.service';
import { decision } from '$lib/server/policy/group.access';
import { isUuid } from '$lib/server/ids';
import { formatDate } from '$lib/format';
import { pageError } from '$lib/server/web/actions';
import { searchQuery } from '$lib/server/forms';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { q, error: qError } = searchQuery(url.searchParams, 'q', 100);
	const afterId = url.searchParams.get('afterId') ?? '';
	const after = isUuid(afterId)
		? { name: url.searchParams.get('afterName')?.slice(0, 100) ?? '', id: afterId }
		: undefined;
	try {
		const { access, members, next } = await listMembers(locals.ctx, locals.user!, params.slug, {
			q: qError ? '' : q,
			after
		});
		const manage = decision(access, 'remove');
		return {
			group: { slug: access.group.slug, name: access.group.name, memberCount: access.group.memberCount },
			q,
			qError,
			mayManage: manage.ok,
			members: members.map((m) => ({ ...m, joined: formatDate(m.joinedAt) })),
			next: next
				? new URLSearchParams({ ...(q ? { q } : {}), afterName: next.name, afterId: next.id }).toString()
				: null
		};
	} catch (err) {
		pageError(err);
	}
};
