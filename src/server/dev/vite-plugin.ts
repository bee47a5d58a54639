/**
 * `npm run dev`: Vite serves the pages with hot reload, and this plugin runs the same
 * Fastify host (without its SvelteKit route) inside the dev server, so /healthz,
 * /readyz, /api/v1 and /ws behave as in production. Upgrades are forwarded only for
 * /ws, leaving Vite's own HMR socket alone. Changes under src/server need a restart.
 */
import type { Plugin, ViteDevServer } from 'vite';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../lib/server/config.ts';
import { createContext, setAppContext, type AppContext } from '../../lib/server/context.ts';
import { buildApp } from '../app.ts';
import { describeStartupError } from '../startup-errors.ts';
import { applyAddressRules } from '../address-rules.ts';

const HOST_PATHS = /^\/(healthz|readyz|api\/v1)(\/|\?|$)/;
const DEV_HOST_KEY = Symbol.for('muster.dev-host');

interface DevHost {
	app: FastifyInstance;
	context: AppContext;
	closed?: Promise<void>;
}

type GlobalWithDevHost = typeof globalThis & { [DEV_HOST_KEY]?: DevHost };

function closeDevHost(host: DevHost): Promise<void> {
	host.closed ??= (async () => {
		await host.app.close();
		await host.context.close();
	})();
	return host.closed;
}

export function musterDevHost(): Plugin {
	return {
		name: 'muster-dev-host',
		apply: 'serve',
		async configureServer(server: ViteDevServer) {
			const g = globalThis as GlobalWithDevHost;
			// Vite restarts in the same process (a config dependency changed) and creates the new
			// server before closing the old one: release the previous host's database first.
			const previous = g[DEV_HOST_KEY];
			if (previous) {
				g[DEV_HOST_KEY] = undefined;
				await closeDevHost(previous);
			}

			const port = server.config.server.port ?? 5173;
			const loaded = loadConfig({ ORIGIN: `http://localhost:${port}`, ...process.env, PORT: String(port) });
			if (!loaded.ok) throw new Error(`Muster could not start:\n  ${loaded.errors.join('\n  ')}`);
			let host: DevHost;
			try {
				const context = await createContext(loaded.config, { background: true });
				const app = await buildApp(context);
				await app.ready();
				host = { app, context };
			} catch (error) {
				throw new Error(`Muster could not start: ${describeStartupError(error)}`, { cause: error });
			}
			g[DEV_HOST_KEY] = host;
			setAppContext(host.context);

			server.middlewares.use((req, res, next) => {
				if (req.url && HOST_PATHS.test(req.url)) return host.app.routing(req, res);
				// As the built host does before SvelteKit (src/server/address-rules.ts).
				const hostname = (req.headers.host ?? '').replace(/:\d+$/, '');
				applyAddressRules(host.context, req, { devTools: true, hostname }).then(({ redirect }) => {
					if (!redirect) return next();
					res.statusCode = 303;
					res.setHeader('location', redirect);
					res.end();
				}, next);
			});
			server.httpServer?.on('upgrade', (req, socket, head) => {
				const path = (req.url ?? '').split('?')[0];
				if (path === '/ws') host.app.server.emit('upgrade', req, socket, head);
			});
			server.httpServer?.once('close', () => {
				// Only the current host clears the shared context; a replaced one just closes.
				if (g[DEV_HOST_KEY] === host) {
					g[DEV_HOST_KEY] = undefined;
					setAppContext(undefined);
				}
				void closeDevHost(host);
			});
		}
	};
}
