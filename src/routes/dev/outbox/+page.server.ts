import type { PageServerLoad } from './$types';
import { formatDateTime } from '$lib/format';

// Every e-mail Muster would have sent. Only under `npm run dev`, and only for administrators:
// the page-access policy conceals /dev from everyone else (and from everyone in a build).
export const load: PageServerLoad = async ({ locals, url }) => {
	const to = url.searchParams.get('to')?.trim().slice(0, 254) ?? '';
	let query = locals.ctx.db
		.selectFrom('outbox')
		.select(['id', 'toAddress', 'subject', 'textBody', 'htmlBody', 'headers', 'createdAt'])
		.orderBy('id', 'desc')
		.limit(50);
	if (to) query = query.where('toAddress', '=', to);
	const messages = await query.execute();
	return {
		to,
		messages: messages.map((m) => ({ ...m, createdAt: formatDateTime(m.createdAt) }))
	};
};
