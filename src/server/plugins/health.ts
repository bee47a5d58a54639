/**
 * /healthz: the process is alive (no dependencies checked, so an orchestrator does
 * not restart a node for a database outage). /readyz: this node can serve: the
 * database answers and its schema is current. 503 with a reason otherwise.
 */
import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../lib/server/context.ts';
import { ping } from '../../lib/server/db/database.ts';
import { migrationStatus } from '../../lib/server/db/migrator.ts';

export interface HealthOptions {
	context: AppContext;
	/** True once shutdown has begun: the node then reports not ready. */
	isShuttingDown: () => boolean;
	/** How long a schema check is reused (tests use 0). */
	schemaCheckMs?: number;
}

const plugin: FastifyPluginAsync<HealthOptions> = async (
	app,
	{ context, isShuttingDown, schemaCheckMs = 5_000 }
) => {
	// Health checks come every few seconds from load balancers: logged at debug, so the start-up
	// log (and the set-up link in it) is not buried under them.
	app.get('/healthz', { logLevel: 'warn' }, async (_request, reply) => {
		reply.header('cache-control', 'no-store');
		return { status: 'ok' };
	});

	// The schema only changes when migrations run, so its status is cached briefly: a
	// load balancer polling /readyz costs one round trip, not a catalogue scan.
	let schema: { checkedAt: number; pending: string[] } | undefined;

	app.get('/readyz', { logLevel: 'warn' }, async (request, reply) => {
		reply.header('cache-control', 'no-store');
		if (isShuttingDown()) return reply.code(503).send({ status: 'unavailable', reason: 'shutting down' });
		try {
			await ping(context.db);
			if (!schema || Date.now() - schema.checkedAt >= schemaCheckMs) {
				schema = { checkedAt: Date.now(), pending: (await migrationStatus(context.db)).pending };
			}
		} catch (error) {
			schema = undefined;
			request.log.warn({ err: error }, 'readiness: database unreachable');
			return reply.code(503).send({ status: 'unavailable', reason: 'database unreachable' });
		}
		if (schema.pending.length > 0) {
			return reply.code(503).send({
				status: 'unavailable',
				reason: `database schema is not current: ${schema.pending.length} migration(s) pending`
			});
		}
		return { status: 'ready', database: context.database.kind };
	});
};

export default fp(plugin, { name: 'muster-health', fastify: '5.x' });
