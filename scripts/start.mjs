// `npm start`: builds the first time (no build output yet), then runs the host in this process.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('build/handler.js') || !existsSync('dist/server/main.js')) {
	console.log('No build output yet: building Muster first (about a minute)...');
	try {
		execSync('npm run build', { stdio: 'inherit' });
	} catch {
		console.error('Muster could not start: the build failed (see above).');
		process.exit(1);
	}
}
await import(new URL('../dist/server/main.js', import.meta.url).href);
