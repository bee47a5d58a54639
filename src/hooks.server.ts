import type { Handle, HandleServerError } from '@sveltejs/kit';
import { getAppContext } from '$lib/server/context';

export const handle: Handle = async ({ event, resolve }) => {
	const ctx = getAppContext();
	// The host sets x-request-id (overwriting anything a client sent) so one id links
	// Fastify's and SvelteKit's log lines for a request.
	const requestId = event.request.headers.get('x-request-id') ?? crypto.randomUUID();
	event.locals.ctx = ctx;
	event.locals.requestId = requestId;
	event.locals.log = ctx.logger.child({ reqId: requestId });
	return resolve(event);
};

export const handleError: HandleServerError = ({ error, event, status }) => {
	const requestId = event.locals.requestId;
	if (status >= 500) {
		(event.locals.log ?? console).error(
			{ err: error, url: event.url.pathname },
			'error while rendering a page'
		);
		return { message: 'Sorry, there is a problem with Muster. Try again later.', requestId };
	}
	return { message: status === 404 ? 'Page not found' : 'Sorry, that did not work.', requestId };
};
