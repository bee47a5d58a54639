/**
 * What the host does with an address before SvelteKit sees it. SvelteKit picks the route
 * before its server hook runs, so two rules that must decide which route answers live here
 * (the hook applies the same rules again, and refuses on its own if this step is skipped):
 *
 * 0. One address for Muster: a page asked for by another name (http://127.0.0.1:3000 when
 *    ORIGIN is http://localhost:3000) is sent to the same page at ORIGIN, where its forms work
 *    (a form is accepted only from ORIGIN's own pages; see hooks.server.ts).
 * 1. Text that cannot be kept (forms.ts): a query string holding such characters is sent to
 *    the same address without them, saying so (?cleaned=1); a path holding them has each
 *    replaced by U+FFFD, so it names nothing and is answered as any missing page is.
 * 2. Concealed trees (site administration, development tools) answer everyone who may not
 *    see them exactly as an address that does not exist: same status, page and headers, for
 *    the page, its `__data.json` and its form actions alike. SvelteKit still serialises a
 *    page's data when a layout refuses, so the request is re-addressed to a path of the same
 *    depth that no route matches, and SvelteKit gives its own answer for an unknown address.
 */
import type { IncomingMessage } from 'node:http';
import type { AppContext } from '../lib/server/context.ts';
import { sessionFromCookieHeader } from '../lib/server/auth/session-cookie.ts';
import { mayBeConcealed, pageAccess } from '../lib/server/policy/page-access.ts';
import { cleanedQuery, hasUnstorable, replaceUnstorable } from '../lib/server/forms.ts';

/** No route lives here. It replaces the first path segment, so relative asset paths stay the same. */
const UNKNOWN_SEGMENT = '__unknown';

const DATA_SUFFIX = /\/__data\.json$/;

/** Each path segment with the characters that cannot be kept replaced (undefined: nothing to replace). */
function replacedPath(pathname: string): string | undefined {
	let changed = false;
	const segments = pathname.split('/').map((segment) => {
		let decoded: string;
		try {
			decoded = decodeURIComponent(segment);
		} catch {
			return segment; // SvelteKit answers a malformed address itself
		}
		if (!hasUnstorable(decoded)) return segment;
		changed = true;
		return encodeURIComponent(replaceUnstorable(decoded));
	});
	return changed ? segments.join('/') : undefined;
}

const bare = (hostname: string) => hostname.toLowerCase().replace(/^\[|\]$/g, '');

export async function applyAddressRules(
	ctx: AppContext,
	request: IncomingMessage,
	options: {
		devTools: boolean;
		/** The host name the request was sent to (through trusted proxies, the one they were sent to). */
		hostname?: string;
	}
): Promise<{ redirect?: string }> {
	const url = request.url ?? '/';
	const query = url.indexOf('?');
	const rawPath = query < 0 ? url : url.slice(0, query);
	const search = query < 0 ? '' : url.slice(query);

	if (request.method === 'GET' || request.method === 'HEAD') {
		const origin = new URL(ctx.config.origin);
		if (options.hostname && bare(options.hostname) !== bare(origin.hostname)) {
			return { redirect: `${ctx.config.origin}${url}` };
		}
		const cleaned = cleanedQuery(search);
		if (cleaned !== undefined) return { redirect: `${rawPath}${cleaned}` };
	}
	const replaced = replacedPath(rawPath);
	if (replaced !== undefined) {
		request.url = `${replaced}${search}`;
		return {};
	}

	const pathname = rawPath.replace(DATA_SUFFIX, '') || '/';
	if (!mayBeConcealed(pathname)) return {};
	let refused: boolean;
	try {
		const validated = await sessionFromCookieHeader(ctx.db, request.headers.cookie, ctx.now());
		const viewer = validated ? { user: validated.user, session: validated.session } : null;
		refused = pageAccess(pathname, search, viewer, options).kind === 'not_found';
	} catch (error) {
		// Closed when in doubt: without a session check nobody is shown these pages.
		ctx.logger.warn({ err: error }, 'could not check access to a concealed page; answering not found');
		refused = true;
	}
	if (refused) request.url = url.replace(/^\/[^/?]*/, `/${UNKNOWN_SEGMENT}`);
	return {};
}
