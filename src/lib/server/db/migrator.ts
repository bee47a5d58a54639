/**
 * Kysely's Migrator over the statically listed migrations in /migrations.
 */
import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import type { Database } from './schema.ts';
import { migrations } from '../../../../migrations/index.ts';

function createMigrator(db: Kysely<Database>): Migrator {
	return new Migrator({
		// Migrations and Kysely's own bookkeeping are written in snake_case: no CamelCasePlugin here.
		db: db.withoutPlugins(),
		provider: { getMigrations: async () => migrations }
	});
}

export class MigrationFailedError extends Error {
	constructor(
		message: string,
		readonly results: MigrationResultSet['results']
	) {
		super(message);
		this.name = 'MigrationFailedError';
	}
}

function describe(set: MigrationResultSet, verb: string): string[] {
	if (set.error) {
		const failed = set.results?.find((r) => r.status === 'Error');
		const reason = set.error instanceof Error ? set.error.message : String(set.error);
		throw new MigrationFailedError(
			`Migration ${failed?.migrationName ?? '(unknown)'} failed to ${verb}: ${reason}`,
			set.results
		);
	}
	return (set.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies every pending migration; returns the names applied. Throws MigrationFailedError. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
	return describe(await createMigrator(db).migrateToLatest(), 'apply');
}

/** Reverts the most recent migration; returns its name, if any. */
export async function migrateDown(db: Kysely<Database>): Promise<string[]> {
	return describe(await createMigrator(db).migrateDown(), 'revert');
}

export interface MigrationStatus {
	applied: string[];
	pending: string[];
}

export async function migrationStatus(db: Kysely<Database>): Promise<MigrationStatus> {
	const all = await createMigrator(db).getMigrations();
	return {
		applied: all.filter((m) => m.executedAt !== undefined).map((m) => m.name),
		pending: all.filter((m) => m.executedAt === undefined).map((m) => m.name)
	};
}
