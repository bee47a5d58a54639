/**
 * Concealed trees (site administration, development tools) must answer everyone who may
 * not see them exactly as an address that does not exist answers: same status, same page,
 * same headers, for the page, its `__data.json` and its form actions alike.
 *
 * SvelteKit picks the route before its server hook runs, and still serialises the page's
 * data when a layout refuses (a layout load does not protect its pages). So the host asks
 * the page-access policy first and, when the answer is "not found", re-addresses the request
 * to a path of the same depth that no route matches: SvelteKit then gives its own answer for
 * an unknown address.
 * The server hook asks the same policy again for every request (and refuses on its own if
 * this step was ever skipped).
 */
import type { IncomingMessage } from 'node:http';
import type { AppContext } from '../lib/server/context.ts';
import { sessionFromCookieHeader } from '../lib/server/auth/session-cookie.ts';
import { mayBeConcealed, pageAccess } from '../lib/server/policy/page-access.ts';

/** No route lives here. It replaces the first path segment, so relative asset paths stay the same. */
export const UNKNOWN_SEGMENT = '__unknown';

const DATA_SUFFIX = /\/__data\.json$/;

export async function concealRefusedRoute(
	ctx: AppContext,
	request: IncomingMessage,
	options: { devTools: boolean }
): Promise<void> {
	const url = request.url ?? '/';
	const query = url.indexOf('?');
	const pathname = (query < 0 ? url : url.slice(0, query)).replace(DATA_SUFFIX, '') || '/';
	if (!mayBeConcealed(pathname)) return;
	let refused: boolean;
	try {
		const validated = await sessionFromCookieHeader(ctx.db, request.headers.cookie, ctx.now());
		const viewer = validated ? { user: validated.user, session: validated.session } : null;
		const search = query < 0 ? '' : url.slice(query);
		refused = pageAccess(pathname, search, viewer, options).kind === 'not_found';
	} catch (error) {
		// Closed when in doubt: without a session check nobody is shown these pages.
		ctx.logger.warn({ err: error }, 'could not check access to a concealed page; answering not found');
		refused = true;
	}
	if (refused) request.url = url.replace(/^\/[^/?]*/, `/${UNKNOWN_SEGMENT}`);
}
