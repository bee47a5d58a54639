import { fileURLToPath } from 'node:url';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';
import { musterDevHost } from './src/server/dev/vite-plugin.ts';

/**
 * govuk-frontend keeps an old Internet Explorer hack, `@media ... (min-width: 0\0)`,
 * which Sass writes as an invalid character and the CSS minifier rightly rejects.
 * No supported browser needs it, so those rules are dropped.
 */
const dropIeMediaHacks = {
	postcssPlugin: 'muster-drop-ie-media-hacks',
	AtRule: {
		media(rule: { params: string; remove(): void }) {
			if (/\\0|\uFFFD/.test(rule.params)) rule.remove();
		}
	}
};

export default defineConfig(({ command }) => ({
	plugins: [...(command === 'serve' && !process.env.VITEST ? [musterDevHost() as Plugin] : []), sveltekit()],
	css: {
		postcss: { plugins: [dropIeMediaHacks] },
		preprocessorOptions: {
			scss: {
				loadPaths: ['node_modules/govuk-frontend/dist'],
				quietDeps: true
			}
		}
	},
	resolve: {
		// govuk-frontend's header refers to the GOV.UK crest, which Muster must not use (and does
		// not ship): a blank image stands in, so nothing is fetched and the build does not warn.
		alias: {
			'/assets/images/govuk-crest.svg': fileURLToPath(new URL('./src/lib/assets/blank.svg', import.meta.url))
		}
	},
	server: { port: 5173, strictPort: true },
	build: {
		target: 'es2022',
		// A quiet build: problems, not timings.
		rolldownOptions: { checks: { pluginTimings: false, bundlerTimings: false } }
	}
}));
