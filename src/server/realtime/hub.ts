/**
 * The WebSocket hub at /ws. The upgrade needs the site's own Origin (403) and a valid,
 * fully signed-in session (401). Clients subscribe to channels the policy lets them
 * follow; with `since`, the hub replays the backlog after that id, then streams live
 * events, in id order, with no gap and no duplicate (events that arrive while the
 * backlog is read are held and then sent after it). Each socket's state and steps are a
 * Connection (connection.ts); this plugin opens the door and closes it at shutdown.
 */
import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../lib/server/context.ts';
import { validateSessionToken, type SessionUser } from '../../lib/server/auth/session.ts';
import { sessionTokenFrom } from '../../lib/server/auth/session-cookie.ts';
import { fullySignedIn } from '../../lib/server/policy/page-access.ts';
import { CLOSE_GOING_AWAY } from '../../lib/realtime/protocol.ts';
import { Connection, type ConnectionLimits } from './connection.ts';

export interface HubOptions {
	context: AppContext;
	/** Heartbeat interval (default 25 s); tests shorten it. */
	heartbeatMs?: number;
	/** Send-buffer bound in bytes before a slow client is cut off (default 1 MiB). */
	maxBufferedBytes?: number;
	/** How often each connection's session and subscriptions are checked in full (default 5 min). */
	recheckMs?: number;
	/** Messages a socket may send: a burst, refilled at a rate a second (default 40, 20); tests raise it. */
	rate?: { burst: number; perSecond: number };
}

const MAX_MESSAGE_BYTES = 16 * 1024;
const CLOSE_GRACE_MS = 1_500;
/** Heartbeat: a socket that has not answered the previous ping by the next one is dead (< 60 s). */
const HEARTBEAT_MS = 25_000;
/** A client that cannot keep up is cut off (it resumes from its last id) rather than buffered without end. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/**
 * Every way of losing access (signing out, suspension, password change, removal, ban, a
 * thread moving) is announced and re-checked at once, and session expiry is watched at
 * each heartbeat from the expiry time already known; the full check against the database
 * is a safety net, spread out so that 10,000 connections do not all ask at once.
 */
const RECHECK_MS = 5 * 60_000;
/** Per-socket message rate: a bucket of 40, refilled at 20 a second. */
const RATE_BURST = 40;
const RATE_PER_SECOND = 20;

declare module 'fastify' {
	interface FastifyRequest {
		musterUser?: SessionUser;
		musterSessionExpiresAt?: Date;
	}
}

const plugin: FastifyPluginAsync<HubOptions> = async (app, options) => {
	const {
		context: ctx,
		heartbeatMs = HEARTBEAT_MS,
		maxBufferedBytes = MAX_BUFFERED_BYTES,
		recheckMs = RECHECK_MS,
		rate = { burst: RATE_BURST, perSecond: RATE_PER_SECOND }
	} = options;
	const limits: ConnectionLimits = { heartbeatMs, maxBufferedBytes, recheckMs, rate };
	const origin = ctx.config.origin;
	/** Database work started for sockets (checks, subscriptions): shutdown waits for it. */
	const inFlight = new Set<Promise<unknown>>();
	const track = <T>(work: Promise<T>): Promise<T> => {
		inFlight.add(work);
		void work.finally(() => inFlight.delete(work)).catch(() => {});
		return work;
	};
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
					// Let checks and subscriptions already talking to the database finish before
					// the pool closes (they would fail with "driver has already been destroyed").
					void Promise.allSettled([...inFlight]).then(() => done());
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
			preValidation: async (request, reply) => {
				// Cross-site WebSocket hijacking defence: browsers always send Origin on upgrades.
				if (request.headers.origin !== origin) {
					return reply.code(403).send({ error: { code: 'forbidden', message: 'Origin not allowed.' } });
				}
				const token = sessionTokenFrom(request.headers.cookie);
				const session = token ? await validateSessionToken(ctx.db, token, ctx.now()) : null;
				const user = session?.user;
				// The same test as the pages: every factor given, and the address confirmed.
				if (!session || !user || !fullySignedIn(session) || !user.emailVerified) {
					return reply.code(401).send({ error: { code: 'unauthorised', message: 'Sign in first.' } });
				}
				request.musterUser = user;
				request.musterSessionExpiresAt = session.session.expiresAt;
			}
		},
		(socket, request) => {
			new Connection({
				ctx,
				socket,
				user: request.musterUser!,
				token: sessionTokenFrom(request.headers.cookie)!,
				expiresAt: request.musterSessionExpiresAt!,
				log: request.log,
				limits,
				track
			}).start();
		}
	);
};

export default fp(plugin, { name: 'muster-realtime-hub', fastify: '5.x' });
