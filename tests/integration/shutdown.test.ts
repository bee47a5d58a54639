/**
 * SIGTERM closes in time even when clients do not cooperate: a WebSocket client that
 * never answers the close frame, and an idle keep-alive HTTP connection.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it, onTestFinished } from 'vitest';
import { spawnHost, waitForReady, type HostProcess } from '../support/spawn-host.ts';
import { signUpOverHttp } from '../support/http-account.ts';
import { startMailSink } from '../support/mail-sink.ts';

let host: HostProcess | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-shutdown-'));
afterAll(async () => {
	await host?.stop(2_000);
	fs.rmSync(dir, { recursive: true, force: true });
});

/** A WebSocket handshake by hand; afterwards the socket reads nothing and answers nothing. */
function deafWebSocket(port: number, origin: string, token: string): Promise<net.Socket> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1', () => {
			socket.write(
				'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
					`Origin: ${origin}\r\nCookie: muster_session=${token}\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`
			);
		});
		socket.once('data', (chunk) => {
			if (chunk.toString().startsWith('HTTP/1.1 101')) {
				socket.pause(); // never read the close frame, never reply
				resolve(socket);
			} else reject(new Error(chunk.toString()));
		});
		socket.once('error', reject);
	});
}

it('SIGTERM with a deaf WebSocket client and an idle keep-alive connection still exits 0 promptly', async () => {
	const sink = await startMailSink();
	onTestFinished(() => sink.close());
	host = await spawnHost({
		env: { DATA_DIR: path.join(dir, 'data'), DATABASE_URL: undefined, SMTP_URL: sink.url }
	});
	await waitForReady(host);
	const token = await signUpOverHttp(`http://127.0.0.1:${host.port}`, host.url, 'deaf@kent.police.uk', sink);
	const deaf = await deafWebSocket(host.port, host.url, token);
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	await new Promise<void>((resolve, reject) => {
		http
			.get({ host: '127.0.0.1', port: host!.port, path: '/healthz', agent }, (res) => {
				res.resume();
				res.on('end', () => resolve());
			})
			.on('error', reject);
	});

	const started = Date.now();
	const code = await host.stop(15_000);
	const elapsed = Date.now() - started;
	expect(code).toBe(0);
	// Well inside the 10 s an orchestrator waits: not held by the deaf client or the idle connection.
	expect(elapsed).toBeLessThan(5_000);
	expect(host.output()).not.toContain('did not close in time');
	deaf.destroy();
	agent.destroy();
}, 60_000);
