/**
 * The one application context: config, logger, database and event bus.
 *
 * The Fastify host builds it once and publishes it on one globalThis key. SvelteKit's
 * server code is bundled by Vite into separate module copies, so a module-level
 * singleton would not be shared; the global key is the hand-over point.
 */
import type { LogConfig } from 'kysely';
import type { Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { migrateToLatest } from './db/migrator.ts';
import { createLocalEventBus, type EventBus } from './events/event-bus.ts';
import { createLogger, type Logger } from './logger.ts';

export interface AppContext {
	config: Config;
	logger: Logger;
	database: DatabaseHandle;
	/** Shorthand for database.db. */
	db: DatabaseHandle['db'];
	events: EventBus;
	/** Closes the event bus and the database (and its data-directory lock). Idempotent. */
	close(): Promise<void>;
}

export interface CreateContextOptions {
	logger?: Logger;
	/** Kysely query log hook (tests use it to see which handle ran a query). */
	queryLog?: LogConfig;
	/** Apply pending migrations before returning. Defaults to config.migrateOnStart. */
	migrate?: boolean;
}

export async function createContext(config: Config, options: CreateContextOptions = {}): Promise<AppContext> {
	const logger = options.logger ?? createLogger(config);
	const database = await openDatabase({
		databaseUrl: config.databaseUrl,
		dataDir: config.dataDir,
		log: options.queryLog
	});
	try {
		if (options.migrate ?? config.migrateOnStart) {
			const applied = await migrateToLatest(database.db);
			if (applied.length > 0) logger.info({ migrations: applied }, `applied ${applied.length} migration(s)`);
		}
	} catch (error) {
		await database.close().catch(() => {});
		throw error;
	}
	const events = createLocalEventBus();
	let closing: Promise<void> | undefined;
	return {
		config,
		logger,
		database,
		db: database.db,
		events,
		close() {
			closing ??= (async () => {
				await events.close();
				await database.close();
			})();
			return closing;
		}
	};
}

const CONTEXT_KEY = Symbol.for('muster.context');

type GlobalWithContext = typeof globalThis & { [CONTEXT_KEY]?: AppContext };

/** Publishes the context for SvelteKit's hooks. Called by the host, once per process. */
export function setAppContext(context: AppContext | undefined): void {
	(globalThis as GlobalWithContext)[CONTEXT_KEY] = context;
}

/** The context the host built. Throws if the host has not started one. */
export function getAppContext(): AppContext {
	const context = (globalThis as GlobalWithContext)[CONTEXT_KEY];
	if (!context) {
		throw new Error('The Muster application context is not set: start Muster through its host (npm start).');
	}
	return context;
}
