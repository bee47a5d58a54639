/**
 * Databases for tests. With TEST_DATABASE_URL or DATABASE_URL, each caller gets its
 * own freshly created PostgreSQL database on that server, dropped afterwards; without
 * either, an in-memory embedded database. Nothing is ever written to the database the
 * URL names: it is only used to create and drop the test's own.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database name that says it is for tests; anything else is refused. */
export function assertTestDatabaseName(name: string): void {
	if (!/(^|[_-])test([_-]|$)/i.test(name)) {
		throw new Error(
			`Refusing to use database "${name}" for tests: its name must mark it as a test database (e.g. muster_test_1).`
		);
	}
}

export function serverUrl(): string | undefined {
	const url = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
	return url && url.trim() !== '' ? url : undefined;
}

export interface TestDatabase {
	/** Connection URL of the new database, or undefined for the embedded one. */
	url: string | undefined;
	/** Name for messages. */
	name: string;
	drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

/** Creates an empty, uniquely named test database (not migrated). */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
	const base = serverUrl();
	if (!base) return { url: undefined, name: 'embedded (in memory)', drop: async () => {} };
	const safeLabel = label
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '_')
		.slice(0, 20);
	const name = `muster_test_${safeLabel}_${process.pid}_${randomBytes(4).toString('hex')}`;
	assertTestDatabaseName(name);
	await admin(base, (client) => client.query(`create database "${name}"`));
	let dropped = false;
	return {
		url: withDatabase(base, name),
		name,
		async drop() {
			if (dropped) return;
			dropped = true;
			assertTestDatabaseName(name);
			await admin(base, (client) => client.query(`drop database if exists "${name}" with (force)`));
		}
	};
}
