/**
 * Which pages a visitor may open, given who they are and how far through signing in
 * they have got. One function, asked by the server hook for every page request.
 * Muster is closed: everything but the pages below needs a signed-in, confirmed account.
 */
import type { Session, SessionUser } from '../auth/session.ts';

export type Viewer = { user: SessionUser; session: Session } | null;
export type PageAccess = { kind: 'allow' } | { kind: 'redirect'; to: string } | { kind: 'not_found' };

const PUBLIC = [
	/^\/login$/,
	/^\/register(\/check-email)?$/,
	/^\/reset-password(\/[^/]+)?$/,
	/^\/set-password\/[^/]+$/,
	/^\/verify-email\/[^/]+$/,
	/^\/setup\/[^/]+$/,
	/^\/accessibility$/,
	/^\/dev\/outbox$/
];
/** Pages for someone who gave the password but not yet the second factor. */
const SECOND_FACTOR = [/^\/login\/two-factor$/, /^\/login\/recovery-code$/, /^\/logout$/];
/** Pages for someone whose e-mail address is not yet confirmed. */
const UNCONFIRMED = [/^\/verify-email$/, /^\/logout$/];
/** Pages that need two-factor turned on first (site administration; group moderation later). */
const NEEDS_TWO_FACTOR = [/^\/admin(\/|$)/];

const matches = (patterns: RegExp[], path: string) => patterns.some((p) => p.test(path));

export function pageAccess(pathname: string, search: string, viewer: Viewer): PageAccess {
	const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
	const signedIn = viewer !== null && (!viewer.user.twoFactorEnabled || viewer.session.twoFactorVerified);

	if (matches(PUBLIC, path)) {
		if (signedIn && viewer.user.emailVerified && (path === '/login' || path.startsWith('/register'))) {
			return { kind: 'redirect', to: '/' };
		}
		return { kind: 'allow' };
	}
	if (viewer === null) {
		const next = path === '/' ? '' : `?next=${encodeURIComponent(path + search)}`;
		return { kind: 'redirect', to: `/login${next}` };
	}
	if (!signedIn) {
		return matches(SECOND_FACTOR, path) ? { kind: 'allow' } : { kind: 'redirect', to: '/login/two-factor' };
	}
	if (matches(SECOND_FACTOR, path) && path !== '/logout') return { kind: 'redirect', to: '/' };
	if (!viewer.user.emailVerified) {
		return matches(UNCONFIRMED, path) ? { kind: 'allow' } : { kind: 'redirect', to: '/verify-email' };
	}
	if (path === '/verify-email') return { kind: 'redirect', to: '/' };
	if (path === '/admin' || path.startsWith('/admin/')) {
		// Not "forbidden": non-administrators are not told the pages exist.
		if (!viewer.user.isAdmin) return { kind: 'not_found' };
	}
	if (matches(NEEDS_TWO_FACTOR, path) && !viewer.user.twoFactorEnabled) {
		return { kind: 'redirect', to: '/settings/two-factor?required=1' };
	}
	return { kind: 'allow' };
}
