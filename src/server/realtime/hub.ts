/**
 * The WebSocket endpoint /ws. For now it proves the socket works end to end:
 * `{"type":"ping"}` is answered with `{"type":"pong"}`. Subscriptions, replay and
 * fan-out arrive with the real-time issue.
 */
import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';

export interface HubOptions {
	/** The site's own origin: upgrades from any other Origin are refused. */
	origin: string;
}

/** RFC 6455 §7.4.1: 1001 "going away", e.g. a server going down. */
export const CLOSE_GOING_AWAY = 1001;
const MAX_MESSAGE_BYTES = 16 * 1024;
const CLOSE_GRACE_MS = 1_500;

function send(socket: WebSocket, message: Record<string, unknown>): void {
	if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

const plugin: FastifyPluginAsync<HubOptions> = async (app, options) => {
	await app.register(websocket, {
		options: { maxPayload: MAX_MESSAGE_BYTES },
		// Say goodbye (1001), give clients a moment to answer, then cut off any that do not
		// (a sleeping laptop never will), so shutdown finishes in time.
		preClose(done) {
			const clients = [...app.websocketServer.clients];
			for (const client of clients) client.close(CLOSE_GOING_AWAY, 'Server shutting down');
			const started = Date.now();
			const wait = setInterval(() => {
				const open = clients.filter((c) => c.readyState !== c.CLOSED);
				if (open.length === 0 || Date.now() - started >= CLOSE_GRACE_MS) {
					clearInterval(wait);
					for (const client of open) client.terminate();
					app.websocketServer.close();
					done();
				}
			}, 25);
		}
	});

	// Only /ws upgrades: any other path is refused before @fastify/websocket would accept it.
	app.addHook('onRequest', async (request, reply) => {
		if (request.headers.upgrade && request.url.split('?')[0] !== '/ws') {
			return reply
				.code(404)
				.send({ error: { code: 'not_found', message: 'There is no WebSocket endpoint here.' } });
		}
	});

	app.get(
		'/ws',
		{
			websocket: true,
			// Cross-site WebSocket hijacking defence: browsers always send Origin on upgrades.
			preValidation: async (request, reply) => {
				if (request.headers.origin !== options.origin) {
					return reply.code(403).send({ error: { code: 'forbidden', message: 'Origin not allowed.' } });
				}
			}
		},
		(socket) => {
			socket.on('message', (raw, isBinary) => {
				let message: unknown;
				try {
					message = isBinary ? undefined : JSON.parse(raw.toString());
				} catch {
					message = undefined;
				}
				if (message && typeof message === 'object' && (message as { type?: unknown }).type === 'ping') {
					send(socket, { type: 'pong' });
					return;
				}
				send(socket, { type: 'error', code: 'invalid', message: 'Send a JSON object with a known "type".' });
			});
		}
	);
};

export default fp(plugin, { name: 'muster-realtime-hub', fastify: '5.x' });
