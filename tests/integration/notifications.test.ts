/**
 * Notifications (issue 16, in-app part): who is told of what, that nobody is told of what
 * they may not read (when written and again when shown), following levels, the list, the
 * count, opening and marking read, and the job that tells a thread's watchers running once
 * with two nodes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/lib/server/context.ts';
import { createTestHost, testConfig, type TestHost } from '../support/test-context.ts';
import { WebClient, textOf } from '../support/web-client.ts';
import { serverUrl } from '../support/test-database.ts';
import { createUser, signIn, type TestUser } from '../support/accounts.ts';

let host: TestHost;
let clock = new Date('2026-12-01T09:00:00Z');
const tick = (seconds = 6) => (clock = new Date(clock.getTime() + seconds * 1000));
const KEY = new Uint8Array(20).fill(7);

beforeAll(async () => {
	host = await createTestHost('notifications', { now: () => clock });
});
afterAll(async () => {
	await host?.close();
});

let n = 0;
interface Person {
	user: TestUser;
	client: WebClient;
	name: string;
}
async function person(options: { totp?: boolean; domain?: string } = {}): Promise<Person> {
	const name = `Officer ${String.fromCharCode(65 + (n % 26))}${++n}`;
	const user = await createUser(host.ctx, `n${n}@${options.domain ?? 'kent.police.uk'}`, {
		totpKey: options.totp ? KEY : undefined,
		displayName: name
	});
	const client = new WebClient(host.app, host.ctx.config.origin);
	await signIn(client, host.ctx, user);
	return { user, client, name };
}

async function group(owner: Person, visibility: 'open' | 'restricted' | 'private' = 'open') {
	const res = await owner.client.post('/groups/new', {
		name: `Notify group ${++n}`,
		description: '',
		visibility,
		audience: 'police_partner'
	});
	expect(res.status).toBe(303);
	return res.location!.split('/')[2]!.split('?')[0]!;
}

async function startThread(
	author: Person,
	slug: string,
	title = 'Car-wash inspections',
	body = 'What works?'
) {
	tick();
	const res = await author.client.post(`/groups/${slug}/new?/post`, { title, body });
	expect(res.status).toBe(303);
	const path = res.location!.split('?')[0]!;
	const thread = await host.ctx.db
		.selectFrom('threads')
		.select(['id'])
		.orderBy('id', 'desc')
		.executeTakeFirstOrThrow();
	return { path, id: thread.id };
}

async function replyTo(author: Person, path: string, body: string): Promise<number> {
	tick();
	const res = await author.client.post(`${path}?/reply`, { body });
	expect(res.status).toBe(303);
	return Number(res.location!.match(/#post-(\d+)$/)![1]);
}

/** What the notifications page lists for this person, as text lines. */
async function listed(who: Person): Promise<string[]> {
	const page = await who.client.get('/notifications');
	expect(page.status).toBe(200);
	return [...page.body.matchAll(/<a class="govuk-link" href="\/notifications\/\d+">([^<]*)<\/a>/g)].map((m) =>
		m[1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"')
	);
}

async function unread(who: Person): Promise<number> {
	const res = await who.client.get('/notifications/count');
	expect(res.status).toBe(200);
	return (JSON.parse(res.body) as { unread: number }).unread;
}

async function rows(userId: string) {
	return host.ctx.db
		.selectFrom('notifications')
		.select(['kind', 'postId', 'threadId', 'readAt'])
		.where('userId', '=', userId)
		.orderBy('id')
		.execute();
}

describe('who is told about a post', () => {
	it('the thread author, the quoted, the mentioned and watchers, each once, never the writer or a muted reader', async () => {
		const owner = await person();
		const slug = await group(owner);
		const [quoted, mentioned, watcher, normal, muted, writer] = await Promise.all(
			Array.from({ length: 6 }, () => person())
		);
		for (const p of [quoted, mentioned, watcher, normal, muted, writer])
			expect((await p!.client.post(`/groups/${slug}?/join`)).status).toBe(303);
		const { path } = await startThread(owner, slug);
		const quotedPost = await replyTo(quoted!, path, 'Licensing checks with the council.');
		await host.ctx.jobs.drain();
		// The thread's author watches it (they started it): the first reply reaches them once, as a reply.
		expect((await rows(owner.user.id)).map((r) => r.kind)).toEqual(['reply']);

		expect((await watcher!.client.post(`${path}?/follow`, { level: 'watching' })).location).toContain(
			'notice=follow-saved'
		);
		expect((await muted!.client.post(`${path}?/follow`, { level: 'muted' })).status).toBe(303);
		// The muted one is also mentioned: muting wins. The quote is as the Quote link starts it.
		expect((await writer!.client.get(`${path}?quote=${quotedPost}`)).body).toContain(
			`(/groups/${slug}/p/${quotedPost})`
		);
		const post = await replyTo(
			writer!,
			path,
			`> Licensing checks with the council.\n>\n> — [${quoted!.name}](/groups/${slug}/p/${quotedPost})\n\nAgreed, @${mentioned!.name} and @${muted!.name} and @${writer!.name}.`
		);
		await host.ctx.jobs.drain();

		const kinds = async (p: Person) =>
			(await rows(p.user.id)).filter((r) => r.postId === post).map((r) => r.kind);
		expect(await kinds(owner)).toEqual(['reply']);
		expect(await kinds(quoted!)).toEqual(['quote']); // also a watcher (they replied): told once
		expect(await kinds(mentioned!)).toEqual(['mention']);
		expect(await kinds(watcher!)).toEqual(['watching_post']);
		expect(await kinds(normal!)).toEqual([]);
		expect(await kinds(muted!)).toEqual([]);
		expect(await kinds(writer!)).toEqual([]);

		expect(await listed(mentioned!)).toEqual([`${writer!.name} mentioned you in “Car-wash inspections”`]);
		expect(await listed(quoted!)).toEqual([`${writer!.name} quoted your post in “Car-wash inspections”`]);
		expect(await unread(watcher!)).toBe(1);
	});

	it('a quote of a post in another group tells nobody; a mention of a non-member links nothing and tells nobody', async () => {
		const owner = await person();
		const secret = await group(owner, 'private');
		const secretThread = await startThread(owner, secret, 'Operation Kestrel');
		const secretPost = await host.ctx.db
			.selectFrom('posts')
			.select('id')
			.where('threadId', '=', secretThread.id)
			.executeTakeFirstOrThrow();
		const open = await group(owner);
		const outsider = await person();
		await outsider.client.post(`/groups/${open}?/join`);
		const { path } = await startThread(outsider, open, 'Open thread');
		const stranger = await person();
		await replyTo(
			outsider,
			path,
			`> x\n>\n> — [Someone](/groups/${secret}/p/${secretPost.id})\n\nHello @${stranger.name}`
		);
		await host.ctx.jobs.drain();
		// The owner wrote the quoted post but is told nothing from a group thread they are not in.
		expect((await rows(owner.user.id)).filter((r) => r.kind === 'quote')).toEqual([]);
		expect(await rows(stranger.user.id)).toEqual([]);
	});

	it('a group watcher hears of each new thread; Normal members do not; a new thread in a private group reaches only members', async () => {
		const owner = await person();
		const slug = await group(owner);
		const keen = await person();
		const quiet = await person();
		await keen.client.post(`/groups/${slug}?/join`);
		await quiet.client.post(`/groups/${slug}?/join`);
		expect(textOf((await keen.client.get(`/groups/${slug}`)).body)).toContain('Notifications for this group');
		expect((await keen.client.post(`/groups/${slug}?/follow`, { level: 'watching' })).location).toBe(
			`/groups/${slug}?notice=follow-saved`
		);
		// A level that is not one of the three changes nothing.
		expect((await quiet.client.post(`/groups/${slug}?/follow`, { level: 'everything' })).status).toBe(400);
		expect(
			await host.ctx.db
				.selectFrom('groupFollows')
				.select('level')
				.where('userId', '=', quiet.user.id)
				.execute()
		).toEqual([]);
		await startThread(owner, slug, 'Referral pathways');
		await host.ctx.jobs.drain();
		expect(await listed(keen)).toEqual([`${owner.name} started a new thread, “Referral pathways”`]);
		expect(await listed(quiet)).toEqual([]);

		// Someone who is not a member cannot set a level for a group they cannot read.
		const stranger = await person();
		const privateSlug = await group(owner, 'private');
		expect((await stranger.client.post(`/groups/${privateSlug}?/follow`, { level: 'watching' })).status).toBe(
			404
		);
	});
});

describe('asked again when shown', () => {
	it('a post hidden since, a member removed since and a thread moved out of reach are neither listed nor counted, nor opened', async () => {
		const owner = await person({ totp: true });
		const slug = await group(owner);
		const member = await person();
		const writer = await person();
		await member.client.post(`/groups/${slug}?/join`);
		await writer.client.post(`/groups/${slug}?/join`);
		const { path } = await startThread(member, slug, 'Hidden soon');
		const hidden = await replyTo(writer, path, 'Names a victim');
		const kept = await replyTo(writer, path, 'A fine reply');
		expect(await unread(member)).toBe(2);
		const ids = (
			await host.ctx.db
				.selectFrom('notifications')
				.select(['id', 'postId'])
				.where('userId', '=', member.user.id)
				.orderBy('id')
				.execute()
		).map((r) => r.id);

		expect(
			(await owner.client.post(`/groups/${slug}/p/${hidden}/hide`, { reason: 'Names a victim' })).status
		).toBe(303);
		expect(await unread(member)).toBe(1);
		expect(await listed(member)).toHaveLength(1);
		expect((await member.client.get(`/notifications/${ids[0]}`)).status).toBe(404);
		// The other still opens, at its post.
		expect((await member.client.get(`/notifications/${ids[1]}`)).location).toBe(`/groups/${slug}/p/${kept}`);

		// Removed from the group: nothing from it is shown any more.
		expect(
			(
				await owner.client.post(`/groups/${slug}/manage/members/${member.user.id}?/remove`, {
					reason: 'Left the unit.'
				})
			).status
		).toBe(303);
		expect(await unread(member)).toBe(0);
		expect(await listed(member)).toEqual([]);
		expect((await member.client.get(`/notifications/${ids[1]}`)).status).toBe(404);
		// Nor does a later post in the thread they watched reach them.
		await replyTo(writer, path, 'After the removal');
		await host.ctx.jobs.drain();
		expect((await rows(member.user.id)).length).toBe(2);

		// A thread moved into a private group the reader is not in: its notifications go with it.
		const reader = await person();
		await reader.client.post(`/groups/${slug}?/join`);
		const wandering = await startThread(reader, slug, 'Wandering thread');
		await replyTo(writer, wandering.path, 'A reply the reader is told of');
		expect(await listed(reader)).toEqual([`${writer.name} replied to your thread “Wandering thread”`]);
		const elsewhere = await group(owner, 'private');
		expect(
			(
				await owner.client.post(`${wandering.path}/move`, {
					group: elsewhere,
					reason: 'Belongs with the regional work.'
				})
			).status
		).toBe(303);
		expect(await unread(reader)).toBe(0);
		expect(await listed(reader)).toEqual([]);
	});

	it('another person’s notification cannot be opened or marked read', async () => {
		const owner = await person();
		const slug = await group(owner);
		const member = await person();
		await member.client.post(`/groups/${slug}?/join`);
		const { path } = await startThread(owner, slug);
		await replyTo(member, path, 'A reply');
		const [mine] = await host.ctx.db
			.selectFrom('notifications')
			.select('id')
			.where('userId', '=', owner.user.id)
			.execute();
		expect((await member.client.get(`/notifications/${mine!.id}`)).status).toBe(404);
		expect((await member.client.get('/notifications/abc')).status).toBe(404);
		expect((await member.client.get('/notifications/99999999999999999999')).status).toBe(404);
		await member.client.post('/notifications?/readAll', { upTo: String(mine!.id) });
		expect(await unread(owner)).toBe(1);
	});
});

describe('the list', () => {
	it('opening one marks it read and goes to the post; replies in a watched thread are grouped; mark all read keeps what came later', async () => {
		const owner = await person();
		const slug = await group(owner);
		const writer = await person();
		await writer.client.post(`/groups/${slug}?/join`);
		const { path } = await startThread(writer, slug, 'Busy thread');
		await owner.client.post(`${path}?/follow`, { level: 'watching' });
		const first = await replyTo(writer, path, 'One');
		await replyTo(writer, path, 'Two');
		await replyTo(writer, path, 'Three');
		await host.ctx.jobs.drain();
		expect(await listed(owner)).toEqual(['3 new replies in “Busy thread”']);
		const header = await owner.client.get('/groups');
		expect(textOf(header.body)).toMatch(/Notifications\s*3 unread/);

		const page = await owner.client.get('/notifications');
		const open = page.body.match(/href="(\/notifications\/\d+)"/)![1]!;
		const opened = await owner.client.get(open);
		expect(opened.status).toBe(303);
		expect(opened.location).toBe(`/groups/${slug}/p/${first}`);
		expect(await unread(owner)).toBe(0);
		expect(await listed(owner)).toHaveLength(3); // read ones are listed one by one

		await replyTo(writer, path, 'Four');
		await host.ctx.jobs.drain();
		const newest = Number(
			(await owner.client.get('/notifications')).body.match(/name="upTo" value="(\d+)"/)![1]
		);
		await replyTo(writer, path, 'Five, after the page was shown');
		await host.ctx.jobs.drain();
		const readAll = await owner.client.post('/notifications?/readAll', { upTo: String(newest) });
		expect(readAll.location).toBe('/notifications?notice=notifications-read');
		expect(await unread(owner)).toBe(1);
		expect(textOf((await owner.client.get(readAll.location!)).body)).toContain(
			'All your notifications are marked as read.'
		);
	});

	it('pages by id (30 a page, older link), with an empty state that says what will appear', async () => {
		const fresh = await person();
		const empty = textOf((await fresh.client.get('/notifications')).body);
		expect(empty).toContain('You have no notifications yet.');
		expect(textOf((await fresh.client.get('/notifications?before=1')).body)).toContain(
			'There are no older notifications.'
		);
		const owner = await person();
		const slug = await group(owner);
		const writer = await person();
		await writer.client.post(`/groups/${slug}?/join`);
		// 35 threads by the writer, each mentioning the owner: 35 notifications, none grouped.
		for (let i = 0; i < 35; i++) await startThread(writer, slug, `Thread ${i}`, `Hello @${owner.name}`);
		const one = await owner.client.get('/notifications');
		const firstPage = await listed(owner);
		expect(firstPage).toHaveLength(30);
		expect(firstPage[0]).toContain('Thread 34');
		const older = one.body.match(/href="(\/notifications\?before=\d+)"/)![1]!;
		const second = await owner.client.get(older);
		const secondTexts = [...second.body.matchAll(/href="\/notifications\/\d+">([^<]*)</g)].map((m) => m[1]);
		expect(secondTexts).toHaveLength(5);
		expect(secondTexts.at(-1)).toContain('Thread 0');
		expect(await unread(owner)).toBe(35);
	});
});

describe('helpful, answers and groups', () => {
	it('helpful marks are grouped per post; the answer is told; the marker and chooser are never told of their own act', async () => {
		const owner = await person();
		const slug = await group(owner);
		const [a, b, author] = [await person(), await person(), await person()];
		for (const p of [a, b, author]) await p.client.post(`/groups/${slug}?/join`);
		const { path } = await startThread(owner, slug, 'Which form?');
		const post = await replyTo(author, path, 'Form NRM1');
		await a.client.post(`${path}?/helpful`, { post: String(post) });
		tick();
		await b.client.post(`${path}?/helpful`, { post: String(post) });
		await owner.client.post(`${path}?/answer`, { post: String(post), answer: 'true' });
		expect(await listed(author)).toEqual([
			`${owner.name} chose your post as the answer in “Which form?”`,
			'2 people found your post in “Which form?” helpful'
		]);
	});

	it('moderators hear of a join request; the asker hears the decision with its reason; invitations and role changes are told', async () => {
		const owner = await person({ totp: true });
		const slug = await group(owner, 'restricted');
		const asker = await person();
		await asker.client.post(`/groups/${slug}?/ask`, { message: 'Please' });
		expect(await listed(owner)).toEqual([`${asker.name} asked to join ${await groupName(slug)}`]);
		const requestId = (await owner.client.get(`/groups/${slug}/manage`)).body.match(
			/name="request" value="(\d+)"/
		)![1]!;
		await owner.client.post(`/groups/${slug}/manage?/decline`, {
			request: requestId,
			reason: 'Police only for now.'
		});
		expect(await unread(owner)).toBe(0); // the request is settled
		expect(await listed(asker)).toEqual([
			`Your request to join ${await groupName(slug)} was declined. The reason given: Police only for now.`
		]);

		const invitee = await person();
		await owner.client.post(`/groups/${slug}/manage?/invite`, { email: invitee.user.email, days: '14' });
		expect(await listed(invitee)).toEqual([`${owner.name} invited you to join ${await groupName(slug)}`]);
		const opened = await invitee.client.get(
			(await invitee.client.get('/notifications')).body.match(/href="(\/notifications\/\d+)"/)![1]!
		);
		expect(opened.location).toBe(`/groups/${slug}`);
		await invitee.client.post(`/groups/${slug}?/accept`);
		await owner.client.post(`/groups/${slug}/manage/members/${invitee.user.id}?/role`, {
			role: 'moderator',
			roleReason: 'Runs the desk.'
		});
		expect((await listed(invitee))[0]).toBe(`You are now a moderator of ${await groupName(slug)}`);
	});
});

/** Another node on the same database, on the test's clock (PostgreSQL only). */
function secondNode() {
	return createContext(testConfig({ DATABASE_URL: host.database.url }), { migrate: false, now: () => clock });
}

function onPostgres() {
	return !!serverUrl();
}

async function groupName(slug: string) {
	return (
		await host.ctx.db.selectFrom('groups').select('name').where('slug', '=', slug).executeTakeFirstOrThrow()
	).name;
}

describe.skipIf(!onPostgres())('the watchers job', () => {
	it('with two nodes draining at once, each watcher is told once and the job runs once', async () => {
		const owner = await person();
		const slug = await group(owner);
		const watchers = await Promise.all(Array.from({ length: 5 }, () => person()));
		const { path } = await startThread(owner, slug, 'Busy');
		for (const w of watchers) {
			await w.client.post(`/groups/${slug}?/join`);
			await w.client.post(`${path}?/follow`, { level: 'watching' });
		}
		const second = await secondNode();
		try {
			await replyTo(owner, path, 'News for all watchers');
			await Promise.all([host.ctx.jobs.drain(), second.jobs.drain(), host.ctx.jobs.drain()]);
			for (const w of watchers) {
				expect((await rows(w.user.id)).map((r) => r.kind)).toEqual(['watching_post']);
				const events = await host.ctx.db
					.selectFrom('events')
					.select('type')
					.where('channel', '=', `user:${w.user.id}`)
					.where('type', '=', 'notification.created')
					.execute();
				expect(events).toHaveLength(1);
			}
			const jobs = await host.ctx.db
				.selectFrom('jobs')
				.select(['attempts', 'doneAt'])
				.where('kind', '=', 'notify.watchers')
				.orderBy('id', 'desc')
				.limit(1)
				.execute();
			expect(jobs[0]).toMatchObject({ attempts: 1 });
			expect(jobs[0]!.doneAt).not.toBeNull();
		} finally {
			await second.close();
		}
	});
});

describe('What’s new on the home page', () => {
	/** The titles What's new lists, in order, and its "Older activity" link. */
	async function whatsNew(who: Person, path = '/') {
		const body = (await who.client.get(path)).body;
		const section = body.slice(body.indexOf('id="whats-new"'), body.indexOf('Your groups</h2>'));
		return {
			text: textOf(section),
			titles: [
				...section.matchAll(/<a class="govuk-link govuk-!-font-weight-bold" href="([^"]*)">([^<]*)<\/a>/g)
			].map((m) => m[2]),
			hrefs: [...section.matchAll(/<a class="govuk-link govuk-!-font-weight-bold" href="([^"]*)">/g)].map(
				(m) => m[1]!.replace(/&amp;/g, '&')
			),
			older: section.match(/href="(\/\?after=[^"#]*)/)?.[1]
		};
	}

	it('lists unread and never-opened discussions of my groups, latest first, at the first unread post; leaves out muted ones and other groups', async () => {
		const fresh = await person();
		expect((await whatsNew(fresh)).text).toContain('New discussions in your groups will show here.');
		expect(textOf((await fresh.client.get('/')).body)).toContain(
			'You are not in any groups yet. Find groups to join'
		);

		const owner = await person();
		const mine = await group(owner);
		const other = await group(owner);
		const reader = await person();
		await reader.client.post(`/groups/${mine}?/join`);
		const read = await startThread(owner, mine, 'Read then replied');
		await reader.client.get(read.path);
		expect((await whatsNew(reader)).text).toContain('You are up to date');
		await replyTo(owner, read.path, 'A new reply');
		const unopened = await startThread(owner, mine, 'Never opened');
		const muted = await startThread(owner, mine, 'Muted thread');
		await reader.client.post(`${muted.path}?/follow`, { level: 'muted' });
		await startThread(owner, other, 'Not my group');

		const seen = await whatsNew(reader);
		expect(seen.titles).toEqual(['Never opened', 'Read then replied']);
		expect(seen.text).toContain('New');
		expect(seen.text).toContain('1 unread');
		expect(seen.hrefs).toEqual([unopened.path, `${read.path}?page=1#post-number-2`]);

		// Muting the group leaves it all out, unless a thread has its own level.
		await reader.client.post(`/groups/${mine}?/follow`, { level: 'muted' });
		await reader.client.post(`${unopened.path}?/follow`, { level: 'watching' });
		expect((await whatsNew(reader)).titles).toEqual(['Never opened']);
	});

	it('pages 20 at a time by last activity, without repeats', async () => {
		const owner = await person();
		const slug = await group(owner);
		const reader = await person();
		await reader.client.post(`/groups/${slug}?/join`);
		for (let i = 0; i < 23; i++) await startThread(owner, slug, `Busy ${i}`);
		const first = await whatsNew(reader);
		expect(first.titles).toHaveLength(20);
		expect(first.titles[0]).toBe('Busy 22');
		expect(first.older).toBeTruthy();
		const second = await whatsNew(reader, first.older!);
		expect(second.titles).toEqual(['Busy 2', 'Busy 1', 'Busy 0']);
		expect(second.older).toBeUndefined();
		// A cursor that is not one shows the first page.
		expect((await whatsNew(reader, '/?after=x%27--')).titles).toHaveLength(20);
	});
});

describe('e-mail', () => {
	const sendDue = () => host.ctx.jobs.tick(['notification e-mail']);
	async function mailTo(who: Person) {
		return host.ctx.db
			.selectFrom('outbox')
			.select(['subject', 'textBody', 'htmlBody', 'headers'])
			.where('toAddress', '=', who.user.email)
			.orderBy('id')
			.execute();
	}

	it('waits the delay, is dropped when read in the app meanwhile, and has text, HTML and one-click unsubscribe', async () => {
		const owner = await person();
		const slug = await group(owner);
		const member = await person();
		await member.client.post(`/groups/${slug}?/join`);
		const { path } = await startThread(owner, slug, 'Night shift handover', `Over to @${member.name}`);
		await sendDue();
		expect(await mailTo(member)).toEqual([]); // not yet: the delay has not passed
		tick(10 * 60);
		await sendDue();
		const [mail] = await mailTo(member);
		expect(mail!.subject).toBe(`${owner.name} mentioned you in “Night shift handover”`);
		expect(mail!.textBody).toContain(`Hello ${member.name},`);
		expect(mail!.textBody).toMatch(/Open it on Muster: http:\/\/localhost:\d+\/notifications\/\d+/);
		expect(mail!.htmlBody).toContain('<html lang="en-GB">');
		expect(mail!.htmlBody).toContain(`${owner.name} mentioned you in “Night shift handover”`);
		expect(mail!.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
		expect(mail!.headers['List-Unsubscribe']).toMatch(
			/^<http:\/\/localhost:\d+\/api\/v1\/unsubscribe\/[^>]+>$/
		);
		// Sent once.
		tick(10 * 60);
		await sendDue();
		expect(await mailTo(member)).toHaveLength(1);

		// A second mention, read in the app before the delay is up: no e-mail.
		const second = await replyTo(owner, path, `And @${member.name} again`);
		const opened = await member.client.get(
			(await member.client.get('/notifications')).body.match(/href="(\/notifications\/\d+)"/)![1]!
		);
		expect(opened.location).toBe(`/groups/${slug}/p/${second}`);
		tick(11 * 60);
		await sendDue();
		expect(await mailTo(member)).toHaveLength(1);

		// A third, hidden by a moderator before it is sent: not e-mailed either.
		const moderator = await person({ totp: true });
		await moderator.client.post(`/groups/${slug}?/join`);
		await host.ctx.db
			.updateTable('groupMembers')
			.set({ role: 'moderator' })
			.where('userId', '=', moderator.user.id)
			.execute();
		const third = await replyTo(owner, path, `@${member.name} the victim's name is…`);
		await moderator.client.post(`/groups/${slug}/p/${third}/hide`, { reason: 'Names a victim' });
		tick(11 * 60);
		await sendDue();
		expect(await mailTo(member)).toHaveLength(1);
	});

	it('follows each person’s choices; a bad choice changes nothing', async () => {
		const owner = await person();
		const slug = await group(owner);
		const member = await person();
		await member.client.post(`/groups/${slug}?/join`);
		const page = textOf((await member.client.get('/settings/notifications')).body);
		expect(page).toContain(
			'Replies to you, mentions, quotes, answers, helpful marks, changes to your role and files found to contain a virus'
		);
		const bad = await member.client.post('/settings/notifications', {
			addressed: 'hourly',
			watching: 'never'
		});
		expect(bad.status).toBe(400);
		expect(textOf(bad.body)).toContain('Choose how often to be e-mailed.');
		expect(
			await host.ctx.db
				.selectFrom('emailPreferences')
				.select('cadence')
				.where('userId', '=', member.user.id)
				.execute()
		).toEqual([]);
		const saved = await member.client.post('/settings/notifications', {
			addressed: 'never',
			watching: 'weekly'
		});
		expect(saved.location).toBe('/settings/notifications?notice=email-settings-saved');
		await startThread(owner, slug, 'Quiet please', `Hello @${member.name}`);
		tick(11 * 60);
		await sendDue();
		expect(await mailTo(member)).toEqual([]);
		// Still told in the app.
		expect(await unread(member)).toBe(1);
	});

	it('unsubscribes one person from one kind with a signed link that cannot be turned to another', async () => {
		const owner = await person();
		const slug = await group(owner);
		const member = await person();
		await member.client.post(`/groups/${slug}?/join`);
		await startThread(owner, slug, 'Unsubscribe me', `Hello @${member.name}`);
		tick(11 * 60);
		await sendDue();
		const [mail] = await mailTo(member);
		const link = mail!.textBody.match(
			/To stop these e-mails: http:\/\/localhost:\d+(\/unsubscribe\/\S+)/
		)![1]!;
		const token = link.split('/').at(-1)!;
		const [userId, category, signature] = token.split('.');
		expect([userId, category]).toEqual([member.user.id, 'addressed']);

		// Edited to another person or another kind, it is refused, and nothing changes.
		const anon = new WebClient(host.app, host.ctx.config.origin);
		for (const forged of [
			`${owner.user.id}.addressed.${signature}`,
			`${userId}.watching.${signature}`,
			`${token}x`
		]) {
			expect((await anon.get(`/unsubscribe/${forged}`)).status).toBe(404);
			expect((await anon.post(`/unsubscribe/${forged}`)).status).toBe(404);
			const api = await host.app.inject({
				method: 'POST',
				url: `/api/v1/unsubscribe/${forged}`,
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				payload: 'List-Unsubscribe=One-Click'
			});
			expect(api.statusCode).toBe(404);
		}
		expect(await host.ctx.db.selectFrom('emailPreferences').selectAll().execute()).not.toContainEqual(
			expect.objectContaining({ userId: owner.user.id, cadence: 'never' })
		);

		// Opening the link changes nothing; the button does, signed in or not.
		const shown = await anon.get(link);
		expect(shown.status).toBe(200);
		expect(textOf(shown.body)).toContain('Stop these e-mails?');
		expect(
			await host.ctx.db
				.selectFrom('emailPreferences')
				.select('cadence')
				.where('userId', '=', member.user.id)
				.execute()
		).toEqual([]);
		const stopped = await anon.post(link);
		expect(stopped.status).toBe(200);
		expect(textOf(stopped.body)).toContain('You have unsubscribed');
		expect(
			await host.ctx.db
				.selectFrom('emailPreferences')
				.select(['category', 'cadence'])
				.where('userId', '=', member.user.id)
				.execute()
		).toEqual([{ category: 'addressed', cadence: 'never' }]);

		// The one-click POST a mail program makes (RFC 8058), with no cookie and no origin.
		const oneClick = await host.app.inject({
			method: 'POST',
			url: `/api/v1/unsubscribe/${token}`,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			payload: 'List-Unsubscribe=One-Click'
		});
		expect(oneClick.statusCode).toBe(200);
		expect(JSON.parse(oneClick.body)).toEqual({ unsubscribed: 'addressed' });
	});

	it('a group marked "e-mails without content" (private groups start so) is never named in e-mail', async () => {
		const owner = await person({ totp: true });
		const slug = await group(owner, 'private');
		const member = await person();
		await owner.client.post(`/groups/${slug}/manage?/invite`, { email: member.user.email, days: '14' });
		await member.client.post(`/groups/${slug}?/accept`);
		await startThread(owner, slug, 'Operation Kestrel raids', `Briefing for @${member.name}`);
		tick(11 * 60);
		await sendDue();
		const mails = (await mailTo(member)).filter((m) => !m.subject.includes('invited'));
		expect(mails).toHaveLength(1);
		expect(mails[0]!.subject).toBe('There is something new for you on Muster');
		for (const body of [mails[0]!.textBody, mails[0]!.htmlBody!]) {
			expect(body).not.toContain('Kestrel');
			expect(body).not.toContain(await groupName(slug));
			expect(body).not.toContain('Briefing');
		}
		// The owners can turn it off; the change is in the settings form.
		const settings = textOf((await owner.client.get(`/groups/${slug}/manage/settings`)).body);
		expect(settings).toContain('E-mails without content');
	});

	it('a daily summary lists what was not read since the last one, once a day, and nothing when there is nothing', async () => {
		clock = new Date('2026-12-10T06:00:00Z'); // 6am in London: before the summaries
		const owner = await person();
		const slug = await group(owner);
		const watcher = await person();
		await watcher.client.post(`/groups/${slug}?/join`);
		await watcher.client.post(`/groups/${slug}?/follow`, { level: 'watching' });
		tick(60);
		await startThread(owner, slug, 'Dawn raid debrief');
		await host.ctx.jobs.drain();
		await sendDue();
		expect(await mailTo(watcher)).toEqual([]); // watching: daily by default, never straight away
		await host.ctx.jobs.tick(['digests']);
		expect(await mailTo(watcher)).toEqual([]); // not 7am yet

		clock = new Date('2026-12-10T07:05:00Z');
		await host.ctx.jobs.tick(['digests']);
		const [digest] = await mailTo(watcher);
		expect(digest!.subject).toBe('Your daily summary from Muster');
		const origin = host.ctx.config.origin;
		const notification = (
			await host.ctx.db
				.selectFrom('notifications')
				.select('id')
				.where('userId', '=', watcher.user.id)
				.executeTakeFirstOrThrow()
		).id;
		const token = digest!.textBody.match(/\/unsubscribe\/(\S+)/)![1]!;
		expect(token.startsWith(`${watcher.user.id}.watching.`)).toBe(true);
		expect(digest!.textBody).toBe(
			[
				`Hello ${watcher.name},`,
				'Here is what is new for you on Muster today.',
				`To choose what Muster e-mails you, and how often: ${origin}/settings/notifications`,
				`- ${owner.name} started a new thread, “Dawn raid debrief”\n  ${origin}/notifications/${notification}`,
				`See all your notifications: ${origin}/notifications`,
				`--\nMuster: ${origin}\nYou get these e-mails because of your setting for what you watch and follow. To stop these e-mails: ${origin}/unsubscribe/${token}`
			].join('\n\n')
		);
		expect(digest!.htmlBody).toContain(
			`<ul><li><a href="${origin}/notifications/${notification}">${owner.name} started a new thread, “Dawn raid debrief”</a></li></ul>`
		);
		// Once a day, however many nodes or ticks.
		await host.ctx.jobs.tick(['digests']);
		expect(await mailTo(watcher)).toHaveLength(1);

		// The next morning: nothing new, nothing sent.
		clock = new Date('2026-12-11T07:05:00Z');
		await host.ctx.jobs.tick(['digests']);
		expect(await mailTo(watcher)).toHaveLength(1);
	});
});

describe.skipIf(!onPostgres())('e-mail with two nodes', () => {
	it('each due e-mail is sent once', async () => {
		const owner = await person();
		const slug = await group(owner);
		const members = await Promise.all(Array.from({ length: 4 }, () => person()));
		for (const m of members) await m.client.post(`/groups/${slug}?/join`);
		await startThread(owner, slug, 'Everyone', members.map((m) => `@${m.name}`).join(' '));
		tick(11 * 60);
		const second = await secondNode();
		try {
			await Promise.all([
				host.ctx.jobs.tick(['notification e-mail']),
				second.jobs.tick(['notification e-mail'])
			]);
			for (const m of members) {
				const mails = await host.ctx.db
					.selectFrom('outbox')
					.select('subject')
					.where('toAddress', '=', m.user.email)
					.execute();
				expect(mails).toHaveLength(1);
			}
		} finally {
			await second.close();
		}
	});
});
