/**
 * The JSON API under /api/v1. Empty for now: later issues add routes here as thin
 * edges around the domain services. Unknown paths answer a JSON 404, never a page.
 */
import type { FastifyPluginAsync } from 'fastify';
import { API_CONTENT_SECURITY_POLICY } from './security-headers.ts';

export const apiV1: FastifyPluginAsync = async (api) => {
	api.addHook('onRequest', async (_request, reply) => {
		reply.header('content-security-policy', API_CONTENT_SECURITY_POLICY);
		reply.header('cache-control', 'no-store');
	});

	const notFound = async (request: { method: string; url: string }, reply: import('fastify').FastifyReply) =>
		reply.code(404).send({
			error: {
				code: 'not_found',
				message: `There is no API endpoint at ${request.method} ${request.url.split('?')[0]}.`
			}
		});

	// A wildcard inside the prefix, so SvelteKit's catch-all never answers for /api/v1.
	api.all('/', notFound);
	api.all('/*', notFound);
};
