/**
 * npm run migrate        apply every pending migration
 * npm run migrate:down   revert the most recent one
 * Uses DATABASE_URL, or the embedded database in DATA_DIR. Exits non-zero on any error.
 */
import { loadConfig } from '../../lib/server/config.ts';
import { openDatabase } from '../../lib/server/db/database.ts';
import { migrateDown, migrateToLatest } from '../../lib/server/db/migrator.ts';
import { describeStartupError } from '../startup-errors.ts';

async function run(direction: string | undefined): Promise<void> {
	if (direction !== 'latest' && direction !== 'down') {
		throw new Error('usage: migrate latest|down');
	}
	const loaded = loadConfig(process.env);
	if (!loaded.ok) throw new Error(`the configuration has problems:\n  ${loaded.errors.join('\n  ')}`);
	const database = await openDatabase({
		databaseUrl: loaded.config.databaseUrl,
		dataDir: loaded.config.dataDir
	});
	try {
		const names =
			direction === 'latest' ? await migrateToLatest(database.db) : await migrateDown(database.db);
		const verb = direction === 'latest' ? 'Applied' : 'Reverted';
		console.log(
			names.length ? `${verb}: ${names.join(', ')}` : 'Nothing to do: the schema is already there.'
		);
		console.log(`Database: ${database.location}`);
	} finally {
		await database.close();
	}
}

run(process.argv[2]).catch((error) => {
	process.stderr.write(`Migration failed: ${describeStartupError(error)}\n`);
	process.exit(1);
});
