/**
 * Sessions as the Lucia guide describes them (lucia-auth.com, "Basic session API" and
 * "Session cookies"): a random token in an HttpOnly cookie, only its SHA-256 stored,
 * 30-day expiry that slides forward while in use, a new token at every sign-in.
 */
import type { Kysely } from 'kysely';
import type { AccountKind, AccountStatus, Database, Row } from '../db/schema.ts';
import { generateToken, hashToken } from './tokens.ts';
import { reusableQuery } from '../db/reusable-query.ts';

export const SESSION_COOKIE = 'muster_session';
const DAY = 24 * 60 * 60 * 1000;
export const SESSION_TTL_MS = 30 * DAY;
/** Extend a session once less than this is left, so active people stay signed in. */
const RENEW_WITHIN_MS = 15 * DAY;
/** "Last seen" is for the devices list; a few minutes' precision saves a write per request. */
const LAST_SEEN_RESOLUTION_MS = 5 * 60 * 1000;

export interface SessionUser {
	id: string;
	email: string;
	displayName: string;
	kind: AccountKind;
	isAdmin: boolean;
	status: AccountStatus;
	organisationId: number | null;
	emailVerified: boolean;
	twoFactorEnabled: boolean;
}

export interface Session {
	id: string;
	userId: string;
	expiresAt: Date;
	twoFactorVerified: boolean;
	createdAt: Date;
}

export interface SessionMeta {
	userAgent?: string | null;
	ipAddress?: string | null;
	twoFactorVerified?: boolean;
}

export async function createSession(
	db: Kysely<Database>,
	userId: string,
	meta: SessionMeta,
	now: Date
): Promise<{ token: string; session: Session }> {
	const token = generateToken();
	const session: Session = {
		id: hashToken(token),
		userId,
		expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
		twoFactorVerified: meta.twoFactorVerified ?? false,
		createdAt: now
	};
	await db
		.insertInto('sessions')
		.values({
			id: session.id,
			userId,
			createdAt: now,
			expiresAt: session.expiresAt,
			lastSeenAt: now,
			twoFactorVerified: session.twoFactorVerified,
			userAgent: meta.userAgent?.slice(0, 400) ?? null,
			ipAddress: meta.ipAddress ?? null
		})
		.execute();
	return { token, session };
}

export interface ValidatedSession {
	session: Session;
	user: SessionUser;
	/** True when the expiry moved: the cookie must be set again. */
	renewed: boolean;
}

/** The session and its account: every signed-in request asks, so it is built once. */
const sessionWithUser = reusableQuery((db, p: { sessionId: string }) =>
	db
		.selectFrom('sessions')
		.innerJoin('users', 'users.id', 'sessions.userId')
		.select([
			'sessions.id as sessionId',
			'sessions.expiresAt',
			'sessions.lastSeenAt',
			'sessions.twoFactorVerified',
			'sessions.createdAt',
			'users.id as userId',
			'users.email',
			'users.displayName',
			'users.kind',
			'users.isAdmin',
			'users.status',
			'users.organisationId',
			'users.emailVerifiedAt',
			'users.totpEnabledAt'
		])
		.where('sessions.id', '=', p.sessionId)
);

export async function validateSessionToken(
	db: Kysely<Database>,
	token: string,
	now: Date
): Promise<ValidatedSession | null> {
	if (!/^[a-z2-7]{32}$/.test(token)) return null;
	const sessionId = hashToken(token);
	const [row] = await sessionWithUser(db, { sessionId });
	if (!row) return null;
	if (row.expiresAt <= now || row.status !== 'active') {
		await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
		return null;
	}
	const session: Session = {
		id: row.sessionId,
		userId: row.userId,
		expiresAt: row.expiresAt,
		twoFactorVerified: row.twoFactorVerified,
		createdAt: row.createdAt
	};
	let renewed = false;
	const renew = row.expiresAt.getTime() - now.getTime() < RENEW_WITHIN_MS;
	const touch = now.getTime() - row.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS;
	if (renew || touch) {
		if (renew) {
			session.expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
			renewed = true;
		}
		await db
			.updateTable('sessions')
			.set({ lastSeenAt: now, expiresAt: session.expiresAt })
			.where('id', '=', sessionId)
			.execute();
	}
	return {
		session,
		renewed,
		user: accountFrom({ ...row, id: row.userId })
	};
}

type AccountRow = Pick<
	Row<'users'>,
	| 'id'
	| 'email'
	| 'displayName'
	| 'kind'
	| 'isAdmin'
	| 'status'
	| 'organisationId'
	| 'emailVerifiedAt'
	| 'totpEnabledAt'
>;

/** The account as the policy sees it, from its row. */
function accountFrom(row: AccountRow): SessionUser {
	return {
		id: row.id,
		email: row.email,
		displayName: row.displayName,
		kind: row.kind,
		isAdmin: row.isAdmin,
		status: row.status,
		organisationId: row.organisationId,
		emailVerified: row.emailVerifiedAt !== null,
		twoFactorEnabled: row.totpEnabledAt !== null
	};
}

/**
 * An account as the policy sees it when no session is involved (a background job deciding
 * what someone may be told): the same fields a signed-in request carries.
 */
export async function loadAccount(db: Kysely<Database>, userId: string): Promise<SessionUser | undefined> {
	const row = await db
		.selectFrom('users')
		.select([
			'id',
			'email',
			'displayName',
			'kind',
			'isAdmin',
			'status',
			'organisationId',
			'emailVerifiedAt',
			'totpEnabledAt'
		])
		.where('id', '=', userId)
		.executeTakeFirst();
	return row ? accountFrom(row) : undefined;
}

export async function invalidateSession(db: Kysely<Database>, sessionId: string): Promise<void> {
	await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Signs the account out everywhere (optionally keeping one session). Returns how many ended. */
export async function invalidateUserSessions(
	db: Kysely<Database>,
	userId: string,
	exceptSessionId?: string
): Promise<number> {
	let query = db.deleteFrom('sessions').where('userId', '=', userId);
	if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
	const result = await query.executeTakeFirst();
	return Number(result.numDeletedRows);
}

/**
 * The second factor was given: the token that only knew the password ends, and a new one,
 * fully signed in, takes its place (OWASP session management: renew the id when privilege
 * changes), so a token seen before the code step is worth nothing after it.
 */
export async function replaceWithVerifiedSession(
	db: Kysely<Database>,
	sessionId: string,
	now: Date
): Promise<{ token: string; session: Session }> {
	const old = await db
		.deleteFrom('sessions')
		.where('id', '=', sessionId)
		.returning(['userId', 'userAgent', 'ipAddress'])
		.executeTakeFirstOrThrow();
	return createSession(
		db,
		old.userId,
		{ userAgent: old.userAgent, ipAddress: old.ipAddress, twoFactorVerified: true },
		now
	);
}

export async function markSessionTwoFactorVerified(db: Kysely<Database>, sessionId: string): Promise<void> {
	await db.updateTable('sessions').set({ twoFactorVerified: true }).where('id', '=', sessionId).execute();
}
