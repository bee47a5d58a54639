import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { formatDateTime } from '$lib/server/format';

// Development and test only: every e-mail Muster would have sent. Absent in production.
export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.ctx.config.nodeEnv === 'production') error(404, 'Page not found');
	const to = url.searchParams.get('to')?.trim().slice(0, 254) ?? '';
	let query = locals.ctx.db
		.selectFrom('outbox')
		.select(['id', 'toAddress', 'subject', 'textBody', 'createdAt'])
		.orderBy('id', 'desc')
		.limit(50);
	if (to) query = query.where('toAddress', '=', to);
	const messages = await query.execute();
	return {
		to,
		messages: messages.map((m) => ({ ...m, createdAt: formatDateTime(m.createdAt) }))
	};
};
