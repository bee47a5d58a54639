/**
 * What the host answers when a route throws: a DomainError is an RFC 9457 problem with
 * its code's status and message; anything else is a logged, generic 500 problem. The
 * routes are the test's own, added under /api/v1 to the app the host's factory builds.
 */
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { ChoiceNeeded, DomainError, type DomainErrorCode } from '../../src/lib/server/errors.ts';
import { createTestContext, type TestContext } from '../support/test-context.ts';

const clock = new Date('2026-12-01T10:00:00Z');
const logged: Array<{ level: number; msg: string; err?: { message: string } }> = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });

let test: TestContext;
let app: FastifyInstance;

beforeAll(async () => {
	test = await createTestContext('api_errors', { logger, now: () => clock });
	app = await buildApp(test.ctx, { schemaCheckMs: 0 });
	await app.register(
		async (scope) => {
			scope.get<{ Params: { code: DomainErrorCode } }>('/domain/:code', async (request) => {
				throw new DomainError(request.params.code, `Because of ${request.params.code}.`);
			});
			scope.post('/field', async () => {
				throw new DomainError('invalid', 'Enter a title of at most 200 characters.', 'title');
			});
			scope.post('/choice', async () => {
				throw new ChoiceNeeded('Choose which Sam you mean.', 'member', [
					{ value: 'sam-1', label: 'Sam Jones (Kent)' },
					{ value: 'sam-2', label: 'Sam Jones (Essex)' }
				]);
			});
			scope.post('/limited', async () => {
				throw new DomainError(
					'rate_limited',
					'Too many attempts. Try again in 2 minutes.',
					undefined,
					new Date(clock.getTime() + 90_500)
				);
			});
			scope.get('/unexpected', async () => {
				throw new Error('relation "secrets" does not exist at /srv/muster/x.ts:12:3');
			});
			scope.get('/unexpected-sync', () => {
				throw new TypeError('Cannot read properties of undefined');
			});
		},
		{ prefix: '/api/v1/test-errors' }
	);
	await app.ready();
});
afterAll(async () => {
	await app?.close();
	await test?.close();
});

function expectProblem(res: Awaited<ReturnType<FastifyInstance['inject']>>): void {
	expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
	expect(res.body).not.toMatch(/ at .+:\d+:\d+/); // never a stack trace
}

describe('a DomainError thrown by an /api/v1 route', () => {
	const statuses: Record<DomainErrorCode, [number, string]> = {
		not_found: [404, 'Not Found'],
		forbidden: [403, 'Forbidden'],
		conflict: [409, 'Conflict'],
		invalid: [400, 'Bad Request'],
		rate_limited: [429, 'Too Many Requests'],
		gone: [410, 'Gone'],
		two_factor: [403, 'Forbidden'],
		try_again: [503, 'Service Unavailable']
	};

	it.each(Object.entries(statuses))(
		'%s is %j as problem JSON with its message',
		async (code, [status, title]) => {
			const res = await app.inject({ method: 'GET', url: `/api/v1/test-errors/domain/${code}` });
			expect(res.statusCode).toBe(status);
			expectProblem(res);
			expect(res.json()).toEqual({ type: 'about:blank', title, status, detail: `Because of ${code}.`, code });
		}
	);

	it('names the field that is wrong', async () => {
		const res = await app.inject({ method: 'POST', url: '/api/v1/test-errors/field', payload: {} });
		expect(res.statusCode).toBe(400);
		expectProblem(res);
		expect(res.json()).toEqual({
			type: 'about:blank',
			title: 'Bad Request',
			status: 400,
			detail: 'Enter a title of at most 200 characters.',
			code: 'invalid',
			field: 'title'
		});
	});

	it('offers the choices when the input fits several things', async () => {
		const res = await app.inject({ method: 'POST', url: '/api/v1/test-errors/choice', payload: {} });
		expect(res.statusCode).toBe(400);
		expectProblem(res);
		expect(res.json()).toMatchObject({
			status: 400,
			code: 'invalid',
			field: 'member',
			choices: [
				{ value: 'sam-1', label: 'Sam Jones (Kent)' },
				{ value: 'sam-2', label: 'Sam Jones (Essex)' }
			]
		});
	});

	it('says when to try again after a rate limit (Retry-After, whole seconds, rounded up)', async () => {
		const res = await app.inject({ method: 'POST', url: '/api/v1/test-errors/limited', payload: {} });
		expect(res.statusCode).toBe(429);
		expectProblem(res);
		expect(res.headers['retry-after']).toBe('91');
		expect(res.json()).toMatchObject({ status: 429, code: 'rate_limited', title: 'Too Many Requests' });
	});
});

describe('an unexpected error', () => {
	it.each(['/unexpected', '/unexpected-sync'])(
		'%s is a generic 500 problem, and the error is logged',
		async (path) => {
			logged.length = 0;
			const res = await app.inject({ method: 'GET', url: `/api/v1/test-errors${path}` });
			expect(res.statusCode).toBe(500);
			expectProblem(res);
			expect(res.json()).toEqual({
				type: 'about:blank',
				title: 'Internal Server Error',
				status: 500,
				detail: 'Something went wrong on our side. Try again in a moment.',
				code: 'internal'
			});
			expect(res.body).not.toContain('secrets');
			expect(res.body).not.toContain('Cannot read');
			const errors = logged.filter((entry) => entry.level >= 50);
			expect(errors).toHaveLength(1);
			expect(errors[0]).toMatchObject({ msg: 'request failed' });
			expect(errors[0]!.err?.message).toMatch(/secrets|Cannot read/);
		}
	);
});

describe('what does not change', () => {
	it('an unknown API address is still the JSON 404 it was', async () => {
		const res = await app.inject({ method: 'GET', url: '/api/v1/test-errors/nothing/here' });
		expect(res.statusCode).toBe(404);
		expect(res.json()).toEqual({
			error: {
				code: 'not_found',
				message: 'There is no API endpoint at GET /api/v1/test-errors/nothing/here.'
			}
		});
	});

	it('a JSON body Fastify cannot parse is still a 400 that says what was wrong', async () => {
		logged.length = 0;
		const res = await app.inject({
			method: 'POST',
			url: '/api/v1/test-errors/field',
			headers: { 'content-type': 'application/json' },
			payload: '{"title":'
		});
		expect(res.statusCode).toBe(400);
		expect(res.headers['content-type']).toMatch(/^application\/json/);
		expect(res.json()).toMatchObject({ error: { code: expect.stringMatching(/^FST_ERR_CTP_INVALID_JSON/) } });
		expect(logged.filter((entry) => entry.level >= 50)).toEqual([]);
	});
});
