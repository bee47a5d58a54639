/**
 * Real time across nodes (PostgreSQL only: the embedded database is one process by design).
 * Two Muster processes share one database: a reply posted through node A reaches a
 * WebSocket client on node B. And a node whose LISTEN connection is killed catches up.
 */
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sql } from 'kysely';
import { serverUrl } from '../support/test-database.ts';
import {
	createTestContext,
	createTestHost,
	type TestContext,
	type TestHost
} from '../support/test-context.ts';
import { spawnHost, waitForReady, type HostProcess } from '../support/spawn-host.ts';
import { createUser } from '../support/accounts.ts';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session.ts';
import { createGroup } from '../../src/lib/server/groups/group.service.ts';
import { reply, startThread } from '../../src/lib/server/discussions/thread.service.ts';
import { publishEvent } from '../../src/lib/server/events/publish.ts';
import { appendAudit } from '../../src/lib/server/audit/audit.repository.ts';

const onPostgres = serverUrl() !== undefined;
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup();
});
const meta = { ip: '127.0.0.1', userAgent: 'test' };

async function fixture(ctx: TestContext['ctx']) {
	const created = await createUser(ctx, `node${Math.random().toString(36).slice(2, 8)}@kent.police.uk`);
	const { token } = await createSession(ctx.db, created.id, { twoFactorVerified: true }, new Date());
	const user = (await validateSessionToken(ctx.db, token, new Date()))!.user;
	const slug = await createGroup(
		ctx,
		user,
		{ name: 'Across nodes', description: '', visibility: 'open', audience: 'police' },
		meta
	);
	const thread = await startThread(ctx, user, slug, { title: 'Across nodes', body: 'first' });
	return { user, token, slug, thread };
}

function subscribe(url: string, origin: string, token: string, channel: string) {
	const events: Array<Record<string, unknown>> = [];
	const socket = new WebSocket(url, { headers: { origin, cookie: `muster_session=${token}` } });
	const ready = new Promise<void>((resolve, reject) => {
		socket.on('message', (data) => {
			const message = JSON.parse(data.toString()) as Record<string, unknown>;
			if (message.type === 'subscribed') resolve();
			if (message.type === 'event') events.push(message);
		});
		socket.once('open', () => socket.send(JSON.stringify({ type: 'subscribe', channel })));
		socket.once('error', reject);
	});
	return { socket, events, ready };
}

async function until(check: () => boolean, ms = 10_000) {
	const deadline = Date.now() + ms;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 25));
	}
}

describe.skipIf(!onPostgres)('real time on PostgreSQL', () => {
	it('a reply posted through node A reaches a WebSocket client on node B', async () => {
		const t = await createTestContext('nodes');
		cleanups.push(() => t.close());
		const { token, slug, thread } = await fixture(t.ctx);
		const nodes: HostProcess[] = [];
		for (let i = 0; i < 2; i++) {
			const node = await spawnHost({ env: { DATABASE_URL: t.database.url } });
			cleanups.push(() => node.stop(5_000));
			nodes.push(node);
		}
		await Promise.all(nodes.map((node) => waitForReady(node)));
		const [a, b] = nodes as [HostProcess, HostProcess];
		const sub = subscribe(`ws://127.0.0.1:${b.port}/ws`, b.url, token, `thread:${thread.id}`);
		await sub.ready;

		await t.ctx.db.deleteFrom('rateLimits').execute(); // the thread was just started: not testing limits here
		const path = `/groups/${slug}/t/${thread.id}`;
		const res = await fetch(`http://127.0.0.1:${a.port}${path}?/reply`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: a.url,
				accept: 'text/html',
				cookie: `muster_session=${token}`
			},
			body: new URLSearchParams({ body: 'Posted on node A' }).toString()
		});
		expect(res.status).toBe(303);
		await until(() =>
			sub.events.some((e) => (e.data as { html?: string }).html === '<p>Posted on node A</p>')
		);
		sub.socket.close();
	}, 90_000);

	it('a killed LISTEN connection reconnects and delivers every event written meanwhile', async () => {
		const host: TestHost = await createTestHost('listener', { pages: false, listen: true });
		cleanups.push(() => host.close());
		await host.app.listen({ port: 0, host: '127.0.0.1' });
		const port = (host.app.server.address() as { port: number }).port;
		const { user, token, slug, thread } = await fixture(host.ctx);
		const sub = subscribe(`ws://127.0.0.1:${port}/ws`, host.ctx.config.origin, token, `thread:${thread.id}`);
		await sub.ready;

		await sql`select pg_terminate_backend(pid) from pg_stat_activity
			where application_name = 'muster-listener' and datname = current_database()`.execute(host.ctx.db);
		const numbers: number[] = [];
		for (let i = 0; i < 5; i++) {
			await host.ctx.db.deleteFrom('rateLimits').execute(); // posting limits are not under test here
			numbers.push((await reply(host.ctx, user, slug, thread.id, `During the outage ${i}`)).number);
		}
		await until(() => sub.events.filter((e) => e.event === 'post.created').length === 5, 20_000);
		expect(
			sub.events.filter((e) => e.event === 'post.created').map((e) => (e.data as { number: number }).number)
		).toEqual(numbers);
		sub.socket.close();
	}, 60_000);

	it('events on different channels whose transactions commit out of order all arrive', async () => {
		const host: TestHost = await createTestHost('order', { pages: false, listen: true });
		cleanups.push(() => host.close());
		await host.app.listen({ port: 0, host: '127.0.0.1' });
		const port = (host.app.server.address() as { port: number }).port;
		const first = await fixture(host.ctx);
		const url = `ws://127.0.0.1:${port}/ws`;
		await host.ctx.db.deleteFrom('rateLimits').execute(); // posting limits are not under test here
		const second = await startThread(host.ctx, first.user, first.slug, { title: 'Second thread', body: 'x' });
		const subA = subscribe(url, host.ctx.config.origin, first.token, `thread:${first.thread.id}`);
		const subB = subscribe(url, host.ctx.config.origin, first.token, `thread:${second.id}`);
		await Promise.all([subA.ready, subB.ready]);

		// A publishes first and stays open; B publishes on another channel and tries to commit
		// first. A reader that had seen B's event must still be given A's.
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		let publishedA!: () => void;
		const aPublished = new Promise<void>((resolve) => (publishedA = resolve));
		const a = host.ctx.db.transaction().execute(async (trx) => {
			await publishEvent(trx, { channel: `thread:${first.thread.id}`, type: 'test', data: { which: 'A' } });
			publishedA();
			await gate;
		});
		await aPublished;
		const b = host.ctx.db
			.transaction()
			.execute((trx) =>
				publishEvent(trx, { channel: `thread:${second.id}`, type: 'test', data: { which: 'B' } })
			);
		await new Promise((r) => setTimeout(r, 300));
		release();
		await Promise.all([a, b]);
		await until(
			() => subA.events.some((e) => e.event === 'test') && subB.events.some((e) => e.event === 'test')
		);
		subA.socket.close();
		subB.socket.close();
	}, 60_000);

	it('transactions that publish and audit in either order never deadlock', async () => {
		const t = await createTestContext('locks');
		cleanups.push(() => t.close());
		const runs = Array.from({ length: 20 }, (_, i) =>
			t.ctx.db.transaction().execute(async (trx) => {
				const publish = () => publishEvent(trx, { channel: `user:${i}`, type: 'test', data: {} });
				const audit = () => appendAudit(trx, { actor: null, action: 'test.lock_order' });
				if (i % 2) {
					await publish();
					await new Promise((r) => setTimeout(r, 5));
					await audit();
				} else {
					await audit();
					await new Promise((r) => setTimeout(r, 5));
					await publish();
				}
			})
		);
		await expect(Promise.all(runs)).resolves.toHaveLength(20);
	}, 60_000);
});
