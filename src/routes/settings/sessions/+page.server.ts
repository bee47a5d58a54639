import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { listSessions, revokeSessions } from '$lib/server/accounts/profile.service';
import { requestMeta } from '$lib/server/web/actions';
import { describeUserAgent } from '$lib/server/web/user-agent';
import { formatDateTime } from '$lib/format';
import { cleanText } from '$lib/server/forms';

export const load: PageServerLoad = async ({ locals }) => {
	const sessions = await listSessions(locals.ctx, locals.user!.id, locals.session!.id);
	return {
		sessions: sessions.map((s) => ({
			id: s.id,
			device: describeUserAgent(s.userAgent),
			ipAddress: s.ipAddress ?? 'Unknown',
			signedIn: formatDateTime(s.createdAt),
			lastSeen: formatDateTime(s.lastSeenAt),
			current: s.current
		}))
	};
};

export const actions: Actions = {
	one: async (event) => {
		const form = await event.request.formData();
		const sessionId = cleanText(String(form.get('session') ?? '')).slice(0, 100);
		const ended = await revokeSessions(
			event.locals.ctx,
			event.locals.user!,
			event.locals.session!.id,
			{ sessionId },
			requestMeta(event)
		);
		// Say what happened: an id that is not one of your other devices changes nothing.
		redirect(303, `/settings/sessions?notice=${ended > 0 ? 'session-revoked' : 'session-gone'}`);
	},
	others: async (event) => {
		const ended = await revokeSessions(
			event.locals.ctx,
			event.locals.user!,
			event.locals.session!.id,
			'others',
			requestMeta(event)
		);
		redirect(303, `/settings/sessions?notice=${ended > 0 ? 'sessions-revoked' : 'no-other-sessions'}`);
	}
};
