/**
 * Site administration: the first administrator, promoting from the command line,
 * suspending and finding accounts, organisations and their domains, the audit log,
 * and the pages every signed-in person has (profiles, devices).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { WebClient, textOf } from '../support/web-client.ts';
import { PASSWORD, createUser, signIn, type TestUser } from '../support/accounts.ts';
import { createOrPromoteAdmin, firstRunSetupLink } from '../../src/lib/server/accounts/admin.service.ts';
import { verifyAuditChain } from '../../src/lib/server/audit/audit.repository.ts';
import { generateTotpKey } from '../../src/lib/server/auth/totp.ts';

let host: TestHost;
const clock = new Date('2026-11-28T10:00:00Z');

beforeAll(async () => {
	host = await createTestHost('administration', { now: () => clock });
});
afterAll(async () => {
	await host?.close();
});

const client = () => new WebClient(host.app, host.ctx.config.origin);
const path = (link: string) => new URL(link).pathname;
const canSignIn = async (email: string) =>
	(await client().post('/login', { email, password: PASSWORD })).status === 303;
const tableText = (html: string) => textOf(html.match(/<tbody[\s\S]*?<\/tbody>/)?.[0] ?? '');
const tableRows = (html: string) => (html.match(/<tbody[\s\S]*?<\/tbody>/)?.[0].match(/<tr/g) ?? []).length;
const user = (email: string) =>
	host.ctx.db
		.selectFrom('users')
		.select(['id', 'isAdmin', 'status', 'kind', 'organisationId', 'emailVerifiedAt', 'passwordHash'])
		.where('email', '=', email)
		.executeTakeFirstOrThrow();
const auditOf = (action: string) =>
	host.ctx.db
		.selectFrom('auditLog')
		.select(['actorLabel', 'targetLabel', 'details'])
		.where('action', '=', action)
		.orderBy('id')
		.execute();

describe('the first administrator', () => {
	it('the set-up link creates one administrator, once, and then every link dies', async () => {
		const first = path((await firstRunSetupLink(host.ctx))!);
		const second = path((await firstRunSetupLink(host.ctx))!);
		expect(first).toMatch(/^\/setup\/[a-z2-7]{32}$/);
		expect(textOf((await client().get(first)).body)).toContain('Create the first administrator');

		const form = { email: 'first.admin@kent.police.uk', displayName: 'Ada Admin', password: PASSWORD };
		const done = await client().post(first, form);
		expect(done.status).toBe(303);
		expect(done.location).toBe('/login?notice=setup-done');
		expect(await user(form.email)).toMatchObject({ isAdmin: true, kind: 'police', status: 'active' });
		expect((await user(form.email)).emailVerifiedAt).toBeInstanceOf(Date);
		expect(await auditOf('admin.first_administrator')).toEqual([
			{ actorLabel: form.email, targetLabel: form.email, details: {} }
		]);

		const again = await client().post(first, { ...form, email: 'intruder@example.org' });
		expect(again.status).toBe(410);
		const other = await client().post(second, { ...form, email: 'intruder@example.org' });
		expect(other.status).toBe(410);
		expect(textOf(other.body)).toContain('Muster already has an administrator. Sign in instead.');
		expect(textOf((await client().get(second)).body)).toContain('This link has already been used');
		expect(await firstRunSetupLink(host.ctx)).toBeUndefined();
		const admins = await host.ctx.db
			.selectFrom('users')
			.select('email')
			.where('isAdmin', '=', true)
			.execute();
		expect(admins).toEqual([{ email: form.email }]);

		const c = client();
		expect((await c.post('/login', { email: form.email, password: PASSWORD })).location).toBe('/');
		expect((await c.get('/admin')).location).toBe('/settings/two-factor?required=1');
	});
});

describe('create-admin from the command line', () => {
	it('a new account gets a one-time set-password link that also confirms the address', async () => {
		const result = await createOrPromoteAdmin(host.ctx, ' New.Admin@Kent.Police.uk ', 'Nia Admin');
		expect(result.created).toBe(true);
		expect(result.setPasswordLink).toMatch(
			new RegExp(`^${host.ctx.config.origin}/set-password/[a-z2-7]{32}$`)
		);
		expect(await user('new.admin@kent.police.uk')).toMatchObject({
			isAdmin: true,
			emailVerifiedAt: null,
			passwordHash: null
		});
		expect(await canSignIn('new.admin@kent.police.uk')).toBe(false);

		const link = path(result.setPasswordLink!);
		expect(textOf((await client().get(link)).body)).toContain('Set your password');
		const set = await client().post(link, { password: PASSWORD });
		expect(set.status).toBe(303);
		expect(set.location).toBe('/login?notice=password-set');
		expect((await user('new.admin@kent.police.uk')).emailVerifiedAt).toBeInstanceOf(Date);
		expect(await canSignIn('new.admin@kent.police.uk')).toBe(true);
		expect((await client().post(link, { password: 'another-good-password-5' })).status).toBe(410);
	});

	it('an existing account is promoted, audited once', async () => {
		const existing = await createUser(host.ctx, 'promote.me@kent.police.uk');
		expect(await createOrPromoteAdmin(host.ctx, existing.email)).toEqual({ created: false });
		expect(await createOrPromoteAdmin(host.ctx, existing.email)).toEqual({ created: false });
		expect((await user(existing.email)).isAdmin).toBe(true);
		expect(await auditOf('admin.granted')).toEqual([
			{ actorLabel: 'command line', targetLabel: existing.email, details: {} }
		]);
	});
});

let admin: TestUser;
let adminClient: WebClient;

describe('accounts', () => {
	let target: TestUser;
	beforeAll(async () => {
		admin = await createUser(host.ctx, 'boss@kent.police.uk', { admin: true, totpKey: generateTotpKey() });
		adminClient = client();
		await signIn(adminClient, host.ctx, admin);
		target = await createUser(host.ctx, 'priya.kaur@kent.police.uk', { displayName: 'Priya Kaur' });
	});

	it('nobody but an administrator can take an administrator’s action, even by posting the form directly', async () => {
		const officer = await createUser(host.ctx, 'not.an.admin@kent.police.uk', { totpKey: generateTotpKey() });
		const theirs = client();
		await signIn(theirs, host.ctx, officer);
		const org = await host.ctx.db
			.selectFrom('organisations')
			.select('id')
			.orderBy('id')
			.executeTakeFirstOrThrow();
		const domainsBefore = await host.ctx.db.selectFrom('organisationDomains').select('domain').execute();
		const attempts = [
			theirs.post(`/admin/users/${target.id}/status`, { suspend: 'true', reason: 'Because I can' }),
			theirs.post(`/admin/organisations/${org.id}?/addDomain`, { domain: 'attacker.example' }),
			theirs.post(`/admin/organisations/${org.id}?/rename`, { name: 'Renamed by an officer' }),
			theirs.post('/admin/organisations', { name: 'Officer Org', kind: 'police' }),
			theirs.post('/admin/practice?/add', { name: 'Officer topic' })
		];
		for (const res of await Promise.all(attempts)) expect(res.status).toBe(404);
		expect((await user(target.email)).status).toBe('active');
		expect(await host.ctx.db.selectFrom('organisationDomains').select('domain').execute()).toEqual(
			domainsBefore
		);
		expect(
			await host.ctx.db.selectFrom('organisations').select('id').where('name', '=', 'Officer Org').execute()
		).toEqual([]);
	});

	it('suspending needs a reason, ends their sessions at once, is audited and refuses sign-in', async () => {
		const theirs = client();
		await signIn(theirs, host.ctx, target);
		const form = await adminClient.get(`/admin/users/${target.id}/status`);
		expect(textOf(form.body)).toContain('Suspend Priya Kaur?');
		const blank = await adminClient.post(`/admin/users/${target.id}/status`, {
			suspend: 'true',
			reason: ' '
		});
		expect(blank.status).toBe(400);
		expect(textOf(blank.body)).toContain('Enter a reason');
		expect((await user(target.email)).status).toBe('active');

		const reason = 'Shared their password with a colleague';
		const res = await adminClient.post(`/admin/users/${target.id}/status`, { suspend: 'true', reason });
		expect(res.status).toBe(303);
		expect(res.location).toBe(`/admin/users/${target.id}`);
		expect(textOf((await adminClient.get(res.location!)).body)).toMatch(
			new RegExp(`Suspended on .*: ${reason}`)
		);
		expect((await theirs.get('/')).location).toBe('/login?notice=signed-out');
		expect(await auditOf('account.suspended')).toEqual([
			{ actorLabel: admin.email, targetLabel: target.email, details: { reason } }
		]);
		const refused = await client().post('/login', { email: target.email, password: PASSWORD });
		expect(refused.status).toBe(403);
		expect(textOf(refused.body)).toContain('Your account has been suspended.');
	});

	it('reinstating lets them sign in again', async () => {
		const res = await adminClient.post(`/admin/users/${target.id}/status`, {
			suspend: 'false',
			reason: 'Cleared'
		});
		expect(res.location).toBe(`/admin/users/${target.id}`);
		expect(await canSignIn(target.email)).toBe(true);
		expect(await auditOf('account.reinstated')).toEqual([
			{ actorLabel: admin.email, targetLabel: target.email, details: { reason: 'Cleared' } }
		]);
	});

	it('an administrator cannot suspend themselves', async () => {
		expect(textOf((await adminClient.get(`/admin/users/${admin.id}`)).body)).not.toContain('Suspend account');
		expect((await adminClient.get(`/admin/users/${admin.id}/status`)).status).toBe(404);
		const res = await adminClient.post(`/admin/users/${admin.id}/status`, {
			suspend: 'true',
			reason: 'Oops'
		});
		expect(res.status).toBe(404);
		expect((await user(admin.email)).status).toBe('active');
		expect((await adminClient.get('/admin')).status).toBe(200);
	});

	it.each(['Priya', 'PRIYA.KAUR@', 'Kent Police'])('searching for %j finds the account', async (q) => {
		const res = await adminClient.get(`/admin/users?q=${encodeURIComponent(q)}`);
		expect(tableText(res.body)).toContain('Priya Kaur');
		expect(tableText(res.body)).toContain('priya.kaur@kent.police.uk');
	});

	it.each(['National Crime Agency', '%', 'zzqx'])('searching for %j does not', async (q) => {
		const res = await adminClient.get(`/admin/users?q=${encodeURIComponent(q)}`);
		expect(res.status).toBe(200);
		expect(textOf(res.body)).not.toContain('Priya Kaur');
	});

	it.each(['nonsense', `1_${'-'.repeat(36)}`, `1_${'0'.repeat(36)}`])(
		'a malformed page cursor (after=%s) is ignored, never an error',
		async (after) => {
			const res = await adminClient.get(`/admin/users?after=${after}`);
			expect(res.status).toBe(200);
			expect(textOf(res.body)).toContain('Accounts');
		}
	);

	it.each([
		'/admin/users/not-a-uuid',
		'/admin/users/00000000-0000-4000-8000-000000000000',
		`/admin/users/${'-'.repeat(36)}`,
		`/admin/users/${'a'.repeat(36)}/status`
	])('%s is "Page not found", never an error', async (url) => {
		const res = await adminClient.get(url);
		expect(res.status).toBe(404);
		expect(textOf(res.body)).toContain('Page not found');
	});
});

describe('organisations', () => {
	let orgPath: string;

	it('adding one is audited; a duplicate name or a missing type is refused', async () => {
		const res = await adminClient.post('/admin/organisations?/create', {
			name: 'Test Unit',
			kind: 'partner'
		});
		expect(res.status).toBe(303);
		expect(res.location).toMatch(/^\/admin\/organisations\/\d+\?notice=organisation-created$/);
		orgPath = res.location!.split('?')[0]!;
		expect(textOf((await adminClient.get(orgPath)).body)).toContain('No domains yet');
		expect(await auditOf('organisation.created')).toEqual([
			{ actorLabel: admin.email, targetLabel: 'Test Unit', details: { kind: 'partner' } }
		]);
		const dup = await adminClient.post('/admin/organisations?/create', { name: 'Test Unit', kind: 'police' });
		expect(dup.status).toBe(409);
		expect(textOf(dup.body)).toContain('There is already an organisation with that name');
		const noKind = await adminClient.post('/admin/organisations?/create', { name: 'Another Unit' });
		expect(textOf(noKind.body)).toContain('Select whether this is a police force or a partner organisation');
	});

	it('renaming is audited with the old and new names', async () => {
		const res = await adminClient.post(`${orgPath}?/rename`, { name: 'Regional Test Unit' });
		expect(res.location).toBe(`${orgPath}?notice=organisation-saved`);
		expect(textOf((await adminClient.get(orgPath)).body)).toContain('Regional Test Unit');
		expect(await auditOf('organisation.renamed')).toEqual([
			{
				actorLabel: admin.email,
				targetLabel: 'Regional Test Unit',
				details: { from: 'Test Unit', to: 'Regional Test Unit' }
			}
		]);
	});

	it('adding a domain brings guests on it (and its subdomains) into the organisation', async () => {
		for (const email of ['analyst@rtu.example.org', 'lead@north.rtu.example.org', 'other@notrtu.example.org'])
			await createUser(host.ctx, email);
		const res = await adminClient.post(`${orgPath}?/addDomain`, { domain: ' @RTU.example.org ' });
		expect(res.location).toBe(`${orgPath}?notice=domain-added&joined=2`);
		expect(textOf((await adminClient.get(res.location!)).body)).toContain(
			'2 guest accounts have joined this organisation.'
		);
		const orgId = Number(orgPath.split('/').at(-1));
		expect(await user('analyst@rtu.example.org')).toMatchObject({ kind: 'partner', organisationId: orgId });
		expect(await user('lead@north.rtu.example.org')).toMatchObject({
			kind: 'partner',
			organisationId: orgId
		});
		expect(await user('other@notrtu.example.org')).toMatchObject({ kind: 'guest', organisationId: null });
		expect(await auditOf('organisation.domain_added')).toEqual([
			{
				actorLabel: admin.email,
				targetLabel: 'Regional Test Unit',
				details: { domain: 'rtu.example.org', guestsJoined: 2 }
			}
		]);
	});

	it.each([
		['kent.police.uk', 409, 'kent.police.uk already belongs to Kent Police'],
		['Kent.Police.UK', 409, 'kent.police.uk already belongs to Kent Police'],
		['not a domain', 400, 'Enter a domain in the correct format, like kent.police.uk']
	])('adding %j is refused with a clear message', async (domain, status, message) => {
		const res = await adminClient.post(`${orgPath}?/addDomain`, { domain });
		expect(res.status).toBe(status);
		expect(textOf(res.body)).toContain(message);
	});

	it('removing a domain keeps its members and is audited', async () => {
		const res = await adminClient.post(`${orgPath}?/removeDomain`, { domain: 'rtu.example.org' });
		expect(res.location).toBe(`${orgPath}?notice=domain-removed`);
		expect(textOf((await adminClient.get(orgPath)).body)).toContain('No domains yet');
		expect((await user('analyst@rtu.example.org')).kind).toBe('partner');
		expect(await auditOf('organisation.domain_removed')).toHaveLength(1);
	});
});

describe('the audit log', () => {
	it('lists entries and filters them by action and by person', async () => {
		const all = await adminClient.get('/admin/audit');
		expect(all.status).toBe(200);
		// Actions in words, not codes.
		expect(tableText(all.body)).toMatch(/Account suspended.*Shared their password/);
		expect(tableText(all.body)).not.toContain('account.suspended');
		const renamed = await adminClient.get('/admin/audit?action=organisation.renamed');
		expect(tableRows(renamed.body)).toBe(1);
		expect(tableText(renamed.body)).toContain('from: Test Unit');
		expect(tableText(renamed.body)).toContain('to: Regional Test Unit');
		expect(tableText(renamed.body)).not.toContain('Account suspended');
		const who = await adminClient.get('/admin/audit?who=priya.kaur%40kent.police.uk');
		expect(tableText(who.body)).toContain('Account reinstated');
		expect(tableText(who.body)).not.toContain('Organisation');
	});

	it('the chain verifies, and the database refuses to change or remove entries', async () => {
		const { count } = await host.ctx.db
			.selectFrom('auditLog')
			.select((eb) => eb.fn.countAll<number>().as('count'))
			.executeTakeFirstOrThrow();
		expect(await verifyAuditChain(host.ctx.db)).toEqual({ ok: true, rows: Number(count) });
		const page = await adminClient.get('/admin/audit?verify=1');
		expect(textOf(page.body)).toContain(`The log is complete: all ${count} entries are intact and in order.`);
		for (const statement of [
			"update audit_log set action = 'nothing.happened'",
			'delete from audit_log',
			'truncate audit_log'
		]) {
			await expect(sql.raw(statement).execute(host.ctx.db)).rejects.toThrow(/append-only/);
		}
		expect(await verifyAuditChain(host.ctx.db)).toEqual({ ok: true, rows: Number(count) });
	});

	// Last: it breaks the chain on purpose.
	it('an entry altered behind the trigger’s back is detected', async () => {
		const { id } = await host.ctx.db
			.selectFrom('auditLog')
			.select('id')
			.where('action', '=', 'account.suspended')
			.executeTakeFirstOrThrow();
		await sql`alter table audit_log disable trigger audit_log_no_update_or_delete`.execute(host.ctx.db);
		await sql`update audit_log set details = '{"reason":"nothing"}' where id = ${id}`.execute(host.ctx.db);
		await sql`alter table audit_log enable trigger audit_log_no_update_or_delete`.execute(host.ctx.db);
		expect(await verifyAuditChain(host.ctx.db)).toEqual({ ok: false, brokenAt: Number(id) });
		const page = await adminClient.get('/admin/audit?verify=1');
		expect(textOf(page.body)).toContain(`The log has been altered: entry ${id} does not match`);
	});
});
