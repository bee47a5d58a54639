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

function send(socket: WebSocket, message: Record<string, unknown>): void {
	if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

const plugin: FastifyPluginAsync<HubOptions> = async (app, options) => {
	await app.register(websocket, {
		options: { maxPayload: MAX_MESSAGE_BYTES },
		preClose(done) {
			for (const client of app.websocketServer.clients)
				client.close(CLOSE_GOING_AWAY, 'Server shutting down');
			app.websocketServer.close(() => done());
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
