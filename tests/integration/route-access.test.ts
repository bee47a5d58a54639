/**
 * Every route, as every kind of viewer, three ways in: the page, its `__data.json`, and each
 * of its form actions. The routes and their actions come from SvelteKit's own build
 * manifest, so a route added without a row below fails this test.
 *
 * Each row gives one letter per viewer, in the order of VIEWERS:
 *   O the page opens     N not found (as an unknown address would answer)
 *   F forbidden (the page explains)     X not in this state (e.g. leaving a group you are not in)
 *   L sent to sign in    V sent to confirm the e-mail address    C sent to the two-factor code step
 *   S sent to set up two-factor    H sent home (nothing to do here)    R sent on to the right page
 * A refused viewer must be refused the same way by `__data.json` (no page data in it) and by
 * every form action, and refused actions must change nothing. Concealed trees (/admin, /dev)
 * must answer exactly as an address that does not exist.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { buildWorld, VIEWERS, type ViewerName, type World } from '../support/world.ts';
import { routeCases, type RouteCase } from '../support/routes.ts';

type Letter = 'O' | 'N' | 'F' | 'X' | 'L' | 'V' | 'C' | 'S' | 'H' | 'R';

//                                                anon unconf pwd guest partner police mod admin0 admin
const EXPECTED: Record<string, string> = {
	'/': 'LVCOOOOOO',
	'/accessibility': 'OOOOOOOOO',
	'/admin': 'LVCNNNNSO',
	'/admin/audit': 'LVCNNNNSO',
	'/admin/organisations': 'LVCNNNNSO',
	'/admin/organisations/[id]': 'LVCNNNNSO',
	'/admin/practice': 'LVCNNNNSO',
	'/admin/users': 'LVCNNNNSO',
	'/admin/users/[id]': 'LVCNNNNSO',
	'/admin/users/[id]/status': 'LVCNNNNSO',
	'/dev/outbox': 'LVCNNNNNN',
	'/groups': 'LVCOOOOOO',
	'/groups/new': 'LVCFFOOOO',
	'/groups/[slug]': 'LVCOOOOOO',
	'/groups/[slug] (private)': 'LVCNNNOOO',
	'/groups/[slug]/leave': 'LVCXXOXXX',
	'/groups/[slug]/leave (private)': 'LVCNNNXXX',
	'/groups/[slug]/library': 'LVCFFOOOO',
	'/groups/[slug]/library (private)': 'LVCNNNOOO',
	'/groups/[slug]/library/upload': 'LVCFFOOOO',
	'/groups/[slug]/library/upload (private)': 'LVCNNNOOO',
	'/groups/[slug]/library/[document]': 'LVCFFOOOO',
	'/groups/[slug]/library/[document] (private)': 'LVCNNNOOO',
	'/groups/[slug]/manage': 'LVCNNNOSO',
	'/groups/[slug]/manage (private)': 'LVCNNNOSO',
	'/groups/[slug]/manage/audit': 'LVCNNNOSO',
	'/groups/[slug]/manage/audit (private)': 'LVCNNNOSO',
	'/groups/[slug]/manage/members/[userId]': 'LVCNNNOSO',
	'/groups/[slug]/manage/members/[userId] (private)': 'LVCNNNOSO',
	'/groups/[slug]/manage/settings': 'LVCNNNOSO',
	'/groups/[slug]/manage/settings (private)': 'LVCNNNOSO',
	'/groups/[slug]/members': 'LVCFFOOOO',
	'/groups/[slug]/members (private)': 'LVCNNNOOO',
	'/groups/[slug]/mentions': 'LVCNNOOOO',
	'/groups/[slug]/mentions (private)': 'LVCNNNOOO',
	'/groups/[slug]/new': 'LVCFFOOOO',
	'/groups/[slug]/new (private)': 'LVCNNNOOO',
	'/groups/[slug]/p/[post]': 'LVCFFRRRR',
	'/groups/[slug]/p/[post] (private)': 'LVCNNNRRR',
	'/groups/[slug]/p/[post]/delete': 'LVCFFONNN',
	'/groups/[slug]/p/[post]/delete (private)': 'LVCNNNONN',
	'/groups/[slug]/p/[post]/edit': 'LVCFFONNN',
	'/groups/[slug]/p/[post]/edit (private)': 'LVCNNNONN',
	'/groups/[slug]/p/[post]/helpful': 'LVCFFOOOO',
	'/groups/[slug]/p/[post]/helpful (private)': 'LVCNNNOOO',
	'/groups/[slug]/p/[post]/hide': 'LVCNNNOSO',
	'/groups/[slug]/p/[post]/hide (private)': 'LVCNNNOSO',
	'/groups/[slug]/p/[post]/history': 'LVCFFOONO',
	'/groups/[slug]/p/[post]/history (private)': 'LVCNNNONO',
	'/groups/[slug]/t/[thread]': 'LVCFFOOOO',
	'/groups/[slug]/t/[thread] (private)': 'LVCNNNOOO',
	'/groups/[slug]/t/[thread]/lock': 'LVCNNNOSO',
	'/groups/[slug]/t/[thread]/lock (private)': 'LVCNNNOSO',
	'/groups/[slug]/t/[thread]/move': 'LVCNNNOSO',
	'/groups/[slug]/t/[thread]/move (private)': 'LVCNNNOSO',
	'/groups/[slug]/t/[thread]/pin': 'LVCNNNOSO',
	'/groups/[slug]/t/[thread]/pin (private)': 'LVCNNNOSO',
	'/library': 'LVCFOOOOO',
	'/library/upload': 'LVCFFFFSO',
	'/library/[document]': 'LVCFOOOOO',
	'/login': 'OOOHHHHHH',
	'/login/recovery-code': 'LHOHHHHHH',
	'/login/two-factor': 'LHOHHHHHH',
	'/logout': 'LHHHHHHHH',
	'/notifications': 'LVCOOOOOO',
	'/notifications/[id]': 'LVCNNNNNN',
	'/notifications/count': 'LVCOOOOOO',
	'/people/[id]': 'LVCOOOOOO',
	'/practice': 'LVCOOOOOO',
	'/practice/[entry]': 'LVCNOOOOO',
	'/practice/[entry]/archive': 'LVCNFOOFF',
	'/practice/[entry]/edit': 'LVCNFXFFF',
	'/practice/[entry]/history': 'LVCNOOOOO',
	'/practice/[entry]/review': 'LVCNFFRFF',
	'/practice/mine': 'LVCOOOOOO',
	'/practice/new': 'LVCFFOOOO',
	'/practice/review': 'LVCOOOOOO',
	'/search': 'LVCOOOOOO',
	'/search/suggest': 'LVCOOOOOO',
	'/register': 'OOOHHHHHH',
	'/register/check-email': 'OOOHHHHHH',
	'/reset-password': 'OOOOOOOOO',
	'/reset-password/[token]': 'OOOOOOOOO',
	'/set-password/[token]': 'OOOOOOOOO',
	'/settings': 'LVCOOOOOO',
	'/settings/password': 'LVCOOOOOO',
	'/settings/sessions': 'LVCOOOOOO',
	'/settings/notifications': 'LVCOOOOOO',
	'/settings/two-factor': 'LVCOOOOOO',
	'/settings/two-factor/disable': 'LVCRRRORO',
	'/settings/two-factor/recovery-codes': 'LVCOOOOOO',
	'/setup/[token]': 'OOOOOOOOO',
	'/unsubscribe/[token]': 'NNNNNNNNN',
	'/verify-email': 'LOCHHHHHH',
	'/verify-email/[token]': 'OOOOOOOOO'
};

let host: TestHost;
let world: World;
let cases: RouteCase[] = [];

beforeAll(async () => {
	host = await createTestHost('route-access');
	world = await buildWorld(host.ctx);
	cases = await routeCases(world);
}, 120_000);

afterAll(async () => {
	await host?.close();
});

interface Answer {
	status: number;
	location?: string;
	body: string;
	type: string;
}

async function request(
	viewer: ViewerName,
	method: 'GET' | 'POST',
	url: string,
	headers: Record<string, string> = {}
): Promise<Answer> {
	const token = await world.newSession(viewer);
	const res = await host.app.inject({
		method,
		url,
		headers: {
			accept: 'text/html',
			...(token ? { cookie: `muster_session=${token}` } : {}),
			...(method === 'POST'
				? { 'content-type': 'application/x-www-form-urlencoded', origin: host.ctx.config.origin }
				: {}),
			...headers
		},
		payload: method === 'POST' ? '' : undefined
	});
	return {
		status: res.statusCode,
		location: res.headers.location as string | undefined,
		body: res.body,
		type: String(res.headers['content-type'] ?? '')
	};
}

/** Letters that refuse the viewer (the others are pages that answer in their own way). */
const REFUSALS = new Set(['N', 'F', 'L', 'V', 'C', 'S']);

/** Which letter a redirect's destination stands for. */
function redirectLetter(location: string | undefined): Letter | string {
	if (!location) return '?';
	if (location.startsWith('/login/two-factor')) return 'C';
	if (location.startsWith('/login')) return 'L';
	if (location.startsWith('/verify-email')) return 'V';
	if (location.startsWith('/settings/two-factor?required=1')) return 'S';
	if (location === '/') return 'H';
	return 'R';
}

function pageLetter(a: Answer): Letter | string {
	if (a.status === 200) return 'O';
	if (a.status === 404) return 'N';
	if (a.status === 403) return 'F';
	if (a.status === 409) return 'X';
	if (a.status === 303 || a.status === 302 || a.status === 307) return redirectLetter(a.location);
	return String(a.status);
}

/** `__data.json`: a redirect is JSON; a refusal is an error node where the page's data would be. */
function dataLetter(a: Answer): Letter | string {
	if (a.status === 404 && a.type.startsWith('text/html')) return 'N';
	if (a.status !== 200) return String(a.status);
	const body = JSON.parse(a.body) as {
		type: string;
		location?: string;
		nodes?: Array<{ type: string; status?: number } | null>;
	};
	if (body.type === 'redirect') return redirectLetter(body.location);
	const leaf = body.nodes?.at(-1);
	if (leaf?.type === 'error') {
		const letters: Record<number, Letter> = { 404: 'N', 403: 'F', 409: 'X' };
		return letters[leaf.status ?? 0] ?? `e${leaf.status}`;
	}
	return 'O';
}

/** The answer an address that does not exist gives this viewer, with per-request values blanked. */
async function unknownAnswer(viewer: ViewerName, like: string): Promise<Answer> {
	// Same depth as the concealed page, so relative asset paths match.
	return request(viewer, 'GET', like.replace(/^\/[^/?]*/, '/no-such-page'));
}
const comparable = (body: string) =>
	body
		.replace(/nonce="[^"]+"/g, 'nonce')
		.replace(/requestId:"[^"]+"/g, 'requestId')
		.replace(/[0-9a-f-]{36}/g, 'id');

/** A fingerprint of everything a refused action must leave alone. */
async function fingerprint(): Promise<string> {
	const tables = [
		'users',
		'organisations',
		'organisation_domains',
		'groups',
		'group_members',
		'membership_requests',
		'invitations',
		'threads',
		'posts',
		'post_revisions',
		'post_helpful',
		'practices',
		'practice_versions',
		'practice_topics',
		'practice_coauthors',
		'recovery_codes',
		'audit_log',
		'outbox',
		'events'
	];
	const parts: string[] = [];
	for (const table of tables) {
		const row = await sql<{
			digest: string;
		}>`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${sql.table(table)} t`.execute(
			host.ctx.db
		);
		parts.push(`${table}:${row.rows[0]!.digest}`);
	}
	return parts.join(' ');
}

describe('the route table', () => {
	it('has exactly one row for every route SvelteKit built', () => {
		expect(cases.map((c) => c.key).sort()).toEqual(Object.keys(EXPECTED).sort());
	});

	it('gives every viewer the decision in the table, for the page and its __data.json', async () => {
		const actual: Record<string, string> = {};
		const dataActual: Record<string, string> = {};
		for (const c of cases) {
			let pages = '';
			let data = '';
			for (const viewer of VIEWERS) {
				if (!c.page) {
					// An endpoint (JSON for scripts): a page-like letter from its status.
					pages += pageLetter(await request(viewer, 'GET', `${c.path}?q=a`, { accept: 'application/json' }));
					data += pageLetter(await request(viewer, 'GET', `${c.path}?q=a`, { accept: 'application/json' }));
					continue;
				}
				pages += pageLetter(await request(viewer, 'GET', c.path));
				const [pathname, search = ''] = c.path.split('?');
				data += dataLetter(
					await request(viewer, 'GET', `${pathname === '/' ? '' : pathname}/__data.json${search}`)
				);
			}
			actual[c.key] = pages;
			dataActual[c.key] = data;
		}
		const table = (t: Record<string, string>) =>
			Object.entries(t)
				.sort(([a], [b]) => a.localeCompare(b))
				.map(([k, v]) => `\t'${k}': '${v}',`)
				.join('\n');
		expect(table(actual), 'pages').toBe(table(EXPECTED));
		expect(table(dataActual), '__data.json').toBe(table(EXPECTED));
	}, 240_000);

	it('answers concealed pages exactly as an unknown address, as a page and as __data.json', async () => {
		for (const c of cases.filter((c) => /^\/(admin|dev)(\/|$)/.test(c.path))) {
			for (const [i, viewer] of VIEWERS.entries()) {
				if (EXPECTED[c.key]![i] !== 'N') continue;
				for (const suffix of ['', '/__data.json']) {
					const concealed = await request(viewer, 'GET', `${c.path}${suffix}`);
					const unknown = await unknownAnswer(viewer, `${c.path}${suffix}`);
					expect([c.key, viewer, suffix, concealed.status, concealed.type]).toEqual([
						c.key,
						viewer,
						suffix,
						unknown.status,
						unknown.type
					]);
					expect(comparable(concealed.body)).toBe(comparable(unknown.body));
				}
			}
		}
	}, 240_000);

	it('judges a concealed page by the route it opens, however its address is spelt', async () => {
		for (const spelling of ['/%61dmin/users', '/admin/users/', '/%61%64%6d%69%6e/audit', '/admin/%75sers']) {
			for (const suffix of ['', '/__data.json']) {
				const url = `${spelling.replace(/\/$/, '')}${suffix}`;
				const guest = await request('guest', 'GET', `${url}?q=acc`);
				expect([url, guest.status], 'a guest').toEqual([url, 404]);
				expect(guest.body).not.toContain(world.users.police.email);
				const noKey = await request('admin without two-factor', 'GET', url);
				expect(suffix ? dataLetter(noKey) : pageLetter(noKey), `${url}: two-factor first`).toBe('S');
			}
		}
	});

	it('refuses every form action to those refused the page, the same way, and changes nothing', async () => {
		const before = await fingerprint();
		const wrong: string[] = [];
		for (const c of cases.filter((c) => c.actions.length > 0)) {
			for (const [i, viewer] of VIEWERS.entries()) {
				const expected = EXPECTED[c.key]![i]!;
				if (!REFUSALS.has(expected)) continue;
				for (const action of c.actions) {
					const url = action === 'default' ? c.path : `${c.path}?/${action}`;
					const got = pageLetter(await request(viewer, 'POST', url));
					// A page that is "forbidden" may refuse its actions as forbidden or not found.
					const ok = got === expected || (expected === 'F' && got === 'N');
					if (!ok) wrong.push(`${viewer} POST ${c.key} ?/${action}: ${got}, expected ${expected}`);
				}
			}
		}
		expect(wrong).toEqual([]);
		expect(await fingerprint()).toBe(before);
	}, 240_000);

	it('answers every form action sent empty by those allowed the page without a server error', async () => {
		const failures: string[] = [];
		for (const c of cases.filter((c) => c.actions.length > 0)) {
			for (const [i, viewer] of VIEWERS.entries()) {
				if (REFUSALS.has(EXPECTED[c.key]![i]!)) continue;
				for (const action of c.actions) {
					const url = action === 'default' ? c.path : `${c.path}?/${action}`;
					const res = await request(viewer, 'POST', url);
					if (res.status >= 500) failures.push(`${viewer} POST ${c.key} ?/${action}: ${res.status}`);
				}
			}
		}
		expect(failures).toEqual([]);
	}, 240_000);
});
