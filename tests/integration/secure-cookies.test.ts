/**
 * Behind an https ORIGIN the session cookie is Secure, whenever it is set or cleared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { WebClient, textOf, type WebResponse } from '../support/web-client.ts';
import { PASSWORD, createUser } from '../support/accounts.ts';

const ORIGIN = 'https://muster.example.org';
const DAY = 24 * 60 * 60 * 1000;

let host: TestHost;
let clock = new Date('2026-11-28T10:00:00Z');

beforeAll(async () => {
	host = await createTestHost('secure-cookies', { now: () => clock, env: { ORIGIN } });
});
afterAll(async () => {
	await host?.close();
});

const sessionCookie = (res: WebResponse) => res.setCookies.find((c) => c.startsWith('muster_session='));
const attributes = (cookie: string | undefined) => (cookie ?? '').split(';').map((a) => a.trim());

describe('an https origin', () => {
	it('is the configured origin', () => {
		expect(host.ctx.config.origin).toBe(ORIGIN);
		expect(host.ctx.config.secureCookies).toBe(true);
	});

	it('signing in sets a Secure, HttpOnly, SameSite=Lax cookie for the whole site', async () => {
		const user = await createUser(host.ctx, 'secure.signin@kent.police.uk');
		const c = new WebClient(host.app, ORIGIN);
		const res = await c.post('/login', { email: user.email, password: PASSWORD });
		expect(res.status).toBe(303);
		expect(res.location).toBe('/');
		expect(attributes(sessionCookie(res))).toEqual(
			expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Lax', 'Path=/'])
		);
		expect((await c.get('/')).status).toBe(200);
	});

	it('a renewed cookie and a cleared cookie are Secure too', async () => {
		const user = await createUser(host.ctx, 'secure.renew@kent.police.uk');
		const c = new WebClient(host.app, ORIGIN);
		await c.post('/login', { email: user.email, password: PASSWORD });
		clock = new Date(clock.getTime() + 20 * DAY);
		const renewed = await c.get('/');
		expect(renewed.status).toBe(200);
		expect(attributes(sessionCookie(renewed))).toEqual(expect.arrayContaining(['Secure', 'HttpOnly']));

		const out = await c.post('/logout');
		expect(out.location).toBe('/login?notice=signed-out-by-you');
		expect(attributes(sessionCookie(out))).toEqual(expect.arrayContaining(['Max-Age=0', 'Secure']));

		const forged = new WebClient(host.app, ORIGIN);
		forged.cookies.set('muster_session', 'b'.repeat(32));
		const bounced = await forged.get('/');
		expect(bounced.location).toBe('/login?notice=signed-out');
		expect(attributes(sessionCookie(bounced))).toEqual(expect.arrayContaining(['Max-Age=0', 'Secure']));
	});

	it('a form posted from another origin is refused and signs nobody in', async () => {
		const user = await createUser(host.ctx, 'secure.csrf@kent.police.uk');
		const res = await new WebClient(host.app, 'http://localhost:3000').post('/login', {
			email: user.email,
			password: PASSWORD
		});
		expect(res.status).toBe(403);
		expect(textOf(res.body)).toContain('This form was sent from another website');
		expect(sessionCookie(res)).toBeUndefined();
		const sessions = await host.ctx.db
			.selectFrom('sessions')
			.select('id')
			.where('userId', '=', user.id)
			.execute();
		expect(sessions).toEqual([]);
	});
});
