/**
 * /ws over a real socket on an ephemeral port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestHost, type TestHost } from '../support/test-context.ts';

let host: TestHost;
let wsUrl: string;

beforeAll(async () => {
	host = await createTestHost('ws', { pages: false });
	await host.app.listen({ port: 0, host: '127.0.0.1' });
	const address = host.app.server.address();
	if (!address || typeof address !== 'object') throw new Error('no address');
	wsUrl = `ws://127.0.0.1:${address.port}/ws`;
});
afterAll(async () => {
	await host?.close();
});

function connect(origin: string | undefined = host.ctx.config.origin): Promise<WebSocket> {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(wsUrl, { headers: origin ? { origin } : {} });
		socket.once('open', () => resolve(socket));
		socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
		socket.once('error', reject);
	});
}

function nextMessage(socket: WebSocket): Promise<Record<string, unknown>> {
	return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
}

describe('/ws', () => {
	it('answers ping with pong', async () => {
		const socket = await connect();
		const reply = nextMessage(socket);
		socket.send(JSON.stringify({ type: 'ping' }));
		expect(await reply).toEqual({ type: 'pong' });
		socket.close();
	});

	it('refuses an upgrade from another origin, or with no origin', async () => {
		await expect(connect('https://evil.example')).rejects.toThrow('HTTP 403');
		await expect(connect('')).rejects.toThrow('HTTP 403');
	});

	it('answers malformed messages with error invalid and stays usable', async () => {
		const socket = await connect();
		for (const bad of ['not json', '[]', '{"type":"launch"}', 'null']) {
			const reply = nextMessage(socket);
			socket.send(bad);
			expect(await reply).toMatchObject({ type: 'error', code: 'invalid' });
		}
		const pong = nextMessage(socket);
		socket.send('{"type":"ping"}');
		expect(await pong).toEqual({ type: 'pong' });
		socket.close();
	});

	it('closes a socket that sends a message over 16 KiB', async () => {
		const socket = await connect();
		const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
		socket.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(17 * 1024) }));
		expect(await closed).toBe(1009);
	});
});
