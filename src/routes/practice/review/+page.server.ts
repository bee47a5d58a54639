import type { PageServerLoad } from './$types';
import { reviewQueue } from '$lib/server/practice/practice-queues.service';
import { formatDate } from '$lib/format';

export const load: PageServerLoad = async ({ locals }) => {
	const queue = await reviewQueue(locals.ctx, locals.user!);
	return {
		items: queue.items.map((i) => ({ ...i, submitted: formatDate(i.submittedAt) })),
		needsTwoFactor: queue.needsTwoFactor
	};
};
