/**
 * Mounts SvelteKit's adapter-node handler as the last route of the host.
 *
 * The catch-all lives in its own encapsulated plugin so that replacing the content-type
 * parsers (SvelteKit reads request bodies itself) does not affect the API. The reply is
 * hijacked and the raw request and response handed to SvelteKit; Fastify's onRequest
 * hooks have already run, so their headers are copied onto the raw response here.
 */
import { pathToFileURL } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../../lib/server/context.ts';
import { applyAddressRules } from '../address-rules.ts';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

export interface SvelteKitOptions {
	/** Path of adapter-node's build/handler.js. */
	handlerPath: string;
	/** Public origin; adapter-node builds request URLs and checks form origins with it. */
	origin: string;
	context: AppContext;
}

/** The header through which the host tells SvelteKit the client address it trusts. */
const CLIENT_ADDRESS_HEADER = 'x-muster-client-address';

async function loadHandler(options: SvelteKitOptions): Promise<NodeHandler> {
	// adapter-node reads these once, when handler.js is first imported.
	process.env.ORIGIN = options.origin;
	process.env.ADDRESS_HEADER = CLIENT_ADDRESS_HEADER;
	const module = (await import(pathToFileURL(options.handlerPath).href)) as { handler: NodeHandler };
	return module.handler;
}

export const svelteKit: FastifyPluginAsync<SvelteKitOptions> = async (app, options) => {
	const handler = await loadHandler(options);

	// SvelteKit parses bodies itself: accept every content type and leave the stream untouched.
	app.removeAllContentTypeParsers();
	app.addContentTypeParser('*', (_request, _payload, done) => done(null));

	app.all('/*', async (request, reply) => {
		const { redirect } = await applyAddressRules(options.context, request.raw, {
			devTools: false,
			hostname: request.hostname
		});
		if (redirect) return reply.code(303).header('location', redirect).send();
		// The client address comes from Fastify's trustProxy decision, never a raw header,
		// and the request id is shared with SvelteKit's logs.
		request.raw.headers[CLIENT_ADDRESS_HEADER] = request.ip;
		request.raw.headers['x-request-id'] = request.id;
		for (const [name, value] of Object.entries(reply.getHeaders())) {
			if (value !== undefined) reply.raw.setHeader(name, value as string | number | readonly string[]);
		}
		// Fastify still logs the completed request: it listens for the raw response's finish.
		reply.hijack();
		handler(request.raw, reply.raw);
	});
};
