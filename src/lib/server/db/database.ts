/**
 * The one Kysely instance: node-postgres when DATABASE_URL is set, otherwise an
 * embedded PostgreSQL (PGlite) in DATA_DIR, locked against a second process.
 * The same migrations and queries run on both.
 */
import path from 'node:path';
import { CamelCasePlugin, Kysely, PostgresDialect, sql, type LogConfig } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { Database } from './schema.ts';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { PreparingClient } from './prepared-client.ts';

export type DatabaseKind = 'postgres' | 'embedded';

export interface DatabaseHandle {
	kind: DatabaseKind;
	db: Kysely<Database>;
	/** Where the data lives, for messages: a redacted URL or a directory. */
	location: string;
	/** The embedded engine, when there is one (the event listener uses its LISTEN). */
	pglite: PGlite | undefined;
	/** The pg pool, when there is one. */
	pool: pg.Pool | undefined;
	close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
	constructor(message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = 'DatabaseUnavailableError';
	}
}

export interface OpenDatabaseOptions {
	databaseUrl: string | undefined;
	/** Directory for the embedded database; `memory://` keeps it in memory (tests). */
	dataDir: string;
	log?: LogConfig;
	/** Pool size for node-postgres. */
	poolSize?: number;
	/** Told when an idle pooled connection fails (the pool replaces it). */
	onPoolError?: (error: Error) => void;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Hides the password in a connection URL so it can be printed. */
export function redactUrl(url: string): string {
	try {
		const u = new URL(url);
		if (u.password) u.password = '***';
		return u.toString();
	} catch {
		return '(unparseable URL)';
	}
}

/**
 * int8 (counts, bigserial ids) as JavaScript numbers on both engines: every id and
 * count Muster keeps stays far below 2^53, and one representation avoids surprises.
 */
const pgTypes = {
	getTypeParser(oid: number, format?: 'text' | 'binary') {
		if (oid === INT8_OID) return (value: string) => Number(value);
		return pg.types.getTypeParser(oid, format);
	}
} as pg.CustomTypesConfig;

async function openPostgres(options: OpenDatabaseOptions & { databaseUrl: string }): Promise<DatabaseHandle> {
	const location = redactUrl(options.databaseUrl);
	const pool = new pg.Pool({
		connectionString: options.databaseUrl,
		max: options.poolSize ?? 10,
		connectionTimeoutMillis: 5_000,
		idleTimeoutMillis: 30_000,
		types: pgTypes,
		// Queries with parameters become prepared statements, planned once per connection.
		Client: PreparingClient
	});
	// An idle client that loses its server emits 'error' on the pool; without a
	// listener that would crash the process. The pool replaces the client.
	pool.on('error', (error) => options.onPoolError?.(error));
	try {
		const client = await pool.connect();
		client.release();
	} catch (error) {
		await pool.end().catch(() => {});
		const reason = error instanceof Error ? error.message : String(error);
		throw new DatabaseUnavailableError(`Cannot connect to the database at ${location}: ${reason}`, {
			cause: error
		});
	}
	const db = new Kysely<Database>({
		dialect: new PostgresDialect({ pool }),
		plugins: [new CamelCasePlugin()],
		log: options.log
	});
	return {
		kind: 'postgres',
		db,
		location,
		pglite: undefined,
		pool,
		async close() {
			await db.destroy();
		}
	};
}

async function openEmbedded(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
	const inMemory = options.dataDir.startsWith('memory://');
	let lock: DataDirLock | undefined;
	let dataDir = options.dataDir;
	if (!inMemory) {
		lock = lockDataDir(path.resolve(options.dataDir), options.dataDir);
		dataDir = path.join(path.resolve(options.dataDir), 'pglite');
	}
	let pglite: PGlite;
	try {
		pglite = await PGlite.create(dataDir, {
			extensions: { citext, pg_trgm },
			parsers: { [INT8_OID]: (value: string) => Number(value), [NUMERIC_OID]: (value: string) => value }
		});
	} catch (error) {
		lock?.release();
		const reason = error instanceof Error ? error.message : String(error);
		throw new DatabaseUnavailableError(`Cannot open the embedded database in ${options.dataDir}: ${reason}`, {
			cause: error
		});
	}
	const db = new Kysely<Database>({
		dialect: new PGliteDialect(pglite),
		plugins: [new CamelCasePlugin()],
		log: options.log
	});
	return {
		kind: 'embedded',
		db,
		location: inMemory ? 'memory' : options.dataDir,
		pglite,
		pool: undefined,
		async close() {
			try {
				await db.destroy();
				if (!pglite.closed) await pglite.close();
			} finally {
				lock?.release();
			}
		}
	};
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
	if (options.databaseUrl) return openPostgres({ ...options, databaseUrl: options.databaseUrl });
	return openEmbedded(options);
}

/** A cheap round trip, for readiness. */
export async function ping(db: Kysely<Database>): Promise<void> {
	await sql`select 1`.execute(db);
}
