import { error, redirect, type Handle, type HandleServerError } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { sequence } from '@sveltejs/kit/hooks';
import { getAppContext } from '$lib/server/context';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/auth/session';
import { pageAccess, routePath } from '$lib/server/policy/page-access';
import { cleanedQuery, hasUnstorable } from '$lib/server/forms';
import { deleteSessionCookie, setSessionCookie } from '$lib/server/auth/session-cookie';

const context: Handle = async ({ event, resolve }) => {
	const ctx = getAppContext();
	// The host sets x-request-id (overwriting anything a client sent) so one id links
	// Fastify's and SvelteKit's log lines for a request.
	const requestId = event.request.headers.get('x-request-id') ?? crypto.randomUUID();
	event.locals.ctx = ctx;
	event.locals.requestId = requestId;
	event.locals.log = ctx.logger.child({ reqId: requestId });
	event.locals.user = null;
	event.locals.session = null;
	event.locals.sessionEnded = false;
	return resolve(event);
};

const authenticate: Handle = async ({ event, resolve }) => {
	const { ctx } = event.locals;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const result = await validateSessionToken(ctx.db, token, ctx.now());
		if (result) {
			event.locals.user = result.user;
			event.locals.session = result.session;
			if (result.renewed)
				setSessionCookie(event.cookies, token, result.session.expiresAt, ctx.config.secureCookies);
		} else {
			// Expired, revoked or tampered with: forget it, and say so on the sign-in page.
			deleteSessionCookie(event.cookies, ctx.config.secureCookies);
			event.locals.sessionEnded = true;
		}
	}
	return resolve(event);
};

const guard: Handle = async ({ event, resolve }) => {
	const { user, session } = event.locals;
	const viewer = user && session ? { user, session } : null;
	const access = pageAccess(event.url.pathname, event.url.search, viewer, { devTools: dev });
	// The host has already re-addressed concealed pages refused to this viewer, so SvelteKit
	// answers them as unknown addresses (src/server/address-rules.ts). Should a request
	// ever arrive here without that step, it is still refused before any load or action runs.
	if (access.kind === 'not_found') error(404, 'Page not found');
	if (access.kind === 'redirect') {
		const ended = event.locals.sessionEnded && access.to.startsWith('/login');
		redirect(303, ended ? `${access.to}${access.to.includes('?') ? '&' : '?'}notice=signed-out` : access.to);
	}
	const response = await resolve(event);
	// Pages behind sign-in are personal: never cached by shared caches or the back button of another user.
	if (user) response.headers.set('cache-control', 'private, no-store');
	return response;
};

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

export const CROSS_SITE_MESSAGE =
	'This form was sent from another website, or from an address for Muster other than its own, so it was not accepted. Nothing was changed.';

/**
 * Cross-site request forgery: a form may only be sent from Muster's own pages (the browser
 * says where from in Origin). Refused with a Muster page that says what happened; the log
 * names the origin expected and the one that came, since a wrong ORIGIN setting looks alike.
 */
const sameOrigin: Handle = async ({ event, resolve }) => {
	const { method } = event.request;
	if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return resolve(event);
	const expected = event.locals.ctx.config.origin;
	const came = event.request.headers.get('origin');
	if (came !== expected) {
		event.locals.log.warn(
			{ expectedOrigin: expected, origin: came ?? '(none)', path: event.url.pathname },
			`refused a form sent from ${came ?? 'no origin'}: Muster's ORIGIN is ${expected}`
		);
		error(403, CROSS_SITE_MESSAGE);
	}
	return resolve(event);
};

/**
 * Every page POST is a form: anything else, or a form body that cannot be read (a broken
 * multipart upload), is refused with a plain message rather than failing inside an action.
 */
const readableForm: Handle = async ({ event, resolve }) => {
	if (event.request.method !== 'POST') return resolve(event);
	const plain = (status: number, message: string) =>
		new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
	const type = event.request.headers.get('content-type') ?? '';
	if (!FORM_TYPES.test(type)) return plain(415, 'Send the form from its page in a web browser.');
	// Only a multipart body can be unreadable (a broken upload); URL-encoded forms always parse,
	// so the usual form is not read twice.
	if (/^multipart\//i.test(type)) {
		try {
			await event.request.clone().formData();
		} catch {
			return plain(400, 'The form could not be read. Go back to the page and send it again.');
		}
	}
	return resolve(event);
};

/**
 * Addresses are checked for characters that cannot be kept (forms.ts), as the host has
 * already done before SvelteKit (src/server/address-rules.ts): a query string holding one is
 * sent to the same page without them, which then says so (?cleaned=1), so a search box never
 * silently searches for other text; a path holding one names nothing.
 */
const cleanAddress: Handle = async ({ event, resolve }) => {
	const path = routePath(event.url.pathname);
	if (path !== null && hasUnstorable(path)) error(404, 'Page not found');
	const method = event.request.method;
	const cleaned = method === 'GET' || method === 'HEAD' ? cleanedQuery(event.url.search) : undefined;
	if (cleaned !== undefined) redirect(303, `${event.url.pathname}${cleaned}`);
	return resolve(event);
};

export const handle = sequence(context, sameOrigin, cleanAddress, readableForm, authenticate, guard);

export const handleError: HandleServerError = ({ error: err, event, status }) => {
	const requestId = event.locals.requestId;
	if (status >= 500) {
		(event.locals.log ?? console).error({ err, url: event.url.pathname }, 'error while rendering a page');
		return { message: 'Sorry, there is a problem with Muster. Try again later.', requestId };
	}
	return { message: status === 404 ? 'Page not found' : 'Sorry, that did not work.', requestId };
};
