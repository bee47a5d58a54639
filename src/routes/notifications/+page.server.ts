import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { listNotifications, markAllRead } from '$lib/server/notifications/notification-list.service';

export const load: PageServerLoad = async ({ locals, url }) => {
	const before = url.searchParams.get('before') ?? '';
	const page = await listNotifications(
		locals.ctx,
		locals.user!,
		/^\d{1,15}$/.test(before) ? Number(before) : undefined
	);
	return { ...page, older: page.older ? `/notifications?before=${page.older}` : null, paged: before !== '' };
};

export const actions: Actions = {
	readAll: async ({ locals, request }) => {
		const upTo = String((await request.formData()).get('upTo') ?? '');
		// Only what the person was shown: anything newer stays unread.
		if (/^\d{1,15}$/.test(upTo)) await markAllRead(locals.ctx, locals.user!, Number(upTo));
		redirect(303, '/notifications?notice=notifications-read');
	}
};
