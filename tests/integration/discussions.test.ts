/**
 * Threads and posts: starting, replying, pages and permalinks, edits with history,
 * deletion, hiding, helpful marks, answers, locks, read tracking and limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { WebClient, textOf } from '../support/web-client.ts';
import { createUser, signIn } from '../support/accounts.ts';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session.ts';
import { reply } from '../../src/lib/server/discussions/thread.service.ts';
import { lastAuditDetails } from '../support/audit.ts';

let host: TestHost;
let clock = new Date('2026-11-28T09:00:00Z');
const tick = (seconds = 6) => (clock = new Date(clock.getTime() + seconds * 1000));
const KEY = new Uint8Array(20).fill(5);

beforeAll(async () => {
	host = await createTestHost('discussions', { now: () => clock });
});
afterAll(async () => {
	await host?.close();
});

let n = 0;
async function person(options: { totp?: boolean } = {}) {
	const user = await createUser(host.ctx, `d${++n}@kent.police.uk`, {
		totpKey: options.totp ? KEY : undefined,
		displayName: `Person ${n}`
	});
	const client = new WebClient(host.app, host.ctx.config.origin);
	await signIn(client, host.ctx, user);
	return { user, client };
}

async function groupWith(owner: WebClient, visibility: 'open' | 'private' = 'open') {
	const res = await owner.post('/groups/new', {
		name: `Discussion group ${++n}`,
		description: '',
		visibility,
		audience: 'police_partner'
	});
	return res.location!.split('/')[2]!.split('?')[0]!;
}

async function startThread(
	client: WebClient,
	slug: string,
	title = 'Referrals under the NRM',
	body = 'How do you **record** referrals?'
) {
	tick();
	const res = await client.post(`/groups/${slug}/new?/post`, { title, body });
	expect(res.status).toBe(303);
	return res.location!.split('?')[0]!;
}

describe('threads and replies', () => {
	it('members start threads and reply; counters and last activity follow in the same transaction', async () => {
		const owner = await person();
		const slug = await groupWith(owner.client);
		const member = await person();
		await member.client.post(`/groups/${slug}?/join`);
		const path = await startThread(owner.client, slug);
		expect(path).toMatch(new RegExp(`^/groups/${slug}/t/\\d+-referrals-under-the-nrm$`));
		// A quote starts a reply with the quoted words and a link back to them.
		const firstPost = (
			await host.ctx.db.selectFrom('posts').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()
		).id;
		const quoting = await member.client.get(`${path}?quote=${firstPost}`);
		expect(textOf(quoting.body)).toContain('> How do you **record** referrals?');
		expect(quoting.body).toContain(`(/groups/${slug}/p/${firstPost})`);
		const page = await member.client.get(path);
		expect(page.status).toBe(200);
		expect(page.body).toContain('How do you <strong>record</strong> referrals?');

		tick();
		const replied = await member.client.post(`${path}?/reply`, { body: 'We use a *shared* log.' });
		expect(replied.location).toMatch(/\?page=1#post-\d+$/);
		const thread = await host.ctx.db
			.selectFrom('threads')
			.select(['postCount', 'lastPosterId'])
			.executeTakeFirstOrThrow();
		expect(thread).toEqual({ postCount: 2, lastPosterId: member.user.id });
		const list = textOf((await owner.client.get(`/groups/${slug}`)).body);
		expect(list).toContain('Referrals under the NRM');
		expect(list).toContain('1 reply');
		expect(list).toMatch(/last post by Person \d+/);
		expect(list).toContain('1 unread');
	});

	it("non-members cannot read; a private group's threads are not found", async () => {
		const owner = await person();
		const open = await groupWith(owner.client);
		const hidden = await groupWith(owner.client, 'private');
		const openThread = await startThread(owner.client, open);
		const hiddenThread = await startThread(owner.client, hidden);
		const outsider = await person();
		const refused = await outsider.client.get(openThread);
		expect(refused.status).toBe(403);
		expect(textOf(refused.body)).toContain('Join this group to read its discussions.');
		for (const path of [hiddenThread, `${hiddenThread}?/reply`]) {
			expect((await outsider.client.get(path)).status).toBe(404);
		}
		const postId = (
			await host.ctx.db.selectFrom('posts').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()
		).id;
		expect((await outsider.client.get(`/groups/${hidden}/p/${postId}`)).status).toBe(404);
		// A thread lives only under its own group's address: another group's address leads there for
		// those who may read it (a thread may have moved), and is "not found" for everyone else.
		const elsewhere = hiddenThread.replace(`/groups/${hidden}/`, `/groups/${open}/`);
		const sent = await owner.client.get(elsewhere);
		expect([sent.status, sent.location]).toEqual([301, hiddenThread]);
		expect((await outsider.client.get(elsewhere)).status).toBe(404);
	});

	it('the group page lists 25 threads at a time, pinned first, and pages on without losing any', async () => {
		const owner = await person();
		const slug = await groupWith(owner.client);
		const group = await host.ctx.db
			.selectFrom('groups')
			.select('id')
			.where('slug', '=', slug)
			.executeTakeFirstOrThrow();
		// Database-stamped times carry microseconds, which a JavaScript date cannot hold.
		for (let i = 0; i < 27; i++) {
			await host.ctx.db
				.insertInto('threads')
				.values({
					groupId: group.id,
					authorId: owner.user.id,
					title: `Paged thread ${i}`,
					pinned: i === 0,
					postCount: 1
				})
				.execute();
		}
		const first = await owner.client.get(`/groups/${slug}`);
		const titles = (html: string) => [...html.matchAll(/>Paged thread (\d+)</g)].map((m) => Number(m[1]));
		const page1 = titles(first.body);
		expect(page1).toHaveLength(25);
		expect(page1[0]).toBe(0); // pinned first
		const next = first.body.match(/rel="next" href="([^"]+)"/)![1]!.replace(/&amp;/g, '&');
		const page2 = titles((await owner.client.get(next)).body);
		expect([...page1, ...page2].sort((a, b) => a - b)).toEqual(Array.from({ length: 27 }, (_, i) => i));
	});

	it('refuses empty and oversized posts, keeping the text', async () => {
		const owner = await person();
		const slug = await groupWith(owner.client);
		const empty = await owner.client.post(`/groups/${slug}/new?/post`, { title: 'ab', body: '' });
		expect(empty.status).toBe(400);
		expect(textOf(empty.body)).toContain('Enter a title of at least 3 characters');
		expect(textOf(empty.body)).toContain('Write your post');
		const long = await owner.client.post(`/groups/${slug}/new?/post`, {
			title: 'Long one',
			body: 'x'.repeat(20_001)
		});
		expect(textOf(long.body)).toContain('A post must be 20,000 characters or fewer');
		expect(long.body).toContain('value="Long one"');
	});

	it('posting is limited to one post every five seconds, and the refused text is kept', async () => {
		const owner = await person();
		const slug = await groupWith(owner.client);
		const path = await startThread(owner.client, slug);
		const fast = await owner.client.post(`${path}?/reply`, { body: 'Too quick' });
		expect(fast.status).toBe(429);
		expect(textOf(fast.body)).toContain('You are posting very quickly');
		expect(fast.body).toContain('Too quick');
		tick();
		expect((await owner.client.post(`${path}?/reply`, { body: 'Now fine' })).status).toBe(303);
	});

	it("a thread page carries each post's words once; its data for client-side navigation carries them too", async () => {
		const owner = await person();
		const slug = await groupWith(owner.client);
		const path = await startThread(
			owner.client,
			slug,
			'Words sent once',
			'The *quartermaster* keeps the keys.'
		);
		const words = 'The <em>quartermaster</em> keeps the keys.';
		const page = await owner.client.get(path);
		expect(page.status).toBe(200);
		// In the page where it is read, not again in the hydration data (escaped or not).
		expect(page.body.split('quartermaster').length - 1).toBe(1);
		expect(page.body).toContain(words);
		expect(page.body).toContain("app.decode('postsInPage'");
		// Nor what most posts share (shown, not edited, not marked): the browser fills those in.
		// What differs is sent: this is the owner's own post.
		const data = /app\.decode\('postsInPage', (\[[^\]]*\])\)/.exec(page.body)?.[1] ?? '';
		expect(data).toContain('mine:true');
		expect(data).not.toMatch(/state:|edited:|hiddenReason:|markedHelpful:|helpfulCount:/);
		// Navigating in the browser fetches __data.json, with no rendered page to take the words from.
		const json = await owner.client.get(`${path}/__data.json`);
		expect(json.status).toBe(200);
		expect(json.body).toContain(JSON.stringify(words).slice(1, -1).replaceAll('<', '\\u003C'));
	});

	it('pages hold 20 posts; a permalink opens the right page; concurrent replies get distinct numbers', async () => {
		const owner = await person();
		const slug = await groupWith(owner.client);
		const path = await startThread(owner.client, slug);
		const threadId = Number(path.match(/\/t\/(\d+)/)![1]);
		const { token } = await createSession(host.ctx.db, owner.user.id, { twoFactorVerified: true }, clock);
		const user = (await validateSessionToken(host.ctx.db, token, clock))!.user;
		for (let i = 0; i < 24; i++) {
			tick();
			await reply(host.ctx, user, slug, threadId, `Reply ${i + 2}`);
		}
		const numbers = await host.ctx.db
			.selectFrom('posts')
			.select('number')
			.where('threadId', '=', threadId)
			.orderBy('number')
			.execute();
		expect(numbers.map((r) => r.number)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
		const page2 = textOf((await owner.client.get(`${path}?page=2`)).body);
		expect(page2).toContain('Reply 21');
		expect(page2).toContain('Reply 25');
		expect(page2).not.toContain('Reply 20 ');
		const post22 = await host.ctx.db
			.selectFrom('posts')
			.select('id')
			.where('threadId', '=', threadId)
			.where('number', '=', 22)
			.executeTakeFirstOrThrow();
		const permalink = await owner.client.get(`/groups/${slug}/p/${post22.id}`);
		expect(permalink.location).toBe(`${path}?page=2#post-${post22.id}`);
	});
});

describe('mentions', () => {
	it('link a member to their profile and e-mail them (after the delay), but not people outside the group', async () => {
		const owner = await person();
		const slug = await groupWith(owner.client);
		const member = await person();
		await member.client.post(`/groups/${slug}?/join`);
		const outsider = await person();
		const memberName = (
			await host.ctx.db
				.selectFrom('users')
				.select('displayName')
				.where('id', '=', member.user.id)
				.executeTakeFirstOrThrow()
		).displayName;
		const outsiderName = (
			await host.ctx.db
				.selectFrom('users')
				.select('displayName')
				.where('id', '=', outsider.user.id)
				.executeTakeFirstOrThrow()
		).displayName;
		const path = await startThread(
			owner.client,
			slug,
			'Mentioning thread',
			`Over to you @${memberName}, and @${outsiderName}`
		);
		const page = await member.client.get(path);
		expect(page.body).toContain(`href="/people/${member.user.id}"`);
		expect(page.body).not.toContain(`href="/people/${outsider.user.id}"`);
		// The member has not read it in the app: after the delay it is e-mailed.
		tick(11 * 60);
		await host.ctx.jobs.tick(['notification e-mail']);
		const mail = await host.ctx.db
			.selectFrom('outbox')
			.select(['subject', 'textBody'])
			.where('toAddress', '=', member.user.email)
			.orderBy('id', 'desc')
			.executeTakeFirst();
		expect(mail?.subject).toMatch(/mentioned you in “Mentioning thread”/);
		expect(mail?.textBody).toMatch(/\/notifications\/\d+/);
		const outsiderMail = await host.ctx.db
			.selectFrom('outbox')
			.select('subject')
			.where('toAddress', '=', outsider.user.email)
			.execute();
		expect(outsiderMail.filter((m) => m.subject.includes('mentioned you'))).toEqual([]);
	});

	it('an edit to a hidden post mentions nobody: they could not open it', async () => {
		const owner = await person({ totp: true });
		const slug = await groupWith(owner.client);
		const member = await person();
		await member.client.post(`/groups/${slug}?/join`);
		const other = await person();
		await other.client.post(`/groups/${slug}?/join`);
		const otherName = (
			await host.ctx.db
				.selectFrom('users')
				.select('displayName')
				.where('id', '=', other.user.id)
				.executeTakeFirstOrThrow()
		).displayName;
		await startThread(member.client, slug, 'Hidden mention thread', 'Careless words');
		const post = await host.ctx.db
			.selectFrom('posts')
			.select('id')
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(
			(await owner.client.post(`/groups/${slug}/p/${post.id}/hide`, { reason: 'Names a victim' })).status
		).toBe(303);
		expect(
			(await member.client.post(`/groups/${slug}/p/${post.id}/edit?/save`, { body: `Sorry @${otherName}` }))
				.status
		).toBe(303);
		tick(11 * 60);
		await host.ctx.jobs.tick(['notification e-mail']);
		const mail = await host.ctx.db
			.selectFrom('outbox')
			.select('subject')
			.where('toAddress', '=', other.user.email)
			.execute();
		expect(mail.filter((m) => m.subject.includes('mentioned you'))).toEqual([]);
	});

	it("suggests only the group's own members while typing, and nothing to people outside it", async () => {
		const owner = await person();
		const slug = await groupWith(owner.client);
		const member = await person();
		await member.client.post(`/groups/${slug}?/join`);
		const outsider = await person();
		const names = async (client: WebClient, q: string) => {
			const res = await client.get(`/groups/${slug}/mentions?q=${encodeURIComponent(q)}`);
			const { members } = JSON.parse(res.body) as { members: Array<{ id: string; name: string }> };
			return { status: res.status, names: members.map((m) => m.name) };
		};
		const asOwner = await names(owner.client, 'person');
		expect(asOwner.status).toBe(200);
		// The member, not the outsider, and not the person typing.
		expect(asOwner.names).toEqual([`Person ${n - 1}`]);
		expect((await names(owner.client, `son ${n - 1}`)).names).toEqual([`Person ${n - 1}`]);
		expect((await names(owner.client, '%')).names).toEqual([]);
		expect(await names(outsider.client, '')).toEqual({ status: 404, names: [] });
		// Two members with one name are both offered, each as themselves (keyed by account).
		const twin = await person();
		await twin.client.post(`/groups/${slug}?/join`);
		await host.ctx.db
			.updateTable('users')
			.set({ displayName: `Person ${n - 2}` })
			.where('id', '=', twin.user.id)
			.execute();
		const res = await owner.client.get(`/groups/${slug}/mentions?q=${encodeURIComponent(`Person ${n - 2}`)}`);
		const { members } = JSON.parse(res.body) as { members: Array<{ id: string; name: string }> };
		expect(members.map((m) => m.name)).toEqual([`Person ${n - 2}`, `Person ${n - 2}`]);
		expect(new Set(members.map((m) => m.id)).size).toBe(2);
		void member;
	});
});

describe('after posting', () => {
	it('edits keep the previous version; deletion leaves a marker; history is for the author and moderators', async () => {
		const owner = await person({ totp: true });
		const slug = await groupWith(owner.client);
		const member = await person();
		await member.client.post(`/groups/${slug}?/join`);
		const path = await startThread(member.client, slug, 'Edited thread', 'First version');
		const post = await host.ctx.db
			.selectFrom('posts')
			.select('id')
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(
			(await member.client.post(`/groups/${slug}/p/${post.id}/edit?/save`, { body: 'Second version' })).status
		).toBe(303);
		const thread = textOf((await owner.client.get(path)).body);
		expect(thread).toContain('Second version');
		expect(thread).toContain('edited');
		const history = textOf((await member.client.get(`/groups/${slug}/p/${post.id}/history`)).body);
		expect(history).toContain('First version');
		expect(textOf((await owner.client.get(`/groups/${slug}/p/${post.id}/history`)).body)).toContain(
			'First version'
		);
		const stranger = await person();
		await stranger.client.post(`/groups/${slug}?/join`);
		expect((await stranger.client.get(`/groups/${slug}/p/${post.id}/history`)).status).toBe(404);
		expect(
			(await stranger.client.post(`/groups/${slug}/p/${post.id}/edit?/save`, { body: 'hijack' })).status
		).toBe(404);

		expect((await member.client.post(`/groups/${slug}/p/${post.id}/delete`)).status).toBe(303);
		const after = textOf((await owner.client.get(path)).body);
		expect(after).toContain('Post deleted by its author.');
		expect(after).not.toContain('Second version');
		// Deleted: the earlier words are for moderators now, not the author.
		expect((await member.client.get(`/groups/${slug}/p/${post.id}/history`)).status).toBe(404);
		expect(textOf((await owner.client.get(`/groups/${slug}/p/${post.id}/history`)).body)).toContain(
			'First version'
		);
	});

	it('moderators hide with a reason and restore; members see only that it was hidden', async () => {
		const owner = await person({ totp: true });
		const slug = await groupWith(owner.client);
		const member = await person();
		await member.client.post(`/groups/${slug}?/join`);
		const path = await startThread(member.client, slug, 'Careless thread', 'A victim’s full name');
		const post = await host.ctx.db
			.selectFrom('posts')
			.select('id')
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect((await member.client.get(`/groups/${slug}/p/${post.id}/hide`)).status).toBe(404);
		expect((await owner.client.post(`/groups/${slug}/p/${post.id}/hide`, { reason: '' })).status).toBe(400);
		expect(
			(await owner.client.post(`/groups/${slug}/p/${post.id}/hide`, { reason: 'Identifies a victim.' }))
				.status
		).toBe(303);
		const seen = textOf((await member.client.get(path)).body);
		// The author is told why, on the page and by e-mail; other members see only that it was hidden.
		expect(seen).toContain('Hidden by a moderator. Reason: Identifies a victim.');
		expect(seen).not.toContain('full name');
		const mail = await host.ctx.db
			.selectFrom('outbox')
			.select(['subject', 'textBody'])
			.where('toAddress', '=', member.user.email)
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(mail.subject).toBe('A moderator hid your post in “Careless thread”');
		expect(mail.textBody).toContain('The reason given: Identifies a victim.');
		expect(mail.textBody).toContain(`/groups/${slug}/p/${post.id}`);
		const bystander = await person();
		await bystander.client.post(`/groups/${slug}?/join`);
		const theirs = textOf((await bystander.client.get(path)).body);
		expect(theirs).toContain('Hidden by a moderator.');
		expect(theirs).not.toContain('Identifies a victim.');
		const moderatorView = textOf((await owner.client.get(path)).body);
		expect(moderatorView).toContain('Identifies a victim.');
		expect(moderatorView).toContain('A victim’s full name');
		// Restoring is a decision too: it needs a reason, recorded with it. Its button is not the red
		// warning one (that is for taking something away, like hiding).
		const restore = `/groups/${slug}/p/${post.id}/hide?restore`;
		const restorePage = (await owner.client.get(restore)).body;
		expect(textOf(restorePage)).toContain('Restore this post?');
		expect(restorePage).toContain('<button class="govuk-button" type="submit">Restore post</button>');
		expect((await owner.client.get(`/groups/${slug}/p/${post.id}/hide`)).body).toContain(
			'<button class="govuk-button govuk-button--warning" type="submit">Hide post</button>'
		);
		expect((await owner.client.post(restore, { reason: '' })).status).toBe(400);
		expect(textOf((await member.client.get(path)).body)).not.toContain('A victim’s full name');
		expect((await owner.client.post(restore, { reason: 'Name removed by the author.' })).status).toBe(303);
		expect(textOf((await member.client.get(path)).body)).toContain('A victim’s full name');
		expect(await lastAuditDetails(host.ctx, 'group.post_restored')).toMatchObject({
			reason: 'Name removed by the author.'
		});
	});

	it('helpful marks toggle, one per member; the thread author marks the answer', async () => {
		const owner = await person();
		const slug = await groupWith(owner.client);
		const member = await person();
		await member.client.post(`/groups/${slug}?/join`);
		const path = await startThread(owner.client, slug, 'Question thread', 'Who knows?');
		tick();
		await member.client.post(`${path}?/reply`, { body: 'The answer is the MSHT helpline.' });
		const answer = await host.ctx.db
			.selectFrom('posts')
			.select('id')
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		await owner.client.post(`${path}?/helpful`, { post: String(answer.id) });
		expect(textOf((await owner.client.get(path)).body)).toContain('1 person finds this helpful');
		await owner.client.post(`${path}?/helpful`, { post: String(answer.id) });
		// Nobody now: the page says nothing rather than "0 people".
		expect(textOf((await owner.client.get(path)).body)).not.toContain('find this helpful');
		expect((await member.client.post(`${path}?/helpful`, { post: String(answer.id) })).status).toBe(409); // own post

		expect(
			(await member.client.post(`${path}?/answer`, { post: String(answer.id), answer: 'true' })).status
		).toBe(403);
		await owner.client.post(`${path}?/answer`, { post: String(answer.id), answer: 'true' });
		const page = textOf((await member.client.get(path)).body);
		expect(page).toContain('Answer, from Person');
		expect(page).toContain('The answer is the MSHT helpline.');
	});

	it('a locked thread says why and refuses replies; unlocking lets them in again', async () => {
		const owner = await person({ totp: true });
		const slug = await groupWith(owner.client);
		const member = await person();
		await member.client.post(`/groups/${slug}?/join`);
		const path = await startThread(member.client, slug);
		expect(
			(await owner.client.post(`${path}/lock`, { reason: 'Operation live: discussion paused.' })).status
		).toBe(303);
		tick();
		const refused = await member.client.post(`${path}?/reply`, { body: 'One more thing' });
		expect(refused.status).toBe(409);
		expect(textOf(refused.body)).toContain(
			'This thread is locked, so it takes no more replies. Operation live: discussion paused.'
		);
		expect(refused.body).toContain('One more thing');
		expect((await owner.client.post(`${path}/lock?unlock`, { reason: '' })).status).toBe(400);
		expect(
			(await owner.client.post(`${path}/lock?unlock`, { reason: 'Operation over: discussion reopened.' }))
				.status
		).toBe(303);
		tick();
		expect((await member.client.post(`${path}?/reply`, { body: 'One more thing' })).status).toBe(303);
	});

	it('pinning and unpinning a thread take a reason, recorded with the decision', async () => {
		const owner = await person({ totp: true });
		const slug = await groupWith(owner.client);
		const member = await person();
		await member.client.post(`/groups/${slug}?/join`);
		const path = await startThread(owner.client, slug, 'Read this first');
		expect((await member.client.get(`${path}/pin`)).status).toBe(404);
		expect((await member.client.post(`${path}/pin`, { reason: 'Mine now' })).status).toBe(404);
		expect((await owner.client.post(`${path}/pin`, { reason: '' })).status).toBe(400);
		expect((await owner.client.post(`${path}/pin`, { reason: 'Contacts for the operation.' })).status).toBe(
			303
		);
		expect(textOf((await owner.client.get(path)).body)).toContain('Unpin thread');
		expect(await lastAuditDetails(host.ctx, 'group.thread_pinned')).toMatchObject({
			reason: 'Contacts for the operation.'
		});
		expect(textOf((await owner.client.get(`${path}/pin?unpin`)).body)).toContain('Unpin this thread?');
		expect((await owner.client.post(`${path}/pin?unpin`, { reason: 'Operation over.' })).status).toBe(303);
		expect(await lastAuditDetails(host.ctx, 'group.thread_unpinned')).toMatchObject({
			reason: 'Operation over.'
		});
	});

	it('a moderator moves a thread to another group they moderate; it is found only there afterwards', async () => {
		const owner = await person({ totp: true });
		const from = await groupWith(owner.client);
		const to = await groupWith(owner.client, 'private');
		const member = await person();
		await member.client.post(`/groups/${from}?/join`);
		const path = await startThread(member.client, from, 'Wandering thread');
		expect((await member.client.get(`${path}/move`)).status).toBe(404);
		const moveForm = textOf((await owner.client.get(`${path}/move`)).body);
		expect(moveForm).toContain('Move to');
		const noReason = await owner.client.post(`${path}/move`, { group: to, reason: '' });
		expect(noReason.status).toBe(400);
		expect(textOf(noReason.body)).toContain('Enter a reason');
		const moved = await owner.client.post(`${path}/move`, {
			group: to,
			reason: 'Belongs with the regional work.'
		});
		const audits = await host.ctx.db
			.selectFrom('auditLog')
			.select('details')
			.where('action', '=', 'group.thread_moved')
			.orderBy('id', 'desc')
			.limit(2)
			.execute();
		for (const { details } of audits)
			expect(details).toMatchObject({ reason: 'Belongs with the regional work.' });
		// The private group is not named in the open group's log.
		expect(audits.map((a) => (a.details as { moved: string }).moved).sort()).toEqual([
			expect.stringMatching(/^from Discussion group \d+$/),
			'to a private group'
		]);
		expect(moved.location).toMatch(new RegExp(`^/groups/${to}/t/\\d+-wandering-thread$`));
		// Old links (the thread's address with its page, a post's permalink) lead to the new place
		// for those who may read it there, and are "not found" for everyone else.
		const old = await owner.client.get(`${path}?page=1`);
		expect([old.status, old.location]).toEqual([301, `${moved.location}?page=1`]);
		const post = await host.ctx.db
			.selectFrom('posts')
			.innerJoin('threads', 'threads.id', 'posts.threadId')
			.select('posts.id')
			.where('threads.title', '=', 'Wandering thread')
			.executeTakeFirstOrThrow();
		const permalink = await owner.client.get(`/groups/${from}/p/${post.id}`);
		expect([permalink.status, permalink.location]).toEqual([301, `/groups/${to}/p/${post.id}`]);
		expect((await member.client.get(path)).status).toBe(404);
		expect((await member.client.get(`/groups/${from}/p/${post.id}`)).status).toBe(404);
		expect((await member.client.get(moved.location!)).status).toBe(404); // not a member of the private group
		const notMine = await owner.client.post(`${moved.location}/move`, {
			group: 'no-such-group',
			reason: 'Testing.'
		});
		expect(textOf(notMine.body)).toContain('Choose a group you moderate');
	});

	it('read tracking: unread counts fall as pages are read, and "jump to first unread" points at the next post', async () => {
		const owner = await person();
		const slug = await groupWith(owner.client);
		const member = await person();
		await member.client.post(`/groups/${slug}?/join`);
		const path = await startThread(owner.client, slug, 'Tracked thread', 'Start');
		await member.client.get(path);
		tick();
		await owner.client.post(`${path}?/reply`, { body: 'New news' });
		expect(textOf((await member.client.get(`/groups/${slug}`)).body)).toContain('1 unread');
		const page = await member.client.get(path);
		expect(page.body).toContain('#post-number-2');
		expect(textOf((await member.client.get(`/groups/${slug}`)).body)).not.toContain('unread');
	});
});
