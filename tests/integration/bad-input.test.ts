/**
 * Odd and hostile input gets a clear answer and changes nothing it should not: NUL
 * characters (PostgreSQL refuses them), impossible dates, numbers too big for the database,
 * junk in addresses that go back into a redirect, and bodies that are not readable forms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { WebClient, textOf } from '../support/web-client.ts';
import { createUser, signIn } from '../support/accounts.ts';

let host: TestHost;
let clock = new Date('2026-11-28T09:00:00Z');
const tick = () => (clock = new Date(clock.getTime() + 10_000));
let member: WebClient;
let threadPath = '';

beforeAll(async () => {
	host = await createTestHost('bad_input', { now: () => clock });
	const account = await createUser(host.ctx, 'odd.input@kent.police.uk');
	member = new WebClient(host.app, host.ctx.config.origin);
	await signIn(member, host.ctx, account);
	const created = await member.post('/groups/new', {
		name: 'Odd input desk',
		description: '',
		visibility: 'open',
		audience: 'police'
	});
	const slug = created.location!.split('/')[2]!.split('?')[0]!;
	tick();
	const started = await member.post(`/groups/${slug}/new?/post`, { title: 'First thread', body: 'Hello' });
	threadPath = started.location!.split('?')[0]!.split('#')[0]!;
});
afterAll(async () => {
	await host?.close();
});

describe('odd input', () => {
	it('NUL characters in a post are refused with the text kept, and searches say they were removed', async () => {
		tick();
		const res = await member.post(`${threadPath}?/reply`, { body: 'Before\u0000after' });
		expect(res.status).toBe(400);
		expect(textOf(res.body)).toContain(
			'This contained characters that cannot be kept, such as a null character, and we have removed them. Check it and send it again'
		);
		expect(res.body).toContain('Beforeafter</textarea>');
		expect(textOf((await member.get(threadPath)).body)).not.toContain('Beforeafter');
		for (const [path, cleaned] of [
			['/groups?q=%00', '/groups?q=&cleaned=1'],
			['/practice?q=a%00b', '/practice?q=ab&cleaned=1'],
			['/groups/odd-input-desk/members?q=%00', '/groups/odd-input-desk/members?q=&cleaned=1']
		] as const) {
			const first = await member.get(path);
			expect([path, first.status, first.location]).toEqual([path, 303, cleaned]);
			const page = await member.get(first.location!);
			expect(page.status).toBe(200);
			expect(textOf(page.body)).toContain('The address held characters that cannot be used');
		}
	});

	it('a search too long for its box is refused with the limit named, the text kept to shorten', async () => {
		for (const [path, limit] of [
			['/groups?q=', 100],
			['/practice?q=', 100],
			['/groups/odd-input-desk/members?q=', 100]
		] as const) {
			const typed = 'exploitation '.repeat(20).trim();
			const page = await member.get(`${path}${encodeURIComponent(typed)}`);
			expect(page.status).toBe(200);
			expect(textOf(page.body)).toContain(`Error: Search for ${limit} characters or fewer`);
			expect(page.body).toContain(`value="${typed}"`);
			// Within the limit, no error.
			const fine = await member.get(`${path}${encodeURIComponent(typed.slice(0, limit))}`);
			expect(textOf(fine.body)).not.toContain('characters or fewer');
		}
	});

	it('groups named without a Latin letter or digit are all created, each at its own address', async () => {
		const names = [
			...Array.from({ length: 22 }, () => 'Группа по борьбе с торговлей людьми'),
			'فريق مكافحة الاتجار بالبشر',
			'反人口贩卖小组',
			'!!! ??? ***'
		];
		const slugs = new Set<string>();
		for (const name of names) {
			const res = await member.post('/groups/new', {
				name,
				description: '',
				visibility: 'open',
				audience: 'police'
			});
			expect([name, res.status]).toEqual([name, 303]);
			const slug = res.location!.split('/')[2]!.split('?')[0]!;
			expect(slug).toMatch(/^group-[a-z0-9]{1,6}$/);
			slugs.add(slug);
			const page = await member.get(`/groups/${slug}`);
			expect(textOf(page.body)).toContain(name);
		}
		expect(slugs.size).toBe(names.length);
	});

	it('a page number that is not one is left out of the redirect after an action', async () => {
		const post = /id="post-(\d+)"/.exec((await member.get(threadPath)).body)![1]!;
		const other = await createUser(host.ctx, 'other.reader@kent.police.uk');
		const group = await host.ctx.db
			.selectFrom('groups')
			.select('id')
			.where('slug', '=', 'odd-input-desk')
			.executeTakeFirstOrThrow();
		await host.ctx.db
			.insertInto('groupMembers')
			.values({ groupId: group.id, userId: other.id, role: 'member' })
			.execute();
		const reader = new WebClient(host.app, host.ctx.config.origin);
		await signIn(reader, host.ctx, other);
		const res = await reader.post(`${threadPath}?page=%E2%98%83%0d%0aSet-Cookie:x=1&/helpful`, { post });
		expect(res.status).toBe(303);
		expect(res.location!.startsWith(threadPath)).toBe(true);
		expect(res.location).not.toMatch(/page=|Set-Cookie|%E2/);
		const marks = await host.ctx.db
			.selectFrom('postHelpful')
			.select('userId')
			.where('postId', '=', Number(post))
			.execute();
		expect(marks).toEqual([{ userId: other.id }]);
	});

	it('a quote of a post number too big for the database is ignored', async () => {
		expect((await member.get(`${threadPath}?quote=99999999999999999999`)).status).toBe(200);
		expect((await member.get(`${threadPath}?quote=0x1`)).status).toBe(200);
	});

	it('an impossible date on the practice form is named, and nothing is saved', async () => {
		const before = await host.ctx.db.selectFrom('practices').select('id').execute();
		for (const startDate of ['2026-02-30', '2026-04-31', '0000-01-01']) {
			const res = await member.post('/practice/new', { title: 'Dated entry', startDate });
			expect(res.status).toBe(400);
			expect(textOf(res.body)).toContain('as a real date');
		}
		expect(await host.ctx.db.selectFrom('practices').select('id').execute()).toEqual(before);
	});

	it('practice dates come as day, month and year; impossible or partial ones are named, nothing saved', async () => {
		const before = await host.ctx.db.selectFrom('practices').select('id').execute();
		// The box that is wrong is marked, and the summary takes a person to it (all three, and
		// the day, when the date as a whole is wrong).
		for (const [day, month, year, wrong] of [
			['30', '2', '2026', 'day month year'],
			['1', '3', '', 'year'],
			['x', '3', '2026', 'day'],
			['1', '13', '2026', 'month']
		]) {
			const res = await member.post('/practice/new', {
				title: 'Dated entry',
				'startDate-day': day!,
				'startDate-month': month!,
				'startDate-year': year!
			});
			expect([day, month, year, res.status]).toEqual([day, month, year, 400]);
			expect(textOf(res.body)).toContain('Enter the start date as a real date, with a day, month and year');
			// What was typed stays in the boxes.
			expect(res.body).toContain(
				`name="startDate-month" type="text" inputmode="numeric" maxlength="2" value="${month}"`
			);
			const marked = ['day', 'month', 'year'].filter((part) =>
				new RegExp(`class="[^"]*govuk-input--error[^"]*" id="startDate-${part}"`).test(res.body)
			);
			expect([day, month, year, marked.join(' ')]).toEqual([day, month, year, wrong]);
			expect(res.body).toContain(`href="#startDate-${wrong!.split(' ')[0]}"`);
		}
		expect(await host.ctx.db.selectFrom('practices').select('id').execute()).toEqual(before);
		const saved = await member.post('/practice/new', {
			title: 'Dated entry',
			'startDate-day': '1',
			'startDate-month': '3',
			'startDate-year': '2026'
		});
		expect(saved.status).toBe(303);
		const entry = await member.get(saved.location!.split('?')[0]!);
		expect(textOf(entry.body)).toContain('1 March 2026 onwards');
	});

	it('practice links must be https', async () => {
		const res = await member.post('/practice/new', {
			title: 'Linked entry',
			links: 'http://example.org/guide'
		});
		expect(res.status).toBe(400);
		expect(textOf(res.body)).toContain('Each link must be a full web address starting with https://');
	});

	it('a body that is not a readable form is refused with a plain answer', async () => {
		const send = (contentType: string, payload: string) =>
			host.app.inject({
				method: 'POST',
				url: '/login',
				headers: { 'content-type': contentType, origin: host.ctx.config.origin },
				payload
			});
		expect((await send('text/plain', 'email=a')).statusCode).toBe(415);
		const broken = await send('multipart/form-data; boundary=zz', '--zz\r\nbroken');
		expect(broken.statusCode).toBe(400);
		expect(broken.body).toContain('The form could not be read');
	});
});
