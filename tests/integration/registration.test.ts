/**
 * Registration, e-mail verification and the organisation an account joins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { WebClient, lastMail, linkIn, mailCount, textOf } from '../support/web-client.ts';
import { PASSWORD, createUser } from '../support/accounts.ts';

let host: TestHost;
let clock = new Date('2026-11-28T10:00:00Z');

beforeAll(async () => {
	host = await createTestHost('registration', { now: () => clock });
});
afterAll(async () => {
	await host?.close();
});

const client = () => new WebClient(host.app, host.ctx.config.origin);

async function register(email: string, displayName = 'Sam Officer', password = PASSWORD) {
	return client().post('/register', { email, displayName, password });
}

async function account(email: string) {
	return host.ctx.db
		.selectFrom('users')
		.leftJoin('organisations', 'organisations.id', 'users.organisationId')
		.select(['users.id', 'users.kind', 'users.emailVerifiedAt', 'organisations.name as organisation'])
		.where('users.email', '=', email)
		.executeTakeFirst();
}

describe('registering', () => {
	it('a police address joins its force (subdomains included) and is sent a confirmation link', async () => {
		const res = await register('sam.officer@cid.met.police.uk');
		expect(res.status).toBe(303);
		expect(res.location).toBe('/register/check-email?email=sam.officer%40cid.met.police.uk');
		expect(res.setCookies).toEqual([]); // not signed in until the address is confirmed
		expect(await account('sam.officer@cid.met.police.uk')).toMatchObject({
			kind: 'police',
			organisation: 'Metropolitan Police Service',
			emailVerifiedAt: null
		});
		const mail = await lastMail(host.ctx, 'sam.officer@cid.met.police.uk');
		expect(mail?.subject).toBe('Confirm your e-mail address for Muster');
		expect(mail?.text).toMatch(/\/verify-email\/[a-z2-7]{32}/);
	});

	it('a partner domain gives a partner account; an unknown domain a guest account', async () => {
		await register('analyst@nca.gov.uk');
		await register('someone@example.org');
		expect(await account('analyst@nca.gov.uk')).toMatchObject({
			kind: 'partner',
			organisation: 'National Crime Agency'
		});
		expect(await account('someone@example.org')).toMatchObject({ kind: 'guest', organisation: null });
	});

	it('an address that already has an account gets the same answer, and its owner an e-mail', async () => {
		const fresh = await register('first.time@kent.police.uk');
		const again = await register('first.time@kent.police.uk', 'Someone Else', 'another-long-password-9');
		expect(again.status).toBe(fresh.status);
		expect(again.location).toBe(fresh.location);
		expect(again.setCookies).toEqual(fresh.setCookies);
		const page = await client().get(again.location!);
		expect(textOf(page.body)).toContain('We have sent an e-mail to first.time@kent.police.uk');
		expect((await lastMail(host.ctx, 'first.time@kent.police.uk'))?.subject).toBe(
			'Someone tried to register with your e-mail address'
		);
		const users = await host.ctx.db
			.selectFrom('users')
			.select('displayName')
			.where('email', '=', 'first.time@kent.police.uk')
			.execute();
		expect(users).toEqual([{ displayName: 'Sam Officer' }]);
	});

	it.each([
		[{ email: '', displayName: 'A', password: PASSWORD }, 'email', 'Enter your e-mail address'],
		[
			{ email: 'not-an-address', displayName: 'A', password: PASSWORD },
			'email',
			'Enter an e-mail address in the correct format'
		],
		[
			{ email: `${'a'.repeat(250)}@x.uk`, displayName: 'A', password: PASSWORD },
			'email',
			'E-mail address must be 254 characters or fewer'
		],
		[{ email: 'ok@kent.police.uk', displayName: '', password: PASSWORD }, 'displayName', 'Enter your name'],
		[
			{ email: 'ok@kent.police.uk', displayName: 'x'.repeat(101), password: PASSWORD },
			'displayName',
			'Name must be 100 characters or fewer'
		],
		[
			{ email: 'ok@kent.police.uk', displayName: 'A', password: 'short' },
			'password',
			'Password must be 12 characters or more'
		],
		[
			{ email: 'ok@kent.police.uk', displayName: 'A', password: 'x'.repeat(257) },
			'password',
			'Password must be 256 characters or fewer'
		],
		[
			{ email: 'ok@kent.police.uk', displayName: 'A', password: 'qwerty123456' },
			'password',
			'That password is too common'
		]
	])(
		'refuses %o with a message by the %s field, keeping the input but never the password',
		async (form, field, message) => {
			const before = await mailCount(host.ctx, 'ok@kent.police.uk');
			const res = await client().post('/register', form);
			expect(res.status).toBe(400);
			const text = textOf(res.body);
			expect(text).toContain('There is a problem');
			expect(text).toContain(message);
			expect(res.body).toContain(`href="#${field}"`);
			if (form.displayName && form.displayName.length < 50)
				expect(res.body).toContain(`value="${form.displayName}"`);
			expect(res.body).not.toContain(form.password.length > 3 ? `value="${form.password}"` : 'value="short"');
			expect(await account('ok@kent.police.uk')).toBeUndefined();
			expect(await mailCount(host.ctx, 'ok@kent.police.uk')).toBe(before);
		}
	);

	it('never answers 500, whatever arrives', async () => {
		const res = await client().post('/register', { unexpected: 'field' });
		expect(res.status).toBe(400);
		const empty = await host.app.inject({
			method: 'POST',
			url: '/register',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: host.ctx.config.origin },
			payload: '%%%&&&==='
		});
		expect(empty.statusCode).toBeLessThan(500);
	});
});

describe('confirming the address', () => {
	it('an unconfirmed account can sign in but only sees the "check your e-mail" page', async () => {
		await register('unconfirmed@kent.police.uk');
		const c = client();
		const signIn = await c.post('/login', { email: 'unconfirmed@kent.police.uk', password: PASSWORD });
		expect(signIn.status).toBe(303);
		const home = await c.get('/');
		expect(home.status).toBe(303);
		expect(home.location).toBe('/verify-email');
		const settings = await c.get('/settings');
		expect(settings.location).toBe('/verify-email');
		const page = await c.get('/verify-email');
		expect(textOf(page.body)).toContain('We sent a link to unconfirmed@kent.police.uk');
		const resend = await c.post('/verify-email');
		expect(resend.location).toBe('/verify-email?notice=verification-sent');
	});

	it('opening the link shows a button; confirming uses the token once', async () => {
		await register('confirm.me@kent.police.uk');
		const path = linkIn((await lastMail(host.ctx, 'confirm.me@kent.police.uk'))!.text, '/verify-email/');
		const c = client();
		const page = await c.get(path);
		expect(page.status).toBe(200);
		expect(textOf(page.body)).toContain('Confirm my e-mail address');
		// Opening the page (as a mail scanner would) did not use the link up.
		expect((await c.get(path)).body).toContain('Confirm my e-mail address');
		const confirmed = await c.post(path);
		expect(confirmed.status).toBe(303);
		expect(confirmed.location).toBe('/login?notice=verified');
		expect((await account('confirm.me@kent.police.uk'))?.emailVerifiedAt).toBeInstanceOf(Date);

		const reused = await c.post(path);
		expect(reused.status).toBe(410);
		expect(textOf(reused.body)).toContain('This link has already been used');
	});

	it('an expired, mistyped or superseded link says so and changes nothing', async () => {
		await register('slow.reader@kent.police.uk');
		const first = linkIn((await lastMail(host.ctx, 'slow.reader@kent.police.uk'))!.text, '/verify-email/');
		clock = new Date(clock.getTime() + 25 * 60 * 60 * 1000);
		const expired = await client().post(first);
		expect(expired.status).toBe(410);
		expect(textOf(expired.body)).toContain('This link has expired');
		expect(textOf((await client().get('/verify-email/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).body)).toContain(
			'This link is not valid'
		);
		expect(textOf((await client().get('/verify-email/<script>')).body)).toContain('This link is not valid');
		expect((await account('slow.reader@kent.police.uk'))?.emailVerifiedAt).toBeNull();
	});
});

describe('rate limits on registration', () => {
	it('an address gets at most three e-mails an hour, and the answer never changes', async () => {
		const address = 'flooded@kent.police.uk';
		await createUser(host.ctx, address);
		for (let i = 0; i < 5; i++) expect((await register(address)).status).toBe(303);
		expect(await mailCount(host.ctx, address)).toBe(3);
	});
});
