import type { PageServerLoad } from './$types';
import { searchUsers } from '$lib/server/accounts/admin.service';
import { formatDate } from '$lib/format';
import { isUuid } from '$lib/server/ids';
import { searchQuery } from '$lib/server/forms';

function decodeCursor(value: string | null): { createdAt: Date; id: string } | undefined {
	const match = value?.match(/^(\d{1,15})_(.+)$/);
	return match && isUuid(match[2]!) ? { createdAt: new Date(Number(match[1])), id: match[2]! } : undefined;
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const { q, error: qError } = searchQuery(url.searchParams, 'q', 200);
	const result = await searchUsers(locals.ctx, qError ? '' : q, decodeCursor(url.searchParams.get('after')));
	return {
		q,
		qError,
		users: result.users.map((u) => ({ ...u, createdAt: formatDate(u.createdAt) })),
		next: result.next ? `${result.next.createdAt.getTime()}_${result.next.id}` : null,
		paged: url.searchParams.has('after')
	};
};
