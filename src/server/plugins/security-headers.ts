/**
 * Security headers on every response. SvelteKit pages get their Content Security
 * Policy from SvelteKit itself (svelte.config.js, with nonces for its own scripts);
 * everything else the host answers (JSON, health) gets a deny-all policy.
 * Headers are set with reply.header(); the SvelteKit plugin copies them onto the raw
 * response because hijacked replies skip onSend.
 */
import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';

export interface SecurityHeadersOptions {
	/** Adds Strict-Transport-Security when the public origin is https. */
	hsts: boolean;
}

const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'x-content-type-options': 'nosniff',
	'x-frame-options': 'DENY',
	'referrer-policy': 'strict-origin-when-cross-origin',
	'cross-origin-opener-policy': 'same-origin',
	'cross-origin-resource-policy': 'same-origin',
	'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()'
};

/** For responses that are not SvelteKit pages: nothing may load or frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

const plugin: FastifyPluginAsync<SecurityHeadersOptions> = async (app, options) => {
	app.addHook('onRequest', async (_request, reply) => {
		reply.headers(BASE_SECURITY_HEADERS);
		if (options.hsts) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
	});
};

export default fp(plugin, { name: 'muster-security-headers', fastify: '5.x' });
