/**
 * Pages every signed-in person has: profiles (/people/[id]) and the devices they are
 * signed in on (/settings/sessions).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { WebClient, textOf } from '../support/web-client.ts';
import { createUser, signIn, type TestUser } from '../support/accounts.ts';

let host: TestHost;
const clock = new Date('2026-11-28T10:00:00Z');

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36';

let person: TestUser;
let viewer: WebClient;

beforeAll(async () => {
	host = await createTestHost('profiles-devices', { now: () => clock });
	person = await createUser(host.ctx, 'pat.profile@kent.police.uk', { displayName: 'Pat Profile' });
	await host.ctx.db
		.updateTable('users')
		.set({ jobTitle: 'Detective Sergeant', bio: 'Leads the county lines desk.' })
		.where('id', '=', person.id)
		.execute();
	viewer = client();
	await signIn(viewer, host.ctx, await createUser(host.ctx, 'profile.viewer@nca.gov.uk'));
});
afterAll(async () => {
	await host?.close();
});

function client(ua = FIREFOX) {
	return new WebClient(host.app, host.ctx.config.origin, ua);
}
const tbody = (html: string) => html.match(/<tbody[\s\S]*?<\/tbody>/)?.[0] ?? '';
const rowCount = (html: string) => (tbody(html).match(/<tr/g) ?? []).length;

describe('profiles', () => {
	it('a signed-in, confirmed account sees name, organisation, job title and bio', async () => {
		const res = await viewer.get(`/people/${person.id}`);
		expect(res.status).toBe(200);
		const text = textOf(res.body);
		for (const shown of ['Pat Profile', 'Kent Police', 'Detective Sergeant', 'Leads the county lines desk.'])
			expect(text).toContain(shown);
		expect(text).toContain('You are not in any groups together yet.');
		expect(res.body).not.toContain('pat.profile@kent.police.uk');
	});

	it('is not shown to visitors who are signed out or unconfirmed', async () => {
		const out = await client().get(`/people/${person.id}`);
		expect(out.status).toBe(303);
		expect(out.location).toBe(`/login?next=%2Fpeople%2F${person.id}`);
		const unconfirmed = client();
		await signIn(
			unconfirmed,
			host.ctx,
			await createUser(host.ctx, 'new.here@kent.police.uk', { verified: false })
		);
		const res = await unconfirmed.get(`/people/${person.id}`);
		expect(res.status).toBe(303);
		expect(res.location).toBe('/verify-email');
	});

	it('an unconfirmed account has no profile', async () => {
		const unconfirmed = await createUser(host.ctx, 'not.yet@kent.police.uk', { verified: false });
		const res = await viewer.get(`/people/${unconfirmed.id}`);
		expect(res.status).toBe(404);
		expect(textOf(res.body)).toContain('Page not found');
	});

	it.each([
		'not-a-uuid',
		'00000000-0000-4000-8000-000000000000',
		'%3Cscript%3E',
		'-'.repeat(36),
		'0'.repeat(36),
		'a'.repeat(36)
	])('/people/%s is "Page not found", never an error', async (id) => {
		const res = await viewer.get(`/people/${id}`);
		expect(res.status).toBe(404);
		expect(textOf(res.body)).toContain('Page not found');
	});
});

describe('devices', () => {
	async function signedInTwice(email: string) {
		const owner = await createUser(host.ctx, email);
		const laptop = client(FIREFOX);
		const desktop = client(CHROME);
		await signIn(laptop, host.ctx, owner);
		await signIn(desktop, host.ctx, owner);
		return { owner, laptop, desktop };
	}

	it('lists both sessions with browser, IP and this device marked', async () => {
		const { laptop } = await signedInTwice('two.devices@kent.police.uk');
		const page = await laptop.get('/settings/sessions');
		expect(page.status).toBe(200);
		expect(rowCount(page.body)).toBe(2);
		const rows = textOf(tbody(page.body));
		expect(rows).toMatch(/Firefox on Linux 127\.0\.0\.1 .* This device/);
		expect(rows).toMatch(/Chrome on Windows 127\.0\.0\.1 .* Sign out/);
		expect(textOf(page.body)).toContain('Sign out everywhere else');
	});

	it('"sign out everywhere else" ends the other session and keeps this one', async () => {
		const { owner, laptop, desktop } = await signedInTwice('everywhere.else@kent.police.uk');
		const res = await laptop.post('/settings/sessions?/others');
		expect(res.status).toBe(303);
		expect(res.location).toBe('/settings/sessions?notice=sessions-revoked');
		const after = await laptop.get(res.location!);
		expect(textOf(after.body)).toContain('The other devices have been signed out.');
		expect(rowCount(after.body)).toBe(1);
		expect(textOf(after.body)).not.toContain('Sign out everywhere else');
		expect((await desktop.get('/')).location).toBe('/login?notice=signed-out');
		expect((await laptop.get('/')).status).toBe(200);
		const audit = await host.ctx.db
			.selectFrom('auditLog')
			.select('details')
			.where('action', '=', 'account.sessions_revoked')
			.where('targetId', '=', owner.id)
			.execute();
		expect(audit).toEqual([{ details: { count: 1, scope: 'all other devices' } }]);
	});

	it('"sign out" on one device ends just that one; another account’s session is out of reach', async () => {
		const { laptop, desktop } = await signedInTwice('one.device@kent.police.uk');
		const strangerClient = client();
		const stranger = await createUser(host.ctx, 'stranger@kent.police.uk');
		await signIn(strangerClient, host.ctx, stranger);
		const [theirs] = await host.ctx.db
			.selectFrom('sessions')
			.select('id')
			.where('userId', '=', stranger.id)
			.execute();
		const refused = await laptop.post('/settings/sessions?/one', { session: theirs!.id });
		expect((await strangerClient.get('/')).status).toBe(200);
		// It says nothing changed, exactly as for an id that is no session at all.
		expect(refused.location).toBe('/settings/sessions?notice=session-gone');
		const madeUp = await laptop.post('/settings/sessions?/one', { session: 'f'.repeat(64) });
		expect(madeUp.location).toBe(refused.location);
		expect(textOf((await laptop.get(refused.location!)).body)).toContain(
			'That device is not signed in to your account (it may have signed out already). Nothing was changed.'
		);

		const page = await laptop.get('/settings/sessions');
		const desktopSession = page.body.match(/name="session" value="([^"]+)"/)![1]!;
		const res = await laptop.post('/settings/sessions?/one', { session: desktopSession });
		expect(res.location).toBe('/settings/sessions?notice=session-revoked');
		expect(textOf((await laptop.get(res.location!)).body)).toContain('That device has been signed out.');
		expect((await desktop.get('/')).location).toBe('/login?notice=signed-out');
		expect((await laptop.get('/')).status).toBe(200);
	});
});
