/**
 * Which pages a visitor may open, given who they are and how far through signing in
 * they have got. One function, asked for every page, `__data.json` and form action: by
 * the server hook, and before SvelteKit by the host for the concealed trees below.
 * Muster is closed: everything but the pages below needs a signed-in, confirmed account.
 */
import type { Session, SessionUser } from '../auth/session.ts';
import { mayAdminister } from './site.policy.ts';

export type Viewer = { user: SessionUser; session: Session } | null;
export type PageAccess = { kind: 'allow' } | { kind: 'redirect'; to: string } | { kind: 'not_found' };

export interface PageAccessOptions {
	/** Development tools (the outbox page) exist: only under `npm run dev`. */
	devTools?: boolean;
}

const PUBLIC = [
	/^\/login$/,
	/^\/register(\/check-email)?$/,
	/^\/reset-password(\/[^/]+)?$/,
	/^\/set-password\/[^/]+$/,
	/^\/verify-email\/[^/]+$/,
	/^\/setup\/[^/]+$/,
	/^\/unsubscribe\/[^/]+$/,
	/^\/accessibility$/
];
/** Pages for someone who gave the password but not yet the second factor. */
const SECOND_FACTOR = [/^\/login\/two-factor$/, /^\/login\/recovery-code$/, /^\/logout$/];
/** Pages for someone whose e-mail address is not yet confirmed. */
const UNCONFIRMED = [/^\/verify-email$/, /^\/logout$/];

/**
 * Trees that exist only for some viewers. Everyone else is answered exactly as for an
 * address that does not exist, so nobody learns they are there.
 */
export const CONCEALED_TREES = ['/admin', '/dev'] as const;

const under = (path: string, tree: string) => path === tree || path.startsWith(`${tree}/`);
const matches = (patterns: RegExp[], path: string) => patterns.some((p) => p.test(path));

/**
 * The path as SvelteKit matches it against routes: percent-decoded (except "%25") and
 * without trailing slashes, so "/%61dmin/" is judged as the "/admin" it opens.
 */
export function routePath(pathname: string): string | null {
	let path: string;
	try {
		path = pathname.split('%25').map(decodeURI).join('%25');
	} catch {
		return null;
	}
	return path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
}

/** Might this path be concealed from some viewers? (Cheap: no session needed to answer.) */
export function mayBeConcealed(pathname: string): boolean {
	const path = routePath(pathname);
	return path !== null && CONCEALED_TREES.some((tree) => under(path, tree));
}

/** Signed in with every factor the account has: the password, and the code when two-factor is on. */
export function fullySignedIn(viewer: Viewer): viewer is NonNullable<Viewer> {
	return viewer !== null && (!viewer.user.twoFactorEnabled || viewer.session.twoFactorVerified);
}

export function pageAccess(
	pathname: string,
	search: string,
	viewer: Viewer,
	options: PageAccessOptions = {}
): PageAccess {
	// A path that cannot be decoded matches no route: SvelteKit answers it itself.
	const path = routePath(pathname) ?? pathname;
	const signedIn = fullySignedIn(viewer);

	if (matches(PUBLIC, path)) {
		if (signedIn && viewer.user.emailVerified && (path === '/login' || path.startsWith('/register'))) {
			return { kind: 'redirect', to: '/' };
		}
		return { kind: 'allow' };
	}
	if (viewer === null) {
		const back = pathname.length > 1 ? pathname.replace(/\/+$/, '') || '/' : pathname;
		const next = back === '/' ? '' : `?next=${encodeURIComponent(back + search)}`;
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
	// Site administration, and development tools where they exist, for administrators only;
	// not "forbidden": nobody else is told these pages exist.
	const administration = under(path, '/admin') || (under(path, '/dev') && options.devTools === true);
	if (under(path, '/dev') && !administration) return { kind: 'not_found' };
	if (administration) {
		if (!mayAdminister(viewer.user)) return { kind: 'not_found' };
		if (!viewer.user.twoFactorEnabled) return { kind: 'redirect', to: '/settings/two-factor?required=1' };
	}
	return { kind: 'allow' };
}
