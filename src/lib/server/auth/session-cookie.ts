/**
 * The session cookie, read and written in one place: the page hooks, the host's
 * concealed-route check and the WebSocket hub all find the token the same way.
 */
import { parse } from 'cookie';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { SESSION_COOKIE, validateSessionToken, type ValidatedSession } from './session.ts';

/** The session token in a raw Cookie header, if there is one. */
export function sessionTokenFrom(cookieHeader: string | undefined): string | undefined {
	if (!cookieHeader) return undefined;
	return parse(cookieHeader)[SESSION_COOKIE] || undefined;
}

/** The signed-in session a raw Cookie header carries, or null (none, expired, revoked, tampered). */
export async function sessionFromCookieHeader(
	db: Kysely<Database>,
	cookieHeader: string | undefined,
	now: Date
): Promise<ValidatedSession | null> {
	const token = sessionTokenFrom(cookieHeader);
	return token ? validateSessionToken(db, token, now) : null;
}

/** What writing the cookie needs of SvelteKit's `cookies` (kept structural: no HTTP framework here). */
interface CookieJar {
	set(name: string, value: string, options: CookieOptions): void;
	delete(name: string, options: CookieOptions): void;
}
interface CookieOptions {
	httpOnly: boolean;
	sameSite: 'lax';
	secure: boolean;
	path: string;
	expires?: Date;
}

export function setSessionCookie(cookies: CookieJar, token: string, expiresAt: Date, secure: boolean): void {
	cookies.set(SESSION_COOKIE, token, {
		httpOnly: true,
		sameSite: 'lax',
		secure,
		path: '/',
		expires: expiresAt
	});
}

export function deleteSessionCookie(cookies: CookieJar, secure: boolean): void {
	cookies.delete(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}
