/**
 * The only process entry point: read config, build the one application context,
 * serve, and close gracefully on SIGTERM/SIGINT.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../lib/server/config.ts';
import { createContext, setAppContext, type AppContext } from '../lib/server/context.ts';
import { createLogger } from '../lib/server/logger.ts';
import { administratorExists, firstRunSetupLink } from '../lib/server/accounts/admin.service.ts';
import { buildApp } from './app.ts';
import { describeStartupError } from './startup-errors.ts';

/** How often the set-up link is repeated while Muster has no administrator (SETUP_REMINDER_MS for tests). */
const SETUP_REMINDER_MS = Number(process.env.SETUP_REMINDER_MS) || 60_000;

/** Shutdown must finish inside this, or the process exits anyway (orchestrators wait ~10 s). */
const SHUTDOWN_DEADLINE_MS = 9_000;

function fail(message: string): never {
	process.stderr.write(`Muster could not start: ${message}\n`);
	process.exit(1);
}

async function main(): Promise<void> {
	// Signals are handled from the very start: a Ctrl-C during the first start (which
	// creates the embedded database) waits for start-up to finish, then closes cleanly.
	let signalled: string | undefined;
	const shutdown: { stop?: (signal: string) => Promise<void> } = {};
	const onSignal = (signal: string) => {
		if (shutdown.stop) void shutdown.stop(signal);
		else signalled ??= signal;
	};
	process.on('SIGTERM', () => onSignal('SIGTERM'));
	process.on('SIGINT', () => onSignal('SIGINT'));

	const loaded = loadConfig(process.env);
	if (!loaded.ok) {
		process.stderr.write(
			`Muster could not start: the configuration has ${loaded.errors.length} problem(s).\n`
		);
		for (const line of loaded.errors) process.stderr.write(`  ${line}\n`);
		process.exit(1);
	}
	const { config } = loaded;
	const logger = createLogger(config);

	const handlerPath = fileURLToPath(new URL('../../build/handler.js', import.meta.url));
	if (!existsSync(handlerPath))
		fail(`the pages are not built (${handlerPath} is missing): run npm run build.`);

	if (!config.databaseUrl) {
		const fresh = !existsSync(`${config.dataDir}/pglite/PG_VERSION`);
		logger.info(
			fresh
				? `creating the embedded database in ${config.dataDir} (the first start takes a few seconds)`
				: `opening the embedded database in ${config.dataDir}`
		);
	}

	let context: AppContext;
	try {
		context = await createContext(config, { logger, background: true });
	} catch (error) {
		fail(describeStartupError(error));
	}
	setAppContext(context);

	let app: FastifyInstance;
	try {
		app = await buildApp(context, { svelteKitHandler: handlerPath });
		await app.listen({
			port: config.port,
			host: config.host,
			// The address to open is ORIGIN, not the interface the host listens on.
			listenTextResolver: (address) => `listening on ${address}; open Muster at ${config.origin}`
		});
	} catch (error) {
		await context.close().catch(() => {});
		fail(describeStartupError(error, { host: config.host, port: config.port }));
	}
	logger.info(`Muster is ready at ${config.origin} (database: ${context.database.kind})`);
	// The set-up link is the last thing said at start, and said again each minute until an
	// administrator exists, so it never scrolls away out of reach.
	const setupLink = await firstRunSetupLink(context).catch(() => undefined);
	let setupReminder: ReturnType<typeof setInterval> | undefined;
	if (setupLink) {
		const say = () =>
			logger.warn(
				`Muster has no administrator yet. Open this one-time link to create the first one: ${setupLink}`
			);
		say();
		setupReminder = setInterval(() => {
			administratorExists(context)
				.then((exists) => {
					if (exists) clearInterval(setupReminder);
					else say();
				})
				.catch(() => {});
		}, SETUP_REMINDER_MS);
		setupReminder.unref();
	}

	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		clearInterval(setupReminder);
		logger.info(`${signal} received: closing connections`);
		const deadline = setTimeout(() => {
			process.stderr.write('Muster did not close in time; exiting.\n');
			process.exit(1);
		}, SHUTDOWN_DEADLINE_MS);
		deadline.unref();
		try {
			// A connection kept alive after its last response would hold the close open for
			// the whole keep-alive timeout: from now on, each closes as soon as it is idle.
			app.server.keepAliveTimeout = 1;
			await app.close();
			await context.close();
			setAppContext(undefined);
			logger.info('closed cleanly');
			process.exitCode = 0;
		} catch (error) {
			logger.error({ err: error }, 'error while closing');
			process.exitCode = 1;
		} finally {
			clearTimeout(deadline);
		}
		// Everything of ours is closed; do not wait on stray handles (e.g. a log worker).
		process.exit();
	};
	shutdown.stop = stop;
	if (signalled) await stop(signalled);
}

main().catch((error) => fail(describeStartupError(error)));
