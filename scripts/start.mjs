// `npm start`: builds when there is no build output or the sources are newer than it
// (e.g. after a git pull), then runs the host in this process, in production mode: no
// development tools, and on the embedded database a SECRET_KEY generated once in DATA_DIR.
// Readable log lines in a terminal, JSON lines otherwise (LOG_FORMAT overrides).
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function newest(dir) {
	let latest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
	}
	return latest;
}

const outputs = ['build/handler.js', 'dist/server/main.js'];
const built = outputs.every((file) => existsSync(file));
const stale =
	built &&
	Math.max(newest('src'), newest('migrations'), newest('static'), statSync('package-lock.json').mtimeMs) >
		Math.min(...outputs.map((file) => statSync(file).mtimeMs));

// MUSTER_SKIP_BUILD=1 runs whatever is built (tests run it beside others that use the build).
if (!built || (stale && process.env.MUSTER_SKIP_BUILD !== '1')) {
	console.log(
		built
			? 'The sources have changed since the last build: building Muster...'
			: 'No build output yet: building Muster first (about a minute)...'
	);
	try {
		execSync('npm run build', { stdio: 'inherit' });
	} catch {
		console.error('Muster could not start: the build failed (see above).');
		process.exit(1);
	}
}
process.env.NODE_ENV ||= 'production';
if (!process.env.LOG_FORMAT && process.stdout.isTTY) process.env.LOG_FORMAT = 'pretty';
await import(new URL('../dist/server/main.js', import.meta.url).href);
