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
}

const plugin: FastifyPluginAsync<HealthOptions> = async (app, { context, isShuttingDown }) => {
	app.get('/healthz', async (_request, reply) => {
		reply.header('cache-control', 'no-store');
		return { status: 'ok' };
	});

	app.get('/readyz', async (request, reply) => {
		reply.header('cache-control', 'no-store');
		if (isShuttingDown()) return reply.code(503).send({ status: 'unavailable', reason: 'shutting down' });
		try {
			await ping(context.db);
		} catch (error) {
			request.log.warn({ err: error }, 'readiness: database unreachable');
			return reply.code(503).send({ status: 'unavailable', reason: 'database unreachable' });
		}
		const status = await migrationStatus(context.db);
		if (status.pending.length > 0) {
			return reply.code(503).send({
				status: 'unavailable',
				reason: `database schema is not current: ${status.pending.length} migration(s) pending`,
				pending: status.pending
			});
		}
		return { status: 'ready', database: context.database.kind };
	});
};

export default fp(plugin, { name: 'muster-health', fastify: '5.x' });
