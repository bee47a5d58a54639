/**
 * Signing in and out: wrong passwords, the lock after five failures, sessions (rotation,
 * cookie flags, sliding expiry, tampered cookies), suspended accounts and `next`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { WebClient, textOf, type WebResponse } from '../support/web-client.ts';
import { PASSWORD, createUser } from '../support/accounts.ts';
import { hashToken } from '../../src/lib/server/auth/tokens.ts';

let host: TestHost;
let clock = new Date('2026-11-28T10:00:00Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
let serial = 0;
const fresh = (what: string) => `${what}.${++serial}@kent.police.uk`;

beforeAll(async () => {
	host = await createTestHost('sign-in', { now: () => clock });
});
afterAll(async () => {
	await host?.close();
});

const client = () => new WebClient(host.app, host.ctx.config.origin);
const login = (c: WebClient, email: string, password = PASSWORD, next?: string) =>
	c.post(next === undefined ? '/login' : `/login?next=${encodeURIComponent(next)}`, { email, password });
const sessionCookie = (res: WebResponse) => res.setCookies.find((c) => c.startsWith('muster_session='));
const sessionsOf = async (userId: string) =>
	host.ctx.db.selectFrom('sessions').select('id').where('userId', '=', userId).execute();

const WRONG = 'The e-mail address or password is incorrect';
const SIGNED_OUT = 'You have been signed out. Sign in again to continue.';

describe('wrong passwords and the lock', () => {
	it('a wrong password says so, keeps the address and never echoes the password', async () => {
		const user = await createUser(host.ctx, 'wrong.password@kent.police.uk');
		const res = await login(client(), user.email, 'not-the-password-at-all');
		expect(res.status).toBe(400);
		expect(textOf(res.body)).toContain(WRONG);
		expect(res.body).toContain('value="wrong.password@kent.police.uk"');
		expect(res.body).not.toContain('not-the-password-at-all');
		expect(sessionCookie(res)).toBeUndefined();
	});

	it('five failures lock a known and an unknown address alike, naming the time to retry', async () => {
		clock = new Date('2026-11-28T11:00:00Z');
		const known = await createUser(host.ctx, 'locked.out@kent.police.uk');
		const unknown = 'nobody.here@kent.police.uk';
		const locked =
			'There have been too many failed attempts to sign in to this account. Try again after 11:15am, or reset your password.';
		for (let attempt = 1; attempt <= 5; attempt++) {
			const a = await login(client(), known.email, `wrong-guess-number-${attempt}`);
			const b = await login(client(), unknown, `wrong-guess-number-${attempt}`);
			expect([a.status, b.status]).toEqual(attempt < 5 ? [400, 400] : [429, 429]);
			expect(textOf(a.body)).toBe(textOf(b.body));
			expect(textOf(a.body)).toContain(attempt < 5 ? WRONG : locked);
		}
		// Even the right password is refused while the lock lasts, with the same words.
		clock = new Date('2026-11-28T11:14:00Z');
		const right = await login(client(), known.email);
		expect(right.status).toBe(429);
		expect(textOf(right.body)).toContain(locked);
		expect(sessionCookie(right)).toBeUndefined();
		expect(await sessionsOf(known.id)).toEqual([]);

		const audit = await host.ctx.db
			.selectFrom('auditLog')
			.select(['targetType', 'targetId', 'targetLabel', 'details'])
			.where('action', '=', 'auth.locked')
			.orderBy('id')
			.execute();
		expect(audit).toEqual([
			{
				targetType: 'user',
				targetId: known.id,
				targetLabel: known.email,
				details: { failures: 5, lockedUntil: '2026-11-28T11:15:00.000Z' }
			},
			{
				targetType: 'email',
				targetId: unknown,
				targetLabel: null,
				details: { failures: 5, lockedUntil: '2026-11-28T11:15:00.000Z' }
			}
		]);

		clock = new Date('2026-11-28T11:15:01Z');
		const after = await login(client(), known.email);
		expect(after.status).toBe(303);
		expect(after.location).toBe('/');
		expect(sessionCookie(after)).toBeDefined();
	});
});

describe('sessions', () => {
	it('the cookie is HttpOnly, SameSite=Lax, for the whole site, 30 days, not Secure on http', async () => {
		const user = await createUser(host.ctx, 'cookie.flags@kent.police.uk');
		const res = await login(client(), user.email);
		expect(host.ctx.config.origin).toMatch(/^http:/);
		const cookie = sessionCookie(res)!;
		const attributes = cookie.split(';').map((a) => a.trim());
		expect(attributes).toEqual(
			expect.arrayContaining([
				'HttpOnly',
				'SameSite=Lax',
				'Path=/',
				`Expires=${new Date(clock.getTime() + 30 * DAY).toUTCString()}`
			])
		);
		expect(attributes.some((a) => /^secure$/i.test(a))).toBe(false);
		// Only the SHA-256 of the token is stored.
		const token = cookie.split(';')[0]!.split('=')[1]!;
		expect(await sessionsOf(user.id)).toEqual([{ id: hashToken(token) }]);
	});

	it('signing in again gives a new token, and the old one stops working', async () => {
		// An unconfirmed account can post the sign-in form while holding a session.
		const user = await createUser(host.ctx, 'rotate.me@kent.police.uk', { verified: false });
		const c = client();
		await login(c, user.email);
		const first = c.cookies.get('muster_session')!;
		const again = await login(c, user.email);
		expect(again.status).toBe(303);
		const second = c.cookies.get('muster_session')!;
		expect(second).toMatch(/^[a-z2-7]{32}$/);
		expect(second).not.toBe(first);
		expect(await sessionsOf(user.id)).toEqual([{ id: hashToken(second) }]);

		const stale = client();
		stale.cookies.set('muster_session', first);
		const res = await stale.get('/verify-email');
		expect(res.status).toBe(303);
		expect(res.location).toBe('/login?next=%2Fverify-email&notice=signed-out');
		expect((await c.get('/verify-email')).status).toBe(200);
	});

	it('signing out is a POST: a GET changes nothing; the POST ends the session', async () => {
		const user = await createUser(host.ctx, 'sign.out@kent.police.uk');
		const c = client();
		await login(c, user.email);
		const token = c.cookies.get('muster_session')!;
		const get = await c.get('/logout');
		expect(get.status).toBe(303);
		expect(get.location).toBe('/');
		expect((await c.get('/')).status).toBe(200);

		const post = await c.post('/logout');
		expect(post.status).toBe(303);
		expect(post.location).toBe('/login?notice=signed-out-by-you');
		expect(sessionCookie(post)).toMatch(/^muster_session=;.*Max-Age=0/);
		expect(c.cookies.has('muster_session')).toBe(false);
		expect(await sessionsOf(user.id)).toEqual([]);
		expect(textOf((await c.get(post.location!)).body)).toContain('You have signed out.');

		const replay = client();
		replay.cookies.set('muster_session', token);
		expect((await replay.get('/')).location).toBe('/login?notice=signed-out');
	});

	it.each([
		['an unknown token', () => 'a'.repeat(32)],
		['a tampered token', (real: string) => real.slice(0, -1) + (real.endsWith('a') ? 'b' : 'a')],
		['a malformed value', () => '<script>alert(1)</script>']
	])('%s sends you to sign in, says you were signed out and clears the cookie', async (_, forge) => {
		const user = await createUser(host.ctx, fresh('tamper'));
		const real = client();
		await login(real, user.email);
		const c = client();
		c.cookies.set('muster_session', forge(real.cookies.get('muster_session')!));
		const res = await c.get('/');
		expect(res.status).toBe(303);
		expect(res.location).toBe('/login?notice=signed-out');
		expect(sessionCookie(res)).toMatch(/^muster_session=;.*Max-Age=0/);
		const page = await c.get(res.location!);
		expect(page.status).toBe(200);
		expect(textOf(page.body)).toContain(SIGNED_OUT);
		expect((await real.get('/')).status).toBe(200);
	});

	it('sliding expiry: renewed when in use after 20 days, signed out after 31 idle days', async () => {
		const user = await createUser(host.ctx, 'sliding@kent.police.uk');
		const c = client();
		await login(c, user.email);
		const start = clock.getTime();

		clock = new Date(start + 10 * DAY);
		const early = await c.get('/');
		expect(early.status).toBe(200);
		expect(sessionCookie(early)).toBeUndefined();

		clock = new Date(start + 20 * DAY);
		const renewed = await c.get('/');
		expect(renewed.status).toBe(200);
		expect(sessionCookie(renewed)).toContain(`Expires=${new Date(start + 50 * DAY).toUTCString()}`);

		clock = new Date(start + 51 * DAY);
		const expired = await c.get('/settings');
		expect(expired.status).toBe(303);
		expect(expired.location).toBe('/login?next=%2Fsettings&notice=signed-out');
		expect(c.cookies.has('muster_session')).toBe(false);
		expect(await sessionsOf(user.id)).toEqual([]);
	});
});

describe('suspended accounts', () => {
	it('are refused with a clear message after the right password, and only then', async () => {
		const user = await createUser(host.ctx, 'suspended@kent.police.uk');
		await host.ctx.db.updateTable('users').set({ status: 'suspended' }).where('id', '=', user.id).execute();
		const res = await login(client(), user.email);
		expect(res.status).toBe(403);
		expect(textOf(res.body)).toContain(
			'Your account has been suspended. If you think this is a mistake, contact a Muster administrator.'
		);
		expect(sessionCookie(res)).toBeUndefined();
		expect(await sessionsOf(user.id)).toEqual([]);
		// A wrong password does not reveal the suspension.
		const wrong = await login(client(), user.email, 'a-wrong-password-here');
		expect(wrong.status).toBe(400);
		expect(textOf(wrong.body)).toContain(WRONG);
		expect(textOf(wrong.body)).not.toContain('suspended');
	});
});

describe('where sign-in leads', () => {
	it('a signed-out visitor is sent to sign in with the page to come back to', async () => {
		const res = await client().get('/settings/password?x=1');
		expect(res.status).toBe(303);
		expect(res.location).toBe('/login?next=%2Fsettings%2Fpassword%3Fx%3D1');
	});

	it.each([
		['/settings', '/settings'],
		['/settings/sessions?tab=1', '/settings/sessions?tab=1'],
		['//evil.example', '/'],
		['https://evil.example/', '/'],
		['/\\evil.example', '/'],
		['javascript:alert(1)', '/'],
		// Browsers drop tabs and newlines from URLs: "/\t/evil.example" is "//evil.example".
		['/\t/evil.example', '/'],
		['/\n/evil.example', '/'],
		// Dot segments that resolve to a protocol-relative "//evil.example" (outside review).
		['/.//evil.example', '/'],
		['/login/../..//evil.example', '/'],
		['/%2e//evil.example', '/']
	])('next=%j leads to %s, never to another site', async (next, expected) => {
		const user = await createUser(host.ctx, fresh('next'));
		const res = await login(client(), user.email, PASSWORD, next);
		expect(res.status).toBe(303);
		const origin = host.ctx.config.origin;
		expect(new URL(res.location!, origin).origin).toBe(origin);
		expect(res.location).toBe(expected);
	});
});
