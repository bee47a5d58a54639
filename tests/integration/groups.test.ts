/**
 * Groups and membership through the pages and the services, on a real database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { WebClient, lastMail, textOf } from '../support/web-client.ts';
import { PASSWORD, createUser, signIn, type TestUser } from '../support/accounts.ts';
import { validateSessionToken, createSession, type SessionUser } from '../../src/lib/server/auth/session.ts';
import { joinGroup } from '../../src/lib/server/groups/membership.service.ts';
import { decideRequest } from '../../src/lib/server/groups/moderation.service.ts';
import { lastAuditDetails } from '../support/audit.ts';

let host: TestHost;
let clock = new Date('2026-11-28T09:00:00Z');
const KEY = new Uint8Array(20).fill(3);
const meta = { ip: '127.0.0.1', userAgent: 'test' };

beforeAll(async () => {
	host = await createTestHost('groups', { now: () => clock });
});
afterAll(async () => {
	await host?.close();
});

let n = 0;
const unique = (prefix: string) => `${prefix}${++n}`;

async function person(domain = 'kent.police.uk', options: { totp?: boolean; admin?: boolean } = {}) {
	const user = await createUser(host.ctx, `${unique('p')}@${domain}`, {
		totpKey: options.totp ? KEY : undefined,
		admin: options.admin
	});
	const client = new WebClient(host.app, host.ctx.config.origin);
	await signIn(client, host.ctx, user);
	return { user, client };
}

async function sessionUser(user: TestUser): Promise<SessionUser> {
	const { token } = await createSession(host.ctx.db, user.id, { twoFactorVerified: true }, clock);
	return (await validateSessionToken(host.ctx.db, token, clock))!.user;
}

async function createGroup(
	client: WebClient,
	visibility: 'open' | 'restricted' | 'private',
	audience: 'police' | 'police_partner' = 'police_partner'
): Promise<string> {
	const res = await client.post('/groups/new', {
		name: `Group ${unique('g')} ${visibility}`,
		description: 'For **testing**',
		visibility,
		audience
	});
	expect(res.status).toBe(303);
	return res.location!.split('/')[2]!.split('?')[0]!;
}

async function memberCount(slug: string) {
	const row = await host.ctx.db
		.selectFrom('groups')
		.select('memberCount')
		.where('slug', '=', slug)
		.executeTakeFirstOrThrow();
	return row.memberCount;
}

async function auditActions(slug: string) {
	const group = await host.ctx.db
		.selectFrom('groups')
		.select('id')
		.where('slug', '=', slug)
		.executeTakeFirstOrThrow();
	const rows = await host.ctx.db
		.selectFrom('auditLog')
		.select(['action', 'details', 'actorLabel'])
		.where('targetType', '=', 'group')
		.where('targetId', '=', String(group.id))
		.orderBy('id')
		.execute();
	return rows;
}

describe('creating groups', () => {
	it('a police officer creates a group and becomes its owner; the description is sanitised Markdown', async () => {
		const { client } = await person();
		const slug = await createGroup(client, 'restricted');
		const page = await client.get(`/groups/${slug}`);
		expect(page.status).toBe(200);
		expect(page.body).toContain('<strong>testing</strong>');
		expect(textOf(page.body)).toContain('You are an owner of this group.');
		expect(await memberCount(slug)).toBe(1);
		expect((await auditActions(slug)).map((r) => r.action)).toEqual(['group.created']);
	});

	it('partners and guests cannot create groups', async () => {
		for (const domain of ['nca.gov.uk', 'example.org']) {
			const { client } = await person(domain);
			expect((await client.get('/groups/new')).status).toBe(403);
			const res = await client.post('/groups/new', {
				name: 'Not allowed',
				visibility: 'open',
				audience: 'police'
			});
			expect(res.status).toBe(403);
		}
	});

	it('explains what is wrong with the form and creates nothing', async () => {
		const { client } = await person();
		const before = await host.ctx.db
			.selectFrom('groups')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		const res = await client.post('/groups/new', { name: 'ab', description: 'x'.repeat(5001) });
		expect(res.status).toBe(400);
		const text = textOf(res.body);
		expect(text).toContain('Enter a group name of at least 3 characters');
		expect(text).toContain('Description must be 5,000 characters or fewer');
		expect(text).toContain('Select who can join');
		expect(text).toContain('Select who the group is for');
		const after = await host.ctx.db
			.selectFrom('groups')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		expect(Number(after.n)).toBe(Number(before.n));
	});
});

describe('joining', () => {
	it('anyone in the audience joins an open group at once; two joins at once make one membership', async () => {
		const owner = await person();
		const slug = await createGroup(owner.client, 'open');
		const joiner = await person('nca.gov.uk');
		const res = await joiner.client.post(`/groups/${slug}?/join`);
		expect(res.location).toBe(`/groups/${slug}?notice=joined`);
		expect(await memberCount(slug)).toBe(2);

		const racer = await createUser(host.ctx, `${unique('r')}@kent.police.uk`);
		const user = await sessionUser(racer);
		const results = await Promise.allSettled([
			joinGroup(host.ctx, user, slug, meta),
			joinGroup(host.ctx, user, slug, meta)
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(await memberCount(slug)).toBe(3);
		const rows = await host.ctx.db
			.selectFrom('groupMembers')
			.select('userId')
			.where('userId', '=', racer.id)
			.execute();
		expect(rows).toHaveLength(1);
	});

	it('a restricted group takes a request with a message; moderators are e-mailed; the decision is too', async () => {
		const owner = await person('kent.police.uk', { totp: true });
		const slug = await createGroup(owner.client, 'restricted');
		const asker = await person('nca.gov.uk');
		expect((await asker.client.post(`/groups/${slug}?/join`)).status).toBe(403);
		const asked = await asker.client.post(`/groups/${slug}?/ask`, {
			message: 'I lead the NCA labour exploitation desk.'
		});
		expect(asked.location).toBe(`/groups/${slug}?notice=asked`);
		expect((await lastMail(host.ctx, owner.user.email))?.subject).toMatch(/asked to join/);
		expect(textOf((await asker.client.get(`/groups/${slug}`)).body)).toContain('You have asked to join.');
		expect((await asker.client.post(`/groups/${slug}?/ask`, { message: 'again' })).status).toBe(409);

		const manage = await owner.client.get(`/groups/${slug}/manage`);
		expect(textOf(manage.body)).toContain('I lead the NCA labour exploitation desk.');
		expect(textOf(manage.body)).toContain('National Crime Agency (Law-enforcement partner)');
		const requestId = manage.body.match(/name="request" value="(\d+)"/)![1]!;

		const noReason = await owner.client.post(`/groups/${slug}/manage?/decline`, {
			request: requestId,
			reason: ''
		});
		expect(noReason.status).toBe(400);
		expect(textOf(noReason.body)).toContain('Enter a reason: the person asking will see it');

		const approved = await owner.client.post(`/groups/${slug}/manage?/approve`, { request: requestId });
		expect(approved.location).toBe(`/groups/${slug}/manage?notice=approved`);
		expect((await lastMail(host.ctx, asker.user.email))?.subject).toMatch(/You have joined/);
		expect(textOf((await asker.client.get(`/groups/${slug}`)).body)).toContain(
			'You are a member of this group.'
		);
		expect(textOf((await asker.client.get(`/groups/${slug}/members`)).body)).toContain(
			'National Crime Agency'
		);
		const again = await owner.client.post(`/groups/${slug}/manage?/approve`, { request: requestId });
		expect(again.status).toBe(409);
	});

	it('a declined request tells the person why; two moderators deciding at once make one decision', async () => {
		const owner = await person('kent.police.uk', { totp: true });
		const slug = await createGroup(owner.client, 'restricted');
		const asker = await person();
		await asker.client.post(`/groups/${slug}?/ask`, { message: '' });
		// The owner's group page says someone is waiting.
		expect(textOf((await owner.client.get(`/groups/${slug}`)).body)).toContain(
			'1 person is waiting for a decision on their request to join'
		);
		const requestId = Number(
			(await owner.client.get(`/groups/${slug}/manage`)).body.match(/name="request" value="(\d+)"/)![1]
		);
		const declined = await owner.client.post(`/groups/${slug}/manage?/decline`, {
			request: String(requestId),
			reason: 'This group is for the south-east region only.'
		});
		expect(declined.status).toBe(303);
		expect((await lastMail(host.ctx, asker.user.email))?.text).toContain(
			'This group is for the south-east region only.'
		);
		// The person who asked sees the decision and its reason on the group's page, not just the form again.
		const theirPage = textOf((await asker.client.get(`/groups/${slug}`)).body);
		expect(theirPage).toContain('A moderator declined your request to join on');
		expect(theirPage).toContain('The reason given: This group is for the south-east region only.');
		expect(theirPage).toContain('You can ask again.');
		expect(textOf((await owner.client.get(`/groups/${slug}`)).body)).not.toContain('waiting for a decision');
		const log = await auditActions(slug);
		expect(log.at(-1)).toMatchObject({
			action: 'group.request_declined',
			details: { reason: 'This group is for the south-east region only.' }
		});

		// A new request, approved by two moderators at the same moment.
		await asker.client.post(`/groups/${slug}?/ask`, { message: 'Please reconsider' });
		const second = Number(
			(await owner.client.get(`/groups/${slug}/manage`)).body.match(/name="request" value="(\d+)"/)![1]
		);
		const ownerUser = await sessionUser(owner.user);
		const results = await Promise.allSettled([
			decideRequest(host.ctx, ownerUser, slug, second, { approve: true }, meta),
			decideRequest(host.ctx, ownerUser, slug, second, { approve: true }, meta)
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(await memberCount(slug)).toBe(2);
	});

	it('a request can be withdrawn', async () => {
		const owner = await person('kent.police.uk', { totp: true });
		const slug = await createGroup(owner.client, 'restricted');
		const asker = await person();
		await asker.client.post(`/groups/${slug}?/ask`, { message: '' });
		expect((await asker.client.post(`/groups/${slug}?/withdraw`)).location).toBe(
			`/groups/${slug}?notice=withdrawn`
		);
		expect(textOf((await owner.client.get(`/groups/${slug}/manage`)).body)).toContain(
			'There are no requests waiting.'
		);
	});
});

describe('live membership changes', () => {
	it('joins and leaves are announced on the group channel with the new count, and nothing about who', async () => {
		const owner = await person();
		const slug = await createGroup(owner.client, 'open');
		const joiner = await person();
		await joiner.client.post(`/groups/${slug}?/join`);
		await joiner.client.post(`/groups/${slug}/leave`);
		const group = await host.ctx.db
			.selectFrom('groups')
			.select('id')
			.where('slug', '=', slug)
			.executeTakeFirstOrThrow();
		const events = await host.ctx.db
			.selectFrom('events')
			.select(['type', 'payload'])
			.where('channel', '=', `group:${group.id}`)
			.where('type', '=', 'membership.changed')
			.orderBy('id')
			.execute();
		// The join, then the leave (a new group starts with its owner, before anyone follows it).
		expect(events.map((e) => e.payload)).toEqual([{ memberCount: 2 }, { memberCount: 1 }]);
		expect(JSON.stringify(events)).not.toContain(joiner.user.id);
	});
});

describe('private groups', () => {
	it('do not exist for anyone outside: page, members, manage, leave and the directory', async () => {
		const owner = await person('kent.police.uk', { totp: true });
		const slug = await createGroup(owner.client, 'private');
		const outsider = await person();
		for (const path of [
			`/groups/${slug}`,
			`/groups/${slug}/members`,
			`/groups/${slug}/manage`,
			`/groups/${slug}/leave`,
			`/groups/${slug}/manage/settings`,
			`/groups/${slug}/manage/audit`
		]) {
			const res = await outsider.client.get(path);
			expect(res.status, path).toBe(404);
			expect(res.body).toContain('Page not found');
		}
		expect((await outsider.client.post(`/groups/${slug}?/join`)).status).toBe(404);
		const directory = await outsider.client.get('/groups?q=private');
		expect(directory.body).not.toContain(`href="/groups/${slug}"`);
		// The owner's own directory does list it, so the search itself works.
		expect((await owner.client.get('/groups?q=private')).body).toContain(`href="/groups/${slug}"`);
	});
});

describe('invitations', () => {
	it('reach people without an account: they register and find the invitation waiting', async () => {
		const owner = await person('kent.police.uk', { totp: true });
		const slug = await createGroup(owner.client, 'private');
		const email = `${unique('newcomer')}@kent.police.uk`;
		const sent = await owner.client.post(`/groups/${slug}/manage?/invite`, { email, days: '14' });
		expect(sent.location).toBe(`/groups/${slug}/manage?notice=invited`);
		expect((await lastMail(host.ctx, email))?.text).toContain('/register');
		const user = await createUser(host.ctx, email);
		const client = new WebClient(host.app, host.ctx.config.origin);
		await signIn(client, host.ctx, user);
		const home = textOf((await client.get('/')).body);
		expect(home).toContain('Waiting for you');
		expect(textOf((await client.get(`/groups/${slug}`)).body)).toContain(
			'You have been invited to join this group.'
		);
		expect((await client.post(`/groups/${slug}?/accept`)).location).toBe(
			`/groups/${slug}?notice=invitation-accepted`
		);
		expect(await memberCount(slug)).toBe(2);
		expect((await client.post(`/groups/${slug}?/accept`)).status).toBe(409);
	});

	it('are refused outside the audience, for banned people, and twice; they expire and can be revoked', async () => {
		const owner = await person('kent.police.uk', { totp: true });
		const policeOnly = await createGroup(owner.client, 'private', 'police');
		const partner = await owner.client.post(`/groups/${policeOnly}/manage?/invite`, {
			email: 'someone@nca.gov.uk',
			days: '14'
		});
		expect(partner.status).toBe(403);
		expect(textOf(partner.body)).toContain('is outside this group’s audience');
		const guest = await owner.client.post(`/groups/${policeOnly}/manage?/invite`, {
			email: 'friend@example.org',
			days: '14'
		});
		expect(guest.status).toBe(403);
		const badDays = await owner.client.post(`/groups/${policeOnly}/manage?/invite`, {
			email: 'x@kent.police.uk',
			days: '365'
		});
		expect(textOf(badDays.body)).toContain('Enter a number of days from 1 to 90');

		const mixed = await createGroup(owner.client, 'private');
		expect(
			(
				await owner.client.post(`/groups/${mixed}/manage?/invite`, {
					email: 'friend@example.org',
					days: '14'
				})
			).status
		).toBe(303);
		expect(
			(
				await owner.client.post(`/groups/${mixed}/manage?/invite`, {
					email: 'friend@example.org',
					days: '14'
				})
			).status
		).toBe(409);

		const invitee = await createUser(host.ctx, `${unique('late')}@kent.police.uk`);
		await owner.client.post(`/groups/${mixed}/manage?/invite`, { email: invitee.email, days: '1' });
		clock = new Date(clock.getTime() + 2 * 24 * 60 * 60 * 1000);
		const client = new WebClient(host.app, host.ctx.config.origin);
		await signIn(client, host.ctx, invitee);
		expect((await client.get(`/groups/${mixed}`)).status).toBe(404); // expired: private again
		const manage = await owner.client.get(`/groups/${mixed}/manage`);
		const id = manage.body.match(/name="invitation" value="(\d+)"/)![1]!;
		expect((await owner.client.post(`/groups/${mixed}/manage?/revoke`, { invitation: id })).status).toBe(303);
		expect(textOf((await owner.client.get(`/groups/${mixed}/manage`)).body)).not.toContain(
			'friend@example.org'
		);
	});
});

describe('decisions that the group has changed under', () => {
	it('a removed member cannot walk back in through an old invitation', async () => {
		const owner = await person('kent.police.uk', { totp: true });
		const slug = await createGroup(owner.client, 'private');
		const member = await person();
		await owner.client.post(`/groups/${slug}/manage?/invite`, { email: member.user.email, days: '14' });
		// Invited twice over: the first invitation is accepted, a second one is sent later.
		expect((await member.client.post(`/groups/${slug}?/accept`)).status).toBe(303);
		await owner.client.post(`/groups/${slug}/manage?/invite`, { email: member.user.email, days: '14' });
		const removed = await owner.client.post(`/groups/${slug}/manage/members/${member.user.id}?/remove`, {
			reason: 'Left the unit.'
		});
		expect(removed.status).toBe(303);
		expect(await memberCount(slug)).toBe(1);
		expect((await member.client.post(`/groups/${slug}?/accept`)).status).toBeGreaterThanOrEqual(400);
		expect(await memberCount(slug)).toBe(1);
	});

	it('a request is not approved once the asker is outside the group’s audience', async () => {
		const owner = await person('kent.police.uk', { totp: true });
		const slug = await createGroup(owner.client, 'restricted', 'police_partner');
		const partner = await person('nca.gov.uk');
		await partner.client.post(`/groups/${slug}?/ask`, { message: 'I work these cases.' });
		const id = Number(
			(await owner.client.get(`/groups/${slug}/manage`)).body.match(/name="request" value="(\d+)"/)![1]
		);
		const group = await host.ctx.db
			.selectFrom('groups')
			.select('id')
			.where('slug', '=', slug)
			.executeTakeFirstOrThrow();
		await host.ctx.db.updateTable('groups').set({ audience: 'police' }).where('id', '=', group.id).execute();
		const ownerUser = await sessionUser(owner.user);
		await expect(decideRequest(host.ctx, ownerUser, slug, id, { approve: true }, meta)).rejects.toThrow(
			/no longer in this group’s audience/
		);
		expect(await memberCount(slug)).toBe(1);
		// Still pending, so it can be declined with a reason.
		await decideRequest(host.ctx, ownerUser, slug, id, { approve: false, reason: 'Police only now.' }, meta);
	});
});

describe('roles, removal and bans', () => {
	it('a ban removes the member, stops them asking again until lifted, and is recorded with its reason', async () => {
		const owner = await person('kent.police.uk', { totp: true });
		const slug = await createGroup(owner.client, 'restricted');
		const member = await person();
		const ownerUser = await sessionUser(owner.user);
		await member.client.post(`/groups/${slug}?/ask`, { message: '' });
		const id = Number(
			(await owner.client.get(`/groups/${slug}/manage`)).body.match(/name="request" value="(\d+)"/)![1]
		);
		await decideRequest(host.ctx, ownerUser, slug, id, { approve: true }, meta);
		expect(await memberCount(slug)).toBe(2);

		const noReason = await owner.client.post(`/groups/${slug}/manage/members/${member.user.id}?/remove`, {
			reason: '',
			ban: 'true'
		});
		expect(noReason.status).toBe(400);
		const banned = await owner.client.post(`/groups/${slug}/manage/members/${member.user.id}?/remove`, {
			reason: 'Shared case details outside the group.',
			ban: 'true'
		});
		expect(banned.location).toBe(`/groups/${slug}/members?notice=banned`);
		expect(await memberCount(slug)).toBe(1);
		expect((await lastMail(host.ctx, member.user.email))?.text).toContain(
			'Shared case details outside the group.'
		);
		const page = textOf((await member.client.get(`/groups/${slug}`)).body);
		expect(page).toContain('You have been banned from this group');
		expect(page).not.toContain('Ask to join');
		expect((await member.client.post(`/groups/${slug}?/ask`, { message: 'sorry' })).status).toBe(403);
		expect(
			(await owner.client.post(`/groups/${slug}/manage?/invite`, { email: member.user.email, days: '14' }))
				.status
		).toBe(403);
		expect((await auditActions(slug)).at(-1)).toMatchObject({
			action: 'group.member_banned',
			details: { person: member.user.email, reason: 'Shared case details outside the group.' }
		});

		const lifted = await owner.client.post(`/groups/${slug}/manage?/unban`, {
			user: member.user.id,
			reason: 'Apologised.'
		});
		expect(lifted.location).toBe(`/groups/${slug}/manage?notice=unbanned`);
		expect(textOf((await member.client.get(`/groups/${slug}`)).body)).toContain('Ask to join');
	});

	it('a group always keeps an owner; moderators cannot remove owners; roles change only by owners', async () => {
		const owner = await person('kent.police.uk', { totp: true });
		const slug = await createGroup(owner.client, 'open');
		const second = await person('kent.police.uk', { totp: true });
		await second.client.post(`/groups/${slug}?/join`);

		const leave = await owner.client.post(`/groups/${slug}/leave`);
		expect(leave.status).toBe(409);
		expect(textOf((await owner.client.get(`/groups/${slug}/leave`)).body)).toContain(
			'You are the only owner'
		);
		expect(
			(
				await owner.client.post(`/groups/${slug}/manage/members/${owner.user.id}?/role`, {
					role: 'member',
					roleReason: 'Stepping back.'
				})
			).status
		).toBe(409);

		// A change of role needs its reason, which is recorded with it.
		const noReason = await owner.client.post(`/groups/${slug}/manage/members/${second.user.id}?/role`, {
			role: 'moderator',
			roleReason: ''
		});
		expect(noReason.status).toBe(400);
		expect(textOf(noReason.body)).toContain('Enter a reason for the change');
		expect(
			(
				await owner.client.post(`/groups/${slug}/manage/members/${second.user.id}?/role`, {
					role: 'moderator',
					roleReason: 'Runs the referral desk.'
				})
			).location
		).toBe(`/groups/${slug}/members?notice=role-changed`);
		expect(await lastAuditDetails(host.ctx, 'group.role_changed')).toMatchObject({
			to: 'moderator',
			reason: 'Runs the referral desk.'
		});
		// The moderator cannot touch the owner, nor change roles.
		expect(
			(
				await second.client.post(`/groups/${slug}/manage/members/${owner.user.id}?/remove`, {
					reason: 'coup',
					ban: 'false'
				})
			).status
		).toBe(403);
		expect(
			(
				await second.client.post(`/groups/${slug}/manage/members/${second.user.id}?/role`, {
					role: 'owner',
					roleReason: 'Takeover.'
				})
			).status
		).toBe(403);

		await owner.client.post(`/groups/${slug}/manage/members/${second.user.id}?/role`, {
			role: 'owner',
			roleReason: 'Handing the group over.'
		});
		expect((await owner.client.post(`/groups/${slug}/leave`)).location).toBe('/groups?notice=left');
		expect((await auditActions(slug)).map((r) => r.action)).toEqual([
			'group.created',
			'group.joined',
			'group.role_changed',
			'group.role_changed',
			'group.left'
		]);
	});

	it('managing needs two-factor: a moderator without it is sent to set it up', async () => {
		const owner = await person();
		const slug = await createGroup(owner.client, 'open');
		const res = await owner.client.get(`/groups/${slug}/manage`);
		expect(res.status).toBe(303);
		expect(res.location).toBe('/settings/two-factor?required=1');
	});

	it('a site administrator may act as an owner, and it is recorded as an administrator act', async () => {
		const owner = await person('kent.police.uk', { totp: true });
		const slug = await createGroup(owner.client, 'private');
		const admin = await person('kent.police.uk', { totp: true, admin: true });
		expect((await admin.client.get(`/groups/${slug}/manage`)).status).toBe(200);
		await admin.client.post(`/groups/${slug}/manage?/invite`, {
			email: `${unique('x')}@kent.police.uk`,
			days: '7'
		});
		expect((await auditActions(slug)).at(-1)).toMatchObject({
			action: 'group.invitation_sent',
			details: { asAdministrator: 'yes' }
		});
	});
});

describe('settings and archiving', () => {
	it('narrowing the audience lists members who no longer fit, without removing them', async () => {
		const owner = await person('kent.police.uk', { totp: true });
		const slug = await createGroup(owner.client, 'open', 'police_partner');
		const partner = await person('nca.gov.uk');
		await partner.client.post(`/groups/${slug}?/join`);
		const saved = await owner.client.post(`/groups/${slug}/manage/settings?/save`, {
			name: 'Narrowed group',
			description: '',
			visibility: 'open',
			audience: 'police'
		});
		expect(saved.status).toBe(303);
		const settings = textOf((await owner.client.get(`/groups/${slug}/manage/settings`)).body);
		expect(settings).toContain('1 member no longer fits this group’s audience');
		expect(await memberCount(slug)).toBe(2);
		expect((await auditActions(slug)).at(-1)).toMatchObject({
			action: 'group.settings_changed',
			details: { audience: 'police_partner → police' }
		});
	});

	it('an archived group is read-only until unarchived', async () => {
		const owner = await person('kent.police.uk', { totp: true });
		const slug = await createGroup(owner.client, 'open');
		expect(
			(await owner.client.post(`/groups/${slug}/manage/settings?/archive`, { archive: 'true' })).location
		).toBe(`/groups/${slug}?notice=archived`);
		const joiner = await person();
		const refused = await joiner.client.post(`/groups/${slug}?/join`);
		expect(refused.status).toBe(409);
		expect(textOf(refused.body)).toContain('This group is archived');
		await owner.client.post(`/groups/${slug}/manage/settings?/archive`, { archive: 'false' });
		expect((await joiner.client.post(`/groups/${slug}?/join`)).status).toBe(303);
	});
});

describe('profiles', () => {
	it('show the groups two people have in common, and only those', async () => {
		const owner = await person('kent.police.uk', { totp: true });
		const shared = await createGroup(owner.client, 'open');
		const privateOne = await createGroup(owner.client, 'private');
		const other = await person();
		await other.client.post(`/groups/${shared}?/join`);
		const profile = textOf((await other.client.get(`/people/${owner.user.id}`)).body);
		expect(profile).toContain('Groups in common');
		const html = (await other.client.get(`/people/${owner.user.id}`)).body;
		expect(html).toContain(`href="/groups/${shared}"`);
		expect(html).not.toContain(`href="/groups/${privateOne}"`);
	});
});

describe('the directory', () => {
	it('searches, filters to my groups, and pages 25 at a time', async () => {
		const owner = await person();
		for (let i = 0; i < 26; i++) {
			await host.ctx.db
				.insertInto('groups')
				.values({ slug: `paged-${i}`, name: `Paged group ${i}`, visibility: 'open', audience: 'police' })
				.execute();
		}
		const first = await owner.client.get('/groups?q=Paged');
		expect((first.body.match(/href="\/groups\/paged-/g) ?? []).length).toBe(25);
		const next = first.body.match(/rel="next" href="([^"]+)"/)![1]!.replace(/&amp;/g, '&');
		const second = await owner.client.get(next);
		expect((second.body.match(/href="\/groups\/paged-/g) ?? []).length).toBe(1);
		const mine = await owner.client.get('/groups?mine=1');
		expect(textOf(mine.body)).toContain('You are not in any groups yet.');
		expect(PASSWORD).toBeTruthy();
	});

	it('a page cursor naming a group the viewer may not see lists what a missing one does: nothing', async () => {
		const viewer = await person();
		const hidden = await host.ctx.db
			.insertInto('groups')
			.values({
				slug: unique('cursor-private-'),
				name: 'Cursor private',
				visibility: 'private',
				audience: 'police'
			})
			.returning(['id', 'lastActivityAt'])
			.executeTakeFirstOrThrow();
		const listed = (body: string) => (body.match(/href="\/groups\/paged-/g) ?? []).length;
		const at = hidden.lastActivityAt.getTime() + 1;
		const missing = await viewer.client.get(`/groups?q=Paged&after=${at}_999999999`);
		const private_ = await viewer.client.get(`/groups?q=Paged&after=${at}_${hidden.id}`);
		expect(listed(missing.body)).toBe(0);
		expect(listed(private_.body)).toBe(0);
		expect(textOf(private_.body)).toBe(textOf(missing.body).replace('999999999', String(hidden.id)));
		// A group the viewer may see still pages as before.
		const visible = await host.ctx.db
			.selectFrom('groups')
			.select('id')
			.where('slug', '=', 'paged-20')
			.executeTakeFirstOrThrow();
		expect(listed((await viewer.client.get(`/groups?q=Paged&after=1_${visible.id}`)).body)).toBeGreaterThan(
			0
		);
	});
});
