import type { PageServerLoad } from './$types';
import { myPractice } from '$lib/server/practice/practice-queues.service';
import { formatDate } from '$lib/format';

export const load: PageServerLoad = async ({ locals }) => {
	const items = await myPractice(locals.ctx, locals.user!);
	return { items: items.map((i) => ({ ...i, updated: formatDate(i.updatedAt) })) };
};
