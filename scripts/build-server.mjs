// Bundles the Fastify host (src/server/main.ts) into dist/server/main.js.
// Dependencies stay external (node_modules); SvelteKit's build/handler.js is loaded at run time.
import { build } from 'esbuild';

try {
	await build({
		entryPoints: {
			main: 'src/server/main.ts',
			migrate: 'src/server/cli/migrate.ts',
			admin: 'src/server/cli/admin.ts'
		},
		outdir: 'dist/server',
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		packages: 'external',
		sourcemap: true,
		logLevel: 'warning'
	});
	console.log('Built the host: dist/server/main.js');
} catch {
	process.exit(1);
}
