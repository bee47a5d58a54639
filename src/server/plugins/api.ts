/**
 * The JSON API under /api/v1: thin edges around the domain services. So far one route, the
 * one-click unsubscribe that mail programs POST to (RFC 8058), which carries no session and
 * no same-origin header, so it cannot be a SvelteKit form action. Unknown paths answer a
 * JSON 404, never a page.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../lib/server/context.ts';
import { unsubscribeWith } from '../../lib/server/notifications/email-preferences.ts';
import { API_CONTENT_SECURITY_POLICY } from './security-headers.ts';
import { hasUnstorable } from '../../lib/server/forms.ts';

/** Does any text in a parsed JSON body hold characters that cannot be kept (see forms.ts)? */
function holdsUnstorable(value: unknown, depth = 0): boolean {
	if (typeof value === 'string') return hasUnstorable(value);
	if (depth > 64 || value === null || typeof value !== 'object') return false;
	return Object.entries(value).some(([key, item]) => hasUnstorable(key) || holdsUnstorable(item, depth + 1));
}

export const apiV1: FastifyPluginAsync<{ context: AppContext }> = async (api, { context }) => {
	api.addHook('onRequest', async (_request, reply) => {
		reply.header('content-security-policy', API_CONTENT_SECURITY_POLICY);
		reply.header('cache-control', 'no-store');
	});
	// The same rule as forms: text that cannot be kept is refused, and the answer says why.
	api.addHook('preValidation', async (request, reply) => {
		if (holdsUnstorable(request.body) || hasUnstorable(decodeURIComponentSafe(request.url))) {
			return reply.code(400).send({
				error: {
					code: 'invalid',
					message:
						'The request contains characters that cannot be kept, such as a null character. Remove them and send it again.'
				}
			});
		}
	});

	// RFC 8058: the body ("List-Unsubscribe=One-Click") comes as a form; its words change nothing.
	for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data'])
		api.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 4096 }, (_request, _body, done) =>
			done(null, {})
		);
	api.post<{ Params: { token: string } }>('/unsubscribe/:token', async (request, reply) => {
		const done = await unsubscribeWith(context.db, context.secrets, request.params.token, context.now());
		if (!done)
			return reply.code(404).send({
				error: {
					code: 'not_found',
					message: 'This unsubscribe link is not valid. Change your e-mail settings on Muster.'
				}
			});
		return reply.send({ unsubscribed: done.category });
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

function decodeURIComponentSafe(url: string): string {
	try {
		return decodeURIComponent(url);
	} catch {
		return url;
	}
}
