/**
 * Builds the Fastify host around an application context. Order matters: security
 * headers, health, the JSON API, the WebSocket hub, library uploads and downloads, and
 * SvelteKit last.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../lib/server/config.ts';
import type { AppContext } from '../lib/server/context.ts';
import securityHeaders from './plugins/security-headers.ts';
import health from './plugins/health.ts';
import { apiV1 } from './plugins/api.ts';
import hub from './realtime/hub.ts';
import { svelteKit } from './plugins/sveltekit.ts';
import { library } from './plugins/library.ts';
import { errorHandler } from './error-handler.ts';

export interface BuildAppOptions {
	/** adapter-node's build/handler.js; without it no pages are served (the dev server serves them). */
	svelteKitHandler?: string;
	/** How long /readyz reuses its schema check (default 5 s; tests use 0). */
	schemaCheckMs?: number;
	/** WebSocket hub limits (tests shorten them). */
	hub?: { heartbeatMs?: number; maxBufferedBytes?: number; rate?: { burst: number; perSecond: number } };
}

/** A hop count trusts that many proxies in front of Muster (Fastify's types lack the number form). */
function trustProxyOption(
	value: Config['trustProxy']
): boolean | string | ((address: string, hop: number) => boolean) {
	return typeof value === 'number' ? (_address, hop) => hop < value : value;
}

export async function buildApp(context: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
	const { config } = context;
	let shuttingDown = false;

	const app = Fastify({
		loggerInstance: context.logger as FastifyBaseLogger,
		trustProxy: trustProxyOption(config.trustProxy),
		genReqId: () => randomUUID(),
		// Slow-client protection; SvelteKit pages and the API answer well inside these. A whole
		// request may take five minutes (Node's own default), so a 25 MB upload arrives over a
		// connection of 0.7 Mbit/s or more; headers must still come within 60 s (headersTimeout).
		connectionTimeout: 60_000,
		requestTimeout: 300_000,
		keepAliveTimeout: 10_000,
		bodyLimit: 1024 * 1024,
		return503OnClosing: true
	});

	app.addHook('onRequest', async (request, reply) => {
		reply.header('x-request-id', request.id);
	});
	app.addHook('preClose', async () => {
		shuttingDown = true;
	});

	// One error handler: domain errors get their status, 5xx never show their detail.
	app.setErrorHandler(errorHandler(context.now));

	await app.register(securityHeaders, { hsts: config.secureCookies });
	await app.register(health, {
		context,
		isShuttingDown: () => shuttingDown,
		schemaCheckMs: options.schemaCheckMs
	});
	await app.register(apiV1, { prefix: '/api/v1', context });
	await app.register(hub, { context, ...options.hub });
	await app.register(library, { context });
	if (options.svelteKitHandler) {
		await app.register(svelteKit, {
			handlerPath: options.svelteKitHandler,
			origin: config.origin,
			context
		});
	}
	return app;
}
