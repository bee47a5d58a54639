/**
 * Two-factor authentication (TOTP) with a clock the test controls: enrolment, the code
 * step at sign-in, recovery codes, the attempt limit, turning it off, and the rule that
 * administrators need it before any administration page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { WebClient, textOf } from '../support/web-client.ts';
import { PASSWORD, createUser, signIn, type TestUser } from '../support/accounts.ts';
import { formatTotpKey, generateTotpKey, totpCode } from '../../src/lib/server/auth/totp.ts';

let host: TestHost;
let clock = new Date('2026-11-28T10:00:00Z');

beforeAll(async () => {
	host = await createTestHost('two-factor', { now: () => clock });
});
afterAll(async () => {
	await host?.close();
});

const client = () => new WebClient(host.app, host.ctx.config.origin);
/** The next 30-second step, so no code is entered twice. */
const tick = () => (clock = new Date(clock.getTime() + 30_000));
const codeFor = (key: Uint8Array) => totpCode(key, clock);
const wrongCode = (key: Uint8Array) => String((Number(codeFor(key)) + 500_000) % 1_000_000).padStart(6, '0');
let serial = 0;
const twoFactorUser = (options: { admin?: boolean } = {}) =>
	createUser(host.ctx, `tfa.${++serial}@kent.police.uk`, { ...options, totpKey: generateTotpKey() });

function hiddenKey(html: string): string {
	const match = html.match(/name="key" value="([^"]+)"/);
	if (!match) throw new Error('no key field on the page');
	return match[1]!;
}

function recoveryCodesIn(html: string): string[] {
	const list = html.match(/aria-label="Recovery codes"[^>]*>([\s\S]*?)<\/ol>/);
	return list ? [...list[1]!.matchAll(/[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}/g)].map((m) => m[0]) : [];
}

/** Password step only: the session waits for the second factor. */
async function passwordStep(c: WebClient, user: TestUser, next?: string) {
	const url = next ? `/login?next=${encodeURIComponent(next)}` : '/login';
	return c.post(url, { email: user.email, password: PASSWORD });
}

async function userState(id: string) {
	return host.ctx.db
		.selectFrom('users')
		.select(['totpKeyEncrypted', 'totpEnabledAt'])
		.where('id', '=', id)
		.executeTakeFirstOrThrow();
}

describe('enrolling', () => {
	it('keeps the key after a wrong code, then turns on and shows ten recovery codes once', async () => {
		const user = await createUser(host.ctx, 'enrol.me@kent.police.uk');
		const c = client();
		const other = client();
		await signIn(c, host.ctx, user);
		await signIn(other, host.ctx, user);

		const page = await c.get('/settings/two-factor');
		expect(page.status).toBe(200);
		expect(textOf(page.body)).toContain('Set up two-factor authentication');
		expect(page.body).toContain('<svg');
		const keyField = hiddenKey(page.body);
		const key = new Uint8Array(Buffer.from(keyField, 'base64'));
		expect(key).toHaveLength(20);
		expect(textOf(page.body)).toContain(formatTotpKey(key));

		const wrong = await c.post('/settings/two-factor?/enable', { key: keyField, code: wrongCode(key) });
		expect(wrong.status).toBe(400);
		expect(textOf(wrong.body)).toContain(
			'The code is not correct. Check the key in your app and try the newest code'
		);
		expect(hiddenKey(wrong.body)).toBe(keyField);
		expect((await userState(user.id)).totpEnabledAt).toBeNull();

		tick();
		const ok = await c.post('/settings/two-factor?/enable', { key: keyField, code: codeFor(key) });
		expect(ok.status).toBe(200);
		expect(textOf(ok.body)).toContain('Two-factor authentication is on.');
		expect(textOf(ok.body)).toContain('These codes are shown only once.');
		const codes = recoveryCodesIn(ok.body);
		expect(new Set(codes).size).toBe(10);

		const later = await c.get('/settings/two-factor');
		expect(textOf(later.body)).toContain('You have 10 unused recovery codes.');
		for (const code of codes) expect(later.body).not.toContain(code);
		// Stored encrypted, not as the key itself.
		const state = await userState(user.id);
		expect(state.totpEnabledAt).toBeInstanceOf(Date);
		expect(state.totpKeyEncrypted).toMatch(/^v1\./);
		expect(state.totpKeyEncrypted).not.toContain(keyField);
		// The other browser had only given the password: it is signed out.
		expect((await other.get('/')).location).toBe('/login?notice=signed-out');
		expect((await c.get('/')).status).toBe(200);
	});
});

describe('signing in with two-factor', () => {
	it('stops after the password: every other page leads to the code step', async () => {
		const user = await twoFactorUser();
		const c = client();
		const res = await passwordStep(c, user);
		expect(res.status).toBe(303);
		expect(res.location).toBe('/login/two-factor');
		for (const path of [
			'/',
			'/settings',
			'/settings/two-factor',
			'/admin',
			`/people/${user.id}`,
			'/verify-email'
		]) {
			const page = await c.get(path);
			expect([path, page.status, page.location]).toEqual([path, 303, '/login/two-factor']);
		}
		const step = await c.get('/login/two-factor');
		expect(step.status).toBe(200);
		expect(textOf(step.body)).toContain('Enter the code from your authenticator app');
	});

	it('a wrong or malformed code is refused; the right one finishes, going to `next`', async () => {
		const user = await twoFactorUser();
		const c = client();
		const res = await passwordStep(c, user, '/settings');
		expect(res.location).toBe('/login/two-factor?next=%2Fsettings');
		const wrong = await c.post(res.location!, { code: wrongCode(user.totpKey!) });
		expect(wrong.status).toBe(400);
		expect(textOf(wrong.body)).toContain(
			'The code is not correct. Check your authenticator app and try again'
		);
		const malformed = await c.post(res.location!, { code: 'abc' });
		expect(malformed.status).toBe(400);
		expect(textOf(malformed.body)).toContain('The code must be 6 digits, like 123456');

		const ok = await c.post(res.location!, { code: codeFor(user.totpKey!) });
		expect(ok.status).toBe(303);
		expect(ok.location).toBe('/settings');
		expect((await c.get('/settings')).status).toBe(200);
		const audit = await host.ctx.db
			.selectFrom('auditLog')
			.select(['action', 'details'])
			.where('targetId', '=', user.id)
			.orderBy('id')
			.execute();
		expect(audit).toEqual([
			{ action: 'auth.password_accepted', details: {} },
			{ action: 'auth.signed_in', details: { secondFactor: 'authenticator app' } }
		]);
	});

	it('the code step gives a new session token, ends the old one, and never leaves the site', async () => {
		const user = await twoFactorUser();
		const c = client();
		await passwordStep(c, user);
		const before = c.cookies.get('muster_session')!;
		tick();
		const ok = await c.post(`/login/two-factor?next=${encodeURIComponent('/.//evil.example')}`, {
			code: codeFor(user.totpKey!)
		});
		expect(ok.status).toBe(303);
		expect(ok.location).toBe('/');
		const after = c.cookies.get('muster_session')!;
		expect(after).toMatch(/^[a-z2-7]{32}$/);
		expect(after).not.toBe(before);
		expect((await c.get('/settings')).status).toBe(200);
		// Whoever saw the token before the code step holds nothing now.
		const stale = new WebClient(host.app, host.ctx.config.origin);
		stale.cookies.set('muster_session', before);
		expect((await stale.get('/settings')).location).toMatch(/^\/login/);
		const sessions = await host.ctx.db
			.selectFrom('sessions')
			.select('id')
			.where('userId', '=', user.id)
			.execute();
		expect(sessions).toHaveLength(1);
	});

	it('new recovery codes need the password and a current code, not a session alone', async () => {
		const user = await twoFactorUser();
		const c = client();
		await signIn(c, host.ctx, user);
		const codesBefore = await host.ctx.db
			.selectFrom('recoveryCodes')
			.select('codeHash')
			.where('userId', '=', user.id)
			.execute();
		const path = '/settings/two-factor/recovery-codes';
		const bare = await c.post(path);
		expect(bare.status).toBe(400);
		expect(textOf(bare.body)).toContain('Enter your password');
		const wrongPassword = await c.post(path, {
			password: 'not-my-password-at-all',
			code: codeFor(user.totpKey!)
		});
		expect(textOf(wrongPassword.body)).toContain('Your password is not correct');
		const badCode = await c.post(path, { password: user.password, code: wrongCode(user.totpKey!) });
		expect(textOf(badCode.body)).toContain('The code is not correct');
		expect(recoveryCodesIn(badCode.body)).toEqual([]);
		expect(
			await host.ctx.db.selectFrom('recoveryCodes').select('codeHash').where('userId', '=', user.id).execute()
		).toEqual(codesBefore);
		// Guessing stops after five wrong tries.
		for (let i = 0; i < 3; i++) await c.post(path, { password: 'still-not-my-password', code: '000000' });
		const locked = await c.post(path, { password: user.password, code: codeFor(user.totpKey!) });
		expect(locked.status).toBe(429);
		expect(textOf(locked.body)).toContain('Too many wrong attempts');
	});

	it('a recovery code works instead of the app, once', async () => {
		const user = await twoFactorUser();
		const setup = client();
		await signIn(setup, host.ctx, user);
		const codes = recoveryCodesIn(
			(
				await setup.post('/settings/two-factor/recovery-codes', {
					password: user.password,
					code: codeFor(user.totpKey!)
				})
			).body
		);
		expect(codes).toHaveLength(10);

		const first = client();
		await passwordStep(first, user);
		const halfway = first.cookies.get('muster_session');
		const used = await first.post('/login/recovery-code', { code: codes[0]! });
		expect(used.status).toBe(303);
		expect(first.cookies.get('muster_session')).not.toBe(halfway);
		expect(used.location).toBe('/');
		expect((await first.get('/')).status).toBe(200);

		const second = client();
		await passwordStep(second, user);
		const reused = await second.post('/login/recovery-code', { code: codes[0]! });
		expect(reused.status).toBe(400);
		expect(textOf(reused.body)).toContain('That recovery code is not correct or has been used');
		expect((await second.get('/')).location).toBe('/login/two-factor');
		// Typed in capitals without dashes, another code still works.
		const other = await second.post('/login/recovery-code', {
			code: codes[1]!.toUpperCase().replace(/-/g, ' ')
		});
		expect(other.location).toBe('/');
	});

	it('the fifth wrong code ends the session, saying why', async () => {
		const user = await twoFactorUser();
		const c = client();
		await passwordStep(c, user);
		for (let i = 0; i < 4; i++) {
			const res = await c.post('/login/two-factor', { code: wrongCode(user.totpKey!) });
			expect(res.status).toBe(400);
		}
		const last = await c.post('/login/two-factor', { code: wrongCode(user.totpKey!) });
		expect(last.status).toBe(303);
		expect(last.location).toBe('/login?notice=too-many-codes');
		expect(c.cookies.has('muster_session')).toBe(false);
		const sessions = await host.ctx.db
			.selectFrom('sessions')
			.select('id')
			.where('userId', '=', user.id)
			.execute();
		expect(sessions).toEqual([]);
		expect(textOf((await c.get(last.location!)).body)).toContain(
			'There have been too many wrong codes. You have been signed out: sign in again to try once more.'
		);
		// The right code no longer helps: the session is gone.
		const after = await c.post('/login/two-factor', { code: codeFor(user.totpKey!) });
		expect(after.location).toMatch(/^\/login/);
	});

	it('a code that has been accepted cannot be used again', async () => {
		const user = await twoFactorUser();
		const first = client();
		await passwordStep(first, user);
		const code = codeFor(user.totpKey!);
		expect((await first.post('/login/two-factor', { code })).status).toBe(303);
		const second = client();
		await passwordStep(second, user);
		const replay = await second.post('/login/two-factor', { code });
		expect(replay.status).toBe(400);
		expect(textOf(replay.body)).toContain('That code has already been used');
	});
});

describe('turning two-factor off', () => {
	it('needs the password and a current code', async () => {
		const user = await twoFactorUser();
		const c = client();
		await signIn(c, host.ctx, user);
		tick();
		expect((await c.get('/settings/two-factor/disable')).status).toBe(200);
		const attempts: Array<[Record<string, string>, string]> = [
			[{ password: 'not-my-password-at-all', code: codeFor(user.totpKey!) }, 'Your password is not correct'],
			[{ password: PASSWORD, code: wrongCode(user.totpKey!) }, 'The code is not correct'],
			[{ password: PASSWORD, code: '' }, 'Enter the 6-digit code from your authenticator app']
		];
		for (const [form, message] of attempts) {
			const res = await c.post('/settings/two-factor/disable', form);
			expect(res.status).toBe(400);
			expect(textOf(res.body)).toContain(message);
			expect((await userState(user.id)).totpEnabledAt).toBeInstanceOf(Date);
		}

		const off = await c.post('/settings/two-factor/disable', {
			password: PASSWORD,
			code: codeFor(user.totpKey!)
		});
		expect(off.status).toBe(303);
		expect(off.location).toBe('/settings?notice=two-factor-off');
		expect(textOf((await c.get(off.location!)).body)).toContain('Two-factor authentication is now off.');
		expect(await userState(user.id)).toEqual({ totpKeyEncrypted: null, totpEnabledAt: null });
		const codes = await host.ctx.db
			.selectFrom('recoveryCodes')
			.select('codeHash')
			.where('userId', '=', user.id)
			.execute();
		expect(codes).toEqual([]);
		const again = await passwordStep(client(), user);
		expect(again.location).toBe('/');
	});
});

describe('administrators need two-factor', () => {
	it('without it, administration pages send them to enrol; once enrolled they see them', async () => {
		const admin = await createUser(host.ctx, 'admin.no.tfa@kent.police.uk', { admin: true });
		const c = client();
		await signIn(c, host.ctx, admin);
		for (const path of ['/admin', '/admin/users', '/admin/audit']) {
			const res = await c.get(path);
			expect([path, res.status, res.location]).toEqual([path, 303, '/settings/two-factor?required=1']);
		}
		const page = await c.get('/settings/two-factor?required=1');
		expect(textOf(page.body)).toContain('You need two-factor authentication to use that page.');
		const keyField = hiddenKey(page.body);
		tick();
		const code = totpCode(new Uint8Array(Buffer.from(keyField, 'base64')), clock);
		expect((await c.post('/settings/two-factor?/enable', { key: keyField, code })).status).toBe(200);
		const adminPage = await c.get('/admin');
		expect(adminPage.status).toBe(200);
		expect(textOf(adminPage.body)).toContain('Administration');
	});

	it('an administrator who signed in with a code sees /admin', async () => {
		const admin = await twoFactorUser({ admin: true });
		const c = client();
		await signIn(c, host.ctx, admin);
		const res = await c.get('/admin');
		expect(res.status).toBe(200);
		expect(textOf(res.body)).toContain('Audit log');
	});

	it.each(['/admin', '/admin/users', '/admin/audit', '/admin/organisations'])(
		'anyone else gets "Page not found" at %s',
		async (path) => {
			const user = await createUser(host.ctx, `not.admin.${++serial}@kent.police.uk`);
			const c = client();
			await signIn(c, host.ctx, user);
			const res = await c.get(path);
			expect(res.status).toBe(404);
			expect(textOf(res.body)).toContain('Page not found');
			expect(textOf(res.body)).not.toContain('Audit log');
		}
	);
});
