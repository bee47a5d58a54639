/**
 * Search (issue 15): what the words find (stemming, phrases, exclusions, "or", names with
 * typos), that an edit, a hide, a delete or a move shows in the very next search, that paging
 * neither repeats nor skips, and that no query, however malformed, gets anything but a page.
 * Who may find what, for every kind of viewer, is in group-access-matrix.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { WebClient, textOf } from '../support/web-client.ts';
import { createUser, signIn, type TestUser } from '../support/accounts.ts';
import { createSession, validateSessionToken, type SessionUser } from '../../src/lib/server/auth/session.ts';
import { reply, startThread } from '../../src/lib/server/discussions/thread.service.ts';
import { deletePost, editPost, setHidden } from '../../src/lib/server/discussions/post.service.ts';
import { moveThread } from '../../src/lib/server/discussions/thread-moderation.service.ts';
import { createGroup } from '../../src/lib/server/groups/group.service.ts';
import {
	didYouMean,
	search,
	searching,
	suggest,
	type SearchResult
} from '../../src/lib/server/search/search.service.ts';
import { parseSearch, type SearchRequest } from '../../src/lib/server/search/search.query.ts';
import { snippetPieces } from '../../src/lib/server/search/snippet.ts';

let host: TestHost;
let clock = new Date('2026-11-28T09:00:00Z');
const tick = (seconds = 6) => (clock = new Date(clock.getTime() + seconds * 1000));
const KEY = new Uint8Array(20).fill(9);
const META = { ip: '127.0.0.1', userAgent: 'search test' };

beforeAll(async () => {
	host = await createTestHost('search', { now: () => clock });
});
afterAll(async () => {
	await host?.close();
});

let n = 0;
async function person(
	domain = 'kent.police.uk',
	options: { totp?: boolean; displayName?: string } = {}
): Promise<{ account: TestUser; user: SessionUser }> {
	const account = await createUser(host.ctx, `s${++n}@${domain}`, {
		totpKey: options.totp ? KEY : undefined,
		displayName: options.displayName ?? `Searcher ${n}`
	});
	const { token } = await createSession(host.ctx.db, account.id, { twoFactorVerified: true }, host.ctx.now());
	const validated = await validateSessionToken(host.ctx.db, token, host.ctx.now());
	return { account, user: validated!.user };
}

async function group(owner: SessionUser, visibility: 'open' | 'restricted' | 'private' = 'open') {
	return createGroup(
		host.ctx,
		owner,
		{ name: `Search group ${++n}`, description: '', visibility, audience: 'police_partner' },
		META
	);
}

async function join(slug: string, user: SessionUser) {
	const { id } = await host.ctx.db
		.selectFrom('groups')
		.select('id')
		.where('slug', '=', slug)
		.executeTakeFirstOrThrow();
	await host.ctx.db
		.insertInto('groupMembers')
		.values({ groupId: id, userId: user.id, role: 'member' })
		.execute();
}

function find(user: SessionUser, q: string, change: Partial<SearchRequest> = {}): Promise<SearchResult> {
	const { request } = parseSearch(new URLSearchParams({ q }));
	return search(host.ctx, user, { ...request, ...change });
}

const titles = (result: SearchResult) => result.hits.map((h) => h.title);
const snippets = (result: SearchResult) => result.hits.map((h) => h.snippet.map((p) => p.text).join(''));

describe('what the words find', () => {
	let officer: SessionUser;
	let slug: string;
	beforeAll(async () => {
		officer = (await person('lancashire.pnn.police.uk', { totp: true })).user;
		slug = await group(officer);
		tick();
		const t = await startThread(host.ctx, officer, slug, {
			title: 'Car-wash inspections in Preston',
			body: 'We found several workers being exploited at hand car washes. The inspections ran on Fridays.'
		});
		tick();
		await reply(host.ctx, officer, slug, t.id, 'Labour exploitation referrals went up after the visits.');
		tick();
		await reply(host.ctx, officer, slug, t.id, 'Nail bars were checked too, but no drugs were found.');
	});

	it('stems English words: "exploited" finds "exploitation" and the reverse', async () => {
		const result = await find(officer, 'exploited', { kind: 'post' });
		expect(result.hits).toHaveLength(2);
		expect(snippets(result).join(' ')).toContain('exploitation');
		expect((await find(officer, 'exploitation', { kind: 'post' })).hits).toHaveLength(2);
	});

	it('needs every word, keeps a "phrase" together, leaves out -words and takes either word with or', async () => {
		expect((await find(officer, 'inspections Fridays', { kind: 'post' })).hits).toHaveLength(1);
		expect((await find(officer, 'inspections Mondays', { kind: 'post' })).hits).toHaveLength(0);
		expect((await find(officer, '"hand car washes"', { kind: 'post' })).hits).toHaveLength(1);
		expect((await find(officer, '"washes car hand"', { kind: 'post' })).hits).toHaveLength(0);
		expect((await find(officer, 'exploitation -referrals', { kind: 'post' })).hits).toHaveLength(1);
		expect((await find(officer, 'referrals or drugs', { kind: 'post' })).hits).toHaveLength(2);
	});

	it('finds a thread by its title, and says which group and thread each post is in', async () => {
		const result = await find(officer, 'car-wash Preston');
		expect(result.counts.thread).toBe(1);
		const thread = result.hits.find((h) => h.kind === 'thread')!;
		expect(thread.title).toBe('Car-wash inspections in Preston');
		expect(thread.group?.href).toBe(`/groups/${slug}`);
		const post = (await find(officer, 'nail bars', { kind: 'post' })).hits[0]!;
		expect(post.thread?.title).toBe('Car-wash inspections in Preston');
		expect(post.href).toMatch(
			new RegExp(`^/groups/${slug}/t/\\d+-car-wash-inspections-in-preston\\?page=1#post-\\d+$`)
		);
		expect(post.snippet.filter((p) => p.mark).map((p) => p.text.toLowerCase())).toEqual(
			expect.arrayContaining(['nail', 'bars'])
		);
	});

	it('finds people and groups by name despite a typo', async () => {
		const alice = await person('lancashire.pnn.police.uk', { displayName: 'Alice Whitworth' });
		const people = await find(officer, 'Whitwroth', { kind: 'person' });
		expect(titles(people)).toContain('Alice Whitworth');
		// "Lancshire" finds Lancashire Constabulary's people by their organisation.
		const lancashire = await find(officer, 'Lancshire', { kind: 'person' });
		expect(lancashire.hits.map((h) => h.href)).toContain(`/people/${alice.account.id}`);
		expect(titles(await find(officer, 'serch group', { kind: 'group' }))).toContain(
			(
				await host.ctx.db
					.selectFrom('groups')
					.select('name')
					.where('slug', '=', slug)
					.executeTakeFirstOrThrow()
			).name
		);
	});

	it('offers the closest title the viewer may see when nothing is found, and only that', async () => {
		const misspelt = 'Car-wosh inspektions in Prestn';
		expect(await find(officer, misspelt).then((r) => r.hits)).toHaveLength(0);
		expect(await didYouMean(host.ctx, officer, misspelt)).toBe('Car-wash inspections in Preston');
		// Someone who may not read the group is not told the title exists.
		const outsider = (await person('met.police.uk')).user;
		expect(await didYouMean(host.ctx, outsider, misspelt)).toBeNull();
	});

	it('suggests titles and names from the start of a word, only what the viewer may see', async () => {
		const found = await suggest(host.ctx, officer, 'car-wash insp');
		expect(found.map((s) => s.title)).toContain('Car-wash inspections in Preston');
		expect(found.find((s) => s.kind === 'thread')?.where).toMatch(/^Search group/);
		// A post's words are never suggested, and nothing from a group the viewer may not read.
		expect((await suggest(host.ctx, officer, 'Nail ba')).map((s) => s.kind)).not.toContain('post');
		const outsider = (await person('met.police.uk')).user;
		expect((await suggest(host.ctx, outsider, 'car-wash insp')).map((s) => s.title)).not.toContain(
			'Car-wash inspections in Preston'
		);
		// Whatever is typed, only letters and digits reach the query parser.
		for (const typed of ['&|!', "'):*", '"', 'a & b | !c', '警察 ñandú', '\\', '-']) {
			await expect(suggest(host.ctx, officer, typed)).resolves.toBeInstanceOf(Array);
		}
	});

	it('says when a query has only common words, and finds nothing for it', async () => {
		const result = await find(officer, 'the and of');
		expect(result.noWords).toBe(true);
		expect(result.counts.post + result.counts.thread + result.counts.practice).toBe(0);
	});
});

describe('the next search shows every change', () => {
	it('an edit, a hide, a delete and a move are reflected at once', async () => {
		const moderator = (await person('kent.police.uk', { totp: true })).user;
		const member = (await person()).user;
		const from = await group(moderator);
		const to = await group(moderator, 'private');
		await join(from, member);
		tick();
		const t = await startThread(host.ctx, member, from, {
			title: 'Quarry visits',
			body: 'We met the zephyrine crew.'
		});
		tick();
		const r = await reply(host.ctx, member, from, t.id, 'The marmalade van was seen twice.');
		expect((await find(member, 'zephyrine')).counts.post).toBe(1);

		// An edit: the old words are gone, the new ones found.
		tick();
		await editPost(host.ctx, member, from, t.firstPostId, 'We met the quillwort crew.');
		expect((await find(member, 'zephyrine')).counts.post).toBe(0);
		expect((await find(member, 'quillwort')).counts.post).toBe(1);

		// Hidden: not for the member; the moderator, who may still read it on the thread page, finds it.
		await setHidden(host.ctx, moderator, from, r.id, { hide: true, reason: 'Names a victim' }, META);
		expect((await find(member, 'marmalade')).counts.post).toBe(0);
		const seen = await find(moderator, 'marmalade');
		expect(seen.counts.post).toBe(1);
		expect(seen.hits[0]!.hidden).toBe(true);

		// Deleted: nobody.
		await deletePost(host.ctx, member, from, t.firstPostId);
		expect((await find(member, 'quillwort')).counts.post).toBe(0);
		expect((await find(moderator, 'quillwort')).counts.post).toBe(0);

		// Moved to a private group the member is not in: gone for them at once.
		expect((await find(member, 'quarry visits')).counts.thread).toBe(1);
		await moveThread(host.ctx, moderator, from, t.id, to, 'Belongs with the operation', META);
		expect((await find(member, 'quarry visits')).counts.thread).toBe(0);
		const moved = await find(moderator, 'quarry visits', { kind: 'thread' });
		expect(moved.hits[0]!.group?.href).toBe(`/groups/${to}`);
		// Its posts moved with it: found in the new group, and by the group filter there only.
		const movedPost = await find(moderator, 'marmalade', { kind: 'post' });
		expect(movedPost.hits.map((h) => h.group?.href)).toEqual([`/groups/${to}`]);
		expect((await find(moderator, 'marmalade', { group: from })).counts.post).toBe(0);
		expect((await find(moderator, 'marmalade', { group: to })).counts.post).toBe(1);
	});
});

describe('paging', () => {
	it('pages of 20 neither repeat nor skip a hit, by relevance and by date', async () => {
		const officer = (await person()).user;
		const slug = await group(officer);
		tick();
		const t = await startThread(host.ctx, officer, slug, {
			title: 'Pagination checks',
			body: 'The word heliotrope appears here once.'
		});
		for (let i = 0; i < 44; i++) {
			tick();
			const words = i % 3 === 0 ? 'heliotrope heliotrope heliotrope' : 'heliotrope';
			await reply(host.ctx, officer, slug, t.id, `Reply ${i}: ${words}.`);
		}
		for (const sort of ['relevance', 'newest'] as const) {
			const seen: string[] = [];
			for (let page = 1; page <= 3; page++) {
				const result = await find(officer, 'heliotrope', { kind: 'post', sort, page });
				expect(result.more).toBe(page < 3);
				seen.push(...result.hits.map((h) => h.href));
			}
			expect(seen).toHaveLength(45);
			expect(new Set(seen).size).toBe(45);
		}
	});
});

describe('a search that runs too long', () => {
	// PostgreSQL's statement_timeout stops it; the embedded database (one process, one user, for
	// development) has no timer to stop a statement with.
	it.skipIf(!process.env.DATABASE_URL)(
		'is stopped and reported, and the connection goes back to the pool',
		async () => {
			const stopped = await searching(host.ctx.db, (db) => sql`select pg_sleep(2)`.execute(db), 100);
			expect(stopped).toBe('too_slow');
			const fine = await searching(host.ctx.db, (db) => sql<{ x: number }>`select 1 as x`.execute(db), 100);
			expect(fine).toMatchObject({ rows: [{ x: 1 }] });
		}
	);
});

describe('snippets', () => {
	it('are plain text with only the matched words marked, whatever the post held', () => {
		const pieces = snippetPieces('See **\u0002exploitation\u0003** in [the guide](/groups/x/p/12) <script>');
		expect(pieces).toEqual([
			{ text: 'See ', mark: false },
			{ text: 'exploitation', mark: true },
			{ text: ' in the guide <script>', mark: false }
		]);
	});
});

describe('the search page', () => {
	let client: WebClient;
	beforeAll(async () => {
		const account = await createUser(host.ctx, `page${++n}@kent.police.uk`);
		client = new WebClient(host.app, host.ctx.config.origin);
		await signIn(client, host.ctx, account);
	});

	it('answers every malformed query with a page, never an error', async () => {
		const queries = [
			'"',
			'-',
			'&|!:*()',
			"'",
			'\\',
			'or',
			'-"',
			'""""',
			'a:*',
			'ñandú 警察 🚓',
			'<script>alert(1)</script>',
			'x'.repeat(10_000),
			'%',
			'_'
		];
		for (const q of queries) {
			const res = await client.get(`/search?${new URLSearchParams({ q })}`);
			expect(res.status, q.slice(0, 20)).toBe(200);
			expect(res.body).not.toContain('<script>alert(1)</script>');
		}
		const long = await client.get(`/search?${new URLSearchParams({ q: 'x'.repeat(300) })}`);
		expect(textOf(long.body)).toContain(
			'Your search is 300 characters long. Shorten it to 256 characters or fewer.'
		);
		const badDate = await client.get('/search?q=x&from=2026-02-30&page=zz&kind=nope&group=..%2F');
		expect(badDate.status).toBe(200);
		expect(textOf(badDate.body)).toContain('Enter the “from” date as year-month-day');
	});

	it('has a search box in the header of signed-in pages that leads to results', async () => {
		const home = await client.get('/');
		expect(home.body).toMatch(/<form[^>]*action="\/search"[^>]*role="search"/);
		const results = await client.get('/search?q=heliotrope');
		expect(results.status).toBe(200);
		expect(textOf(results.body)).toMatch(/Search results for “heliotrope”|results/);
	});

	it('offers suggestions as JSON to signed-in people, for two or more characters', async () => {
		const res = await client.get('/search/suggest?q=heliotr');
		expect(res.status).toBe(200);
		expect(JSON.parse(res.body)).toEqual({ suggestions: expect.any(Array) });
		expect(JSON.parse((await client.get('/search/suggest?q=h')).body)).toEqual({ suggestions: [] });
		const anonymous = new WebClient(host.app, host.ctx.config.origin);
		expect((await anonymous.get('/search/suggest?q=heliotr')).status).toBe(303);
	});

	it('is only for people who are signed in', async () => {
		const anonymous = new WebClient(host.app, host.ctx.config.origin);
		const res = await anonymous.get('/search?q=heliotrope');
		expect(res.status).toBe(303);
		expect(res.location).toMatch(/^\/login/);
	});
});
