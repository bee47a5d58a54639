/**
 * The Fastify host with SvelteKit mounted, through app.inject, on a real database.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateToLatest } from '../../src/lib/server/db/migrator.ts';
import { migrations } from '../../migrations/index.ts';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { WebClient, textOf } from '../support/web-client.ts';
import { createUser, signIn } from '../support/accounts.ts';

const LATEST = Object.keys(migrations).sort().at(-1)!;

let host: TestHost;
const queries: string[] = [];

beforeAll(async () => {
	host = await createTestHost('host', {
		queryLog: (event) => {
			if (event.level === 'query') queries.push(event.query.sql);
		}
	});
});
afterAll(async () => {
	await host?.close();
});

describe('health endpoints', () => {
	it('GET /healthz says the process is alive', async () => {
		const res = await host.app.inject({ method: 'GET', url: '/healthz' });
		expect(res.statusCode).toBe(200);
		expect(res.json()).toEqual({ status: 'ok' });
		expect(res.headers['cache-control']).toBe('no-store');
	});

	it('GET /readyz is ready when the database answers and the schema is current', async () => {
		const res = await host.app.inject({ method: 'GET', url: '/readyz' });
		expect(res.statusCode).toBe(200);
		expect(res.json()).toEqual({ status: 'ready', database: host.ctx.database.kind });
	});

	it('GET /readyz is 503 with a reason while a migration is pending', async () => {
		await migrateDown(host.ctx.db);
		try {
			const res = await host.app.inject({ method: 'GET', url: '/readyz' });
			expect(res.statusCode).toBe(503);
			expect(res.json()).toMatchObject({
				status: 'unavailable',
				reason: 'database schema is not current: 1 migration(s) pending'
			});
			expect(res.body).not.toContain(LATEST); // migration names are not for the public
		} finally {
			await migrateToLatest(host.ctx.db);
		}
		expect((await host.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
	});
});

describe('the JSON API prefix', () => {
	it.each([
		['GET', '/api/v1'],
		['GET', '/api/v1/groups'],
		['POST', '/api/v1/threads/1/posts'],
		['DELETE', '/api/v1/anything?x=1']
	] as const)('%s %s is a JSON 404, not a page', async (method, url) => {
		const res = await host.app.inject({ method, url, payload: method === 'POST' ? { a: 1 } : undefined });
		expect(res.statusCode).toBe(404);
		expect(res.headers['content-type']).toMatch(/^application\/json/);
		expect(res.json()).toEqual({
			error: { code: 'not_found', message: `There is no API endpoint at ${method} ${url.split('?')[0]}.` }
		});
		expect(res.headers['content-security-policy']).toBe(
			"default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
		);
	});
});

describe('one address for Muster', () => {
	it('a page asked for by another name is sent to the same page at ORIGIN', async () => {
		const res = await host.app.inject({
			method: 'GET',
			url: '/groups?q=x',
			headers: { host: '127.0.0.1:3000' }
		});
		expect(res.statusCode).toBe(303);
		expect(res.headers.location).toBe(`${host.ctx.config.origin}/groups?q=x`);
		// The host's own endpoints answer on any name (health checks come by address).
		expect(
			(await host.app.inject({ method: 'GET', url: '/healthz', headers: { host: '10.0.0.5' } })).statusCode
		).toBe(200);
	});

	it('a form sent from another origin gets a Muster page that says what happened, and changes nothing', async () => {
		const res = await host.app.inject({
			method: 'POST',
			url: '/login',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: 'http://127.0.0.1:3000',
				accept: 'text/html'
			},
			payload: 'email=a%40kent.police.uk&password=x'
		});
		expect(res.statusCode).toBe(403);
		expect(res.headers['content-type']).toMatch(/^text\/html/);
		expect(res.body).toContain('<html lang="en-GB">');
		expect(res.body).toContain('<title>Sorry, there is a problem – Muster</title>');
		expect(res.body).toContain(
			'This form was sent from another website, or from an address for Muster other than its own'
		);
		expect(res.body).not.toMatch(/ at .+:\d+:\d+/);
		const css = await host.app.inject({ method: 'GET', url: '/error.css' });
		expect([css.statusCode, css.headers['content-type']]).toEqual([200, 'text/css']);
	});
});

describe('text that cannot be kept', () => {
	it('a JSON body or API address holding a NUL is refused with a JSON answer that says why', async () => {
		for (const [url, payload] of [
			['/api/v1/threads/1/posts', { body: 'a\u0000b' }],
			['/api/v1/threads/1/posts', { ['k\u0000']: 'x', nested: [{ deep: '\uFFFE' }] }],
			['/api/v1/search?q=%00', { ok: true }]
		] as const) {
			const res = await host.app.inject({ method: 'POST', url, payload });
			expect(res.statusCode).toBe(400);
			expect(res.json().error.message).toContain('characters that cannot be kept');
		}
	});

	it('an address holding a NUL is "not found", and a query holding one comes back without it, saying so', async () => {
		// Signed out, as any address: sign in first (and come back to it, the NUL replaced).
		const path = await host.app.inject({ method: 'GET', url: '/groups/%00x' });
		expect(path.statusCode).toBe(303);
		expect(path.headers.location).toBe(`/login?next=${encodeURIComponent('/groups/%EF%BF%BDx')}`);
		const query = await host.app.inject({ method: 'GET', url: '/groups?q=a%00b&after=%01' });
		expect(query.statusCode).toBe(303);
		expect(query.headers.location).toBe('/groups?q=ab&after=&cleaned=1');
	});
});

describe('pages through the host', () => {
	it('sends anonymous visitors to sign in, which says what Muster is', async () => {
		const home = await host.app.inject({ method: 'GET', url: '/' });
		expect(home.statusCode).toBe(303);
		expect(home.headers.location).toBe('/login');
		const res = await host.app.inject({ method: 'GET', url: '/login' });
		expect(res.statusCode).toBe(200);
		expect(res.headers['content-type']).toMatch(/^text\/html/);
		expect(res.body).toContain('<h1 class="govuk-heading-xl">Sign in to Muster</h1>');
		expect(res.body).toContain('share good practice');
		expect(res.body).not.toMatch(/GOV\.UK/);
	});

	it('carries the security headers and a nonce-based CSP with no unsafe-inline', async () => {
		const res = await host.app.inject({ method: 'GET', url: '/login' });
		expect(res.headers['x-content-type-options']).toBe('nosniff');
		expect(res.headers['x-frame-options']).toBe('DENY');
		expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
		const csp = String(res.headers['content-security-policy']);
		expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).not.toContain('unsafe-inline');
		expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
	});

	it('uses the same database handle as /readyz', async () => {
		queries.length = 0;
		await host.app.inject({ method: 'GET', url: '/readyz' });
		expect(queries.some((q) => /select 1/i.test(q))).toBe(true);
		queries.length = 0;
		const before = textOf((await host.app.inject({ method: 'GET', url: '/login' })).body);
		expect(queries.some((q) => /from "organisations"/.test(q))).toBe(true);
		const count = Number(before.match(/(\d+) police forces and partner organisations take part/)?.[1]);
		expect(count).toBeGreaterThan(40);

		await host.ctx.db
			.insertInto('organisations')
			.values({ name: 'Test Constabulary', kind: 'police' })
			.execute();
		const after = textOf((await host.app.inject({ method: 'GET', url: '/login' })).body);
		expect(after).toContain(`${count + 1} police forces and partner organisations take part.`);
		await host.ctx.db.deleteFrom('organisations').where('name', '=', 'Test Constabulary').execute();
	});

	it('hands form posts to SvelteKit untouched instead of refusing their content type', async () => {
		const res = await host.app.inject({
			method: 'POST',
			url: '/accessibility',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: host.ctx.config.origin },
			payload: 'a=1'
		});
		// The page has no form actions: SvelteKit answers 405, not Fastify's 415.
		expect(res.statusCode).toBe(405);
	});

	it('refuses a cross-site form post', async () => {
		const res = await host.app.inject({
			method: 'POST',
			url: '/login',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
			payload: 'email=a%40b.uk&password=x'
		});
		expect(res.statusCode).toBe(403);
	});

	it('shows a helpful "Page not found" page to someone signed in', async () => {
		const anonymous = await host.app.inject({ method: 'GET', url: '/no/such/page' });
		expect(anonymous.statusCode).toBe(303);
		expect(anonymous.headers.location).toBe('/login?next=%2Fno%2Fsuch%2Fpage');

		const client = new WebClient(host.app, host.ctx.config.origin);
		await signIn(client, host.ctx, await createUser(host.ctx, 'lost@kent.police.uk'));
		const res = await client.get('/no/such/page');
		expect(res.status).toBe(404);
		expect(res.body).toContain('Page not found');
		expect(res.body).toContain('Go to the Muster home page');
	});

	it('serves built assets under /_app/immutable/ with a one-year immutable cache', async () => {
		const css = readdirSync('build/client/_app/immutable/assets').find((f) => f.endsWith('.css'));
		expect(css).toBeDefined();
		const res = await host.app.inject({ method: 'GET', url: `/_app/immutable/assets/${css}` });
		expect(res.statusCode).toBe(200);
		const directives = String(res.headers['cache-control'])
			.split(',')
			.map((d) => d.trim())
			.sort();
		expect(directives).toEqual(['immutable', 'max-age=31536000', 'public']);
		expect(res.body).toContain('.govuk-');
		// No GDS Transport: Muster is not a GOV.UK service.
		expect(res.body).not.toMatch(/GDS Transport|gds-transport/i);
	});
});
