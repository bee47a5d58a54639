import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build', precompress: true }),
		// No inline scripts: SvelteKit adds a nonce to its own bootstrap script.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self'],
				// The one inline style attribute allowed: SvelteKit's route announcer (its exact text,
				// hashed), which otherwise logs a CSP error on every page.
				'style-src-attr': ['unsafe-hashes', 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		// Form posts from other origins are refused by Muster's own server hook (hooks.server.ts),
		// which answers with a proper page and logs the origin it expected and the one it got;
		// SvelteKit's own check would answer a bare line of text first.
		csrf: { trustedOrigins: ['*'] }
	}
};

export default config;
