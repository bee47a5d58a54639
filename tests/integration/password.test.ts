/**
 * Forgotten passwords (e-mailed single-use link, 1 hour) and changing the password in
 * settings. Either way every other session of the account ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { WebClient, lastMail, linkIn, mailCount, textOf } from '../support/web-client.ts';
import { PASSWORD, createUser, signIn } from '../support/accounts.ts';

const NEW_PASSWORD = 'violet-harbour-compass-17';
const MINUTE = 60_000;

let host: TestHost;
let clock = new Date('2026-11-28T10:00:00Z');

beforeAll(async () => {
	host = await createTestHost('password', { now: () => clock });
});
afterAll(async () => {
	await host?.close();
});

const client = () => new WebClient(host.app, host.ctx.config.origin);
/** Rate-limit windows are an hour: each test starts in a fresh one. */
const nextHour = () => (clock = new Date(clock.getTime() + 2 * 60 * MINUTE));
const requestReset = (email: string) => client().post('/reset-password', { email });
const canSignIn = async (email: string, password: string) =>
	(await client().post('/login', { email, password })).status === 303;
const sessionCount = async (userId: string) =>
	(await host.ctx.db.selectFrom('sessions').select('id').where('userId', '=', userId).execute()).length;

async function resetLink(email: string): Promise<string> {
	const res = await requestReset(email);
	expect(res.status).toBe(303);
	const mail = await lastMail(host.ctx, email);
	expect(mail?.subject).toBe('Reset your Muster password');
	return linkIn(mail!.text, '/reset-password/');
}

describe('asking for a reset link', () => {
	it('answers identically for known and unknown addresses, and e-mails only the known one', async () => {
		nextHour();
		const known = await createUser(host.ctx, 'known.reset@kent.police.uk');
		const unknown = 'unknown.reset@kent.police.uk';
		const a = await requestReset(known.email);
		const b = await requestReset(unknown);
		expect([a.status, b.status]).toEqual([303, 303]);
		expect(a.location).toBe(`/reset-password?sent=${encodeURIComponent(known.email)}`);
		expect(b.location).toBe(`/reset-password?sent=${encodeURIComponent(unknown)}`);
		expect(a.setCookies).toEqual(b.setCookies);
		const pageA = textOf((await client().get(a.location!)).body).replaceAll(known.email, 'ADDRESS');
		const pageB = textOf((await client().get(b.location!)).body).replaceAll(unknown, 'ADDRESS');
		expect(pageA).toBe(pageB);
		expect(pageA).toContain(
			'If ADDRESS has a Muster account, we have sent it a link to choose a new password.'
		);
		expect(await mailCount(host.ctx, known.email)).toBe(1);
		expect(await mailCount(host.ctx, unknown)).toBe(0);
	});

	it('an address gets at most three links an hour; a network at most ten requests', async () => {
		nextHour();
		const user = await createUser(host.ctx, 'many.resets@kent.police.uk');
		for (let i = 0; i < 4; i++) expect((await requestReset(user.email)).status).toBe(303);
		expect(await mailCount(host.ctx, user.email)).toBe(3);
		for (let i = 0; i < 6; i++) expect((await requestReset(`stranger.${i}@example.org`)).status).toBe(303);
		const refused = await requestReset('one.too.many@example.org');
		expect(refused.status).toBe(429);
		expect(textOf(refused.body)).toContain(
			'There have been too many password reset requests from your network. Try again after'
		);
	});
});

describe('the reset link', () => {
	it('works once, confirms the new password and retires the old one', async () => {
		nextHour();
		const user = await createUser(host.ctx, 'reset.once@kent.police.uk');
		const path = await resetLink(user.email);
		const page = await client().get(path);
		expect(page.status).toBe(200);
		expect(textOf(page.body)).toContain('Choose a new password');

		const done = await client().post(path, { password: NEW_PASSWORD });
		expect(done.status).toBe(303);
		expect(done.location).toBe('/login?notice=password-reset');
		expect(textOf((await client().get(done.location!)).body)).toContain(
			'Your password has been changed and you have been signed out everywhere.'
		);
		expect(await canSignIn(user.email, PASSWORD)).toBe(false);
		expect(await canSignIn(user.email, NEW_PASSWORD)).toBe(true);

		const again = await client().post(path, { password: 'another-fine-password-3' });
		expect(again.status).toBe(410);
		expect(textOf(again.body)).toContain('This link has already been used');
		expect(textOf((await client().get(path)).body)).toContain('This link cannot be used');
		expect(await canSignIn(user.email, NEW_PASSWORD)).toBe(true);
	});

	it('expires after one hour, changing nothing', async () => {
		nextHour();
		const user = await createUser(host.ctx, 'reset.late@kent.police.uk');
		const path = await resetLink(user.email);
		clock = new Date(clock.getTime() + 59 * MINUTE);
		expect(textOf((await client().get(path)).body)).toContain('Save password');
		clock = new Date(clock.getTime() + 2 * MINUTE);
		const page = textOf((await client().get(path)).body);
		expect(page).toContain('This link has expired');
		expect(page).toContain('Ask for a new link');
		const late = await client().post(path, { password: NEW_PASSWORD });
		expect(late.status).toBe(410);
		expect(textOf(late.body)).toContain('This link has expired. Ask for a new one.');
		expect(await canSignIn(user.email, PASSWORD)).toBe(true);
	});

	it('setting a new password ends every session of the account', async () => {
		nextHour();
		const user = await createUser(host.ctx, 'reset.everywhere@kent.police.uk');
		const laptop = client();
		const phone = client();
		await signIn(laptop, host.ctx, user);
		await signIn(phone, host.ctx, user);
		expect(await sessionCount(user.id)).toBe(2);

		const path = await resetLink(user.email);
		// Resetting from a browser that is signed in clears its cookie too.
		const done = await phone.post(path, { password: NEW_PASSWORD });
		expect(done.location).toBe('/login?notice=password-reset');
		expect(phone.cookies.has('muster_session')).toBe(false);
		expect(await sessionCount(user.id)).toBe(0);
		const res = await laptop.get('/settings');
		expect(res.status).toBe(303);
		expect(res.location).toBe('/login?next=%2Fsettings&notice=signed-out');
		const audit = await host.ctx.db
			.selectFrom('auditLog')
			.select('action')
			.where('targetId', '=', user.id)
			.where('action', '=', 'account.password_reset')
			.execute();
		expect(audit).toHaveLength(1);
	});

	it('refuses a weak password with a message, and the link still works afterwards', async () => {
		nextHour();
		const user = await createUser(host.ctx, 'reset.weak@kent.police.uk');
		const path = await resetLink(user.email);
		const weak = await client().post(path, { password: 'qwerty123456' });
		expect(weak.status).toBe(400);
		expect(textOf(weak.body)).toContain('That password is too common');
		expect(weak.body).not.toContain('qwerty123456');
		const short = await client().post(path, { password: 'short' });
		expect(textOf(short.body)).toContain('Password must be 12 characters or more');
		expect(await canSignIn(user.email, PASSWORD)).toBe(true);

		const done = await client().post(path, { password: NEW_PASSWORD });
		expect(done.status).toBe(303);
		expect(await canSignIn(user.email, NEW_PASSWORD)).toBe(true);
	});

	it('lifts a sign-in lock on the account', async () => {
		nextHour();
		const user = await createUser(host.ctx, 'reset.locked@kent.police.uk');
		for (let i = 0; i < 5; i++)
			await client().post('/login', { email: user.email, password: `bad-guess-${i}-x` });
		expect((await client().post('/login', { email: user.email, password: PASSWORD })).status).toBe(429);
		const path = await resetLink(user.email);
		await client().post(path, { password: NEW_PASSWORD });
		expect(await canSignIn(user.email, NEW_PASSWORD)).toBe(true);
	});
});

describe('changing the password in settings', () => {
	it('needs the current password and a strong new one', async () => {
		const user = await createUser(host.ctx, 'change.refused@kent.police.uk');
		const c = client();
		await signIn(c, host.ctx, user);
		const wrong = await c.post('/settings/password', {
			currentPassword: 'not-my-password-at-all',
			password: NEW_PASSWORD
		});
		expect(wrong.status).toBe(400);
		expect(textOf(wrong.body)).toContain('Your current password is not correct');
		expect(wrong.body).toContain('href="#currentPassword"');
		const weak = await c.post('/settings/password', { currentPassword: PASSWORD, password: 'password1234' });
		expect(weak.status).toBe(400);
		expect(textOf(weak.body)).toContain('That password is too common');
		expect(await canSignIn(user.email, PASSWORD)).toBe(true);
		expect(await canSignIn(user.email, NEW_PASSWORD)).toBe(false);
	});

	it('stops guessing the current password after five wrong tries, even with the right one', async () => {
		const user = await createUser(host.ctx, 'change.guessing@kent.police.uk');
		const c = client();
		await signIn(c, host.ctx, user);
		const statuses: number[] = [];
		for (let i = 1; i <= 5; i++) {
			const res = await c.post('/settings/password', {
				currentPassword: `guess-number-${i}-x`,
				password: NEW_PASSWORD
			});
			statuses.push(res.status);
		}
		expect(statuses).toEqual([400, 400, 400, 400, 429]);
		const right = await c.post('/settings/password', { currentPassword: PASSWORD, password: NEW_PASSWORD });
		expect(right.status).toBe(429);
		expect(textOf(right.body)).toMatch(/Too many wrong attempts. Try again (at|after) /);
		expect(await canSignIn(user.email, PASSWORD)).toBe(true);
	});

	it('ends every other session and keeps this browser signed in with a new token', async () => {
		const user = await createUser(host.ctx, 'change.ok@kent.police.uk');
		const here = client();
		const elsewhere = client();
		await signIn(here, host.ctx, user);
		await signIn(elsewhere, host.ctx, user);
		const before = here.cookies.get('muster_session');

		const res = await here.post('/settings/password', { currentPassword: PASSWORD, password: NEW_PASSWORD });
		expect(res.status).toBe(303);
		expect(res.location).toBe('/settings?notice=password-changed');
		expect(here.cookies.get('muster_session')).not.toBe(before);
		const settings = await here.get(res.location!);
		expect(settings.status).toBe(200);
		expect(textOf(settings.body)).toContain(
			'Your password has been changed. You have been signed out on every other device.'
		);
		expect(await sessionCount(user.id)).toBe(1);
		expect((await elsewhere.get('/')).location).toBe('/login?notice=signed-out');

		const stale = client();
		stale.cookies.set('muster_session', before!);
		expect((await stale.get('/')).location).toBe('/login?notice=signed-out');
		expect(await canSignIn(user.email, PASSWORD)).toBe(false);
		expect(await canSignIn(user.email, NEW_PASSWORD)).toBe(true);
	});
});
