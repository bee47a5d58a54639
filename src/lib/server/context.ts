/**
 * The one application context: config, logger, database and event bus.
 *
 * The Fastify host builds it once and publishes it on one globalThis key. SvelteKit's
 * server code is bundled by Vite into separate module copies, so a module-level
 * singleton would not be shared; the global key is the hand-over point.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { LogConfig } from 'kysely';
import { createSecretBox, type SecretBox } from './auth/secret-box.ts';
import { startMailDispatcher, type MailDispatcher } from './mail/mail.ts';
import type { Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { migrateToLatest } from './db/migrator.ts';
import { createLocalEventBus, type EventBus } from './events/event-bus.ts';
import { startEventListener, type EventListener } from './events/listener.ts';
import { startHousekeeping, type Housekeeping } from './housekeeping.ts';
import { startJobRunner, type JobRunner } from './jobs/jobs.ts';
import { announceNotifications, notifyWatchers } from './notifications/notify.ts';
import { digestBatch, sendDueEmails, startDueDigests } from './notifications/email-delivery.ts';
import { createLogger, type Logger } from './logger.ts';
import { LocalDiskStorage, type FileStorage } from './library/storage.ts';
import { createS3Storage } from './library/s3-storage.ts';
import { clamdScanner, type Scanner } from './library/scanner.ts';
import { scanFile } from './library/scan.ts';
import { removeUnreferencedFiles } from './library/cleanup.ts';
import { EXTRACT_JOB, extractFile } from './library/extract.ts';
import { SCAN_JOB } from './library/library.service.ts';

export interface AppContext {
	config: Config;
	logger: Logger;
	database: DatabaseHandle;
	/** Shorthand for database.db. */
	db: DatabaseHandle['db'];
	events: EventBus;
	/** Encrypts secrets at rest with SECRET_KEY. */
	secrets: SecretBox;
	/** Sends queued e-mail; `flush()` after a commit sends it promptly. */
	mail: MailDispatcher;
	/**
	 * Background jobs (telling a thread's watchers): `kick()` after a commit that queued one.
	 * Without background work (most tests), jobs run only when `drain()` is called.
	 */
	jobs: JobRunner;
	/** Where uploaded files are kept, and whether (and with what) they are scanned for viruses. */
	files: { storage: FileStorage; scanner: Scanner | undefined; scanning: boolean };
	/** The clock. Tests replace it to control time (token expiry, TOTP, lockouts). */
	now(): Date;
	/** Stops background work, then closes the event bus and the database (and its data-directory lock). Idempotent. */
	close(): Promise<void>;
}

export interface CreateContextOptions {
	logger?: Logger;
	/** Kysely query log hook (tests use it to see which handle ran a query). */
	queryLog?: LogConfig;
	/** Apply pending migrations before returning. Defaults to config.migrateOnStart. */
	migrate?: boolean;
	/** Run background work (the mail dispatcher, pruning). The host does; most tests need not. */
	background?: boolean;
	/** How often old events and rate-limit rows are pruned (default ten minutes; tests shorten it). */
	pruneEveryMs?: number;
	/** Listen for events from every node (defaults to `background`). */
	listen?: boolean;
	now?: () => Date;
}

const DEVELOPMENT_SECRET = 'muster-development-secret-not-for-production-use';

/**
 * SECRET_KEY, or (embedded database on disk) a key generated once and kept beside the
 * data, readable only by its owner, or a fixed development key with a warning. Production
 * on PostgreSQL requires SECRET_KEY (config).
 */
function resolveSecretKey(config: Config, logger: Logger): string {
	if (config.secretKey) return config.secretKey;
	if (!config.databaseUrl && !config.dataDir.startsWith('memory://')) {
		const file = path.join(path.resolve(config.dataDir), 'secret-key');
		if (!fs.existsSync(file)) {
			fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
			logger.info(
				`created a secret key in ${file} (readable only by this account). It encrypts two-factor keys: back it up with the data, or set SECRET_KEY to use your own.`
			);
		}
		return fs.readFileSync(file, 'utf8').trim();
	}
	if (config.nodeEnv !== 'test')
		logger.warn('SECRET_KEY is not set: using a development key. Set SECRET_KEY in production.');
	return DEVELOPMENT_SECRET;
}

/**
 * S3-compatible object storage when S3_BUCKET is set (several nodes), else local disk: FILES_DIR,
 * or DATA_DIR/files; on an in-memory database, a temporary directory removed on close.
 */
async function fileStorage(config: Config): Promise<FileStorage> {
	const local =
		config.filesDir ??
		(config.dataDir.startsWith('memory://') ? undefined : path.join(config.dataDir, 'files'));
	if (config.s3) {
		return createS3Storage({
			...config.s3,
			temporaryDir: path.join(local ?? os.tmpdir(), `muster-uploads-${process.pid}`)
		});
	}
	if (local) return new LocalDiskStorage(local);
	return new LocalDiskStorage(fs.mkdtempSync(path.join(os.tmpdir(), 'muster-files-')), {
		removeOnClose: true
	});
}

const idleDispatcher: MailDispatcher = { flush: async () => {}, stop: async () => {} };

export async function createContext(config: Config, options: CreateContextOptions = {}): Promise<AppContext> {
	const logger = options.logger ?? createLogger(config);
	const database = await openDatabase({
		databaseUrl: config.databaseUrl,
		dataDir: config.dataDir,
		log: options.queryLog,
		onPoolError: (error) =>
			logger.warn({ err: error }, 'a pooled database connection failed; it will be replaced')
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
	const events = createLocalEventBus((error) =>
		logger.error({ err: error }, 'a live-update subscriber failed')
	);
	const secrets = createSecretBox(resolveSecretKey(config, logger));
	const mail = options.background ? startMailDispatcher({ db: database.db, config, logger }) : idleDispatcher;
	let listener: EventListener | undefined;
	if (options.listen ?? options.background) {
		try {
			listener = await startEventListener({
				database,
				connectionString: config.databaseUrl,
				bus: events,
				logger
			});
		} catch (error) {
			await mail.stop();
			await database.close().catch(() => {});
			throw error;
		}
	}
	const now = options.now ?? (() => new Date());
	const delivery = {
		db: database.db,
		secrets,
		origin: config.origin,
		now,
		delayMs: config.notifyEmailDelayMinutes * 60_000
	};
	let storage: FileStorage;
	try {
		storage = await fileStorage(config);
	} catch (error) {
		await mail.stop();
		await listener?.close();
		await database.close().catch(() => {});
		throw new Error(`could not reach the file storage (S3_BUCKET ${config.s3?.bucket}): ${String(error)}`);
	}
	const scanner = config.clamavUrl ? clamdScanner(config.clamavUrl) : undefined;
	const jobs = startJobRunner({
		db: database.db,
		logger,
		now,
		background: options.background ?? false,
		handlers: {
			'notify.watchers': notifyWatchers,
			'notify.announce': announceNotifications,
			'digest.batch': digestBatch(delivery),
			...(scanner ? { [SCAN_JOB]: scanFile({ storage, scanner, now }) } : {}),
			[EXTRACT_JOB]: extractFile({ storage, logger })
		},
		periodic: [
			{
				name: 'notification e-mail',
				everyMs: 0,
				run: async () => {
					if ((await sendDueEmails(delivery)) > 0) void mail.flush();
				}
			},
			{ name: 'digests', everyMs: 60_000, run: () => startDueDigests(delivery) },
			{
				name: 'unreferenced files',
				everyMs: 6 * 60 * 60_000,
				run: () => removeUnreferencedFiles({ db: database.db, storage, now })
			}
		]
	});
	// Started last, so a failed start has no timer to stop.
	const housekeeping: Housekeeping | undefined = options.background
		? startHousekeeping({ db: database.db, logger, now, everyMs: options.pruneEveryMs })
		: undefined;
	let closing: Promise<void> | undefined;
	return {
		config,
		logger,
		database,
		db: database.db,
		events,
		secrets,
		mail,
		jobs,
		files: { storage, scanner, scanning: scanner !== undefined },
		now,
		close() {
			closing ??= (async () => {
				await housekeeping?.stop();
				await jobs.stop();
				await mail.stop();
				await listener?.close();
				await events.close();
				await database.close();
				await storage.close();
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
