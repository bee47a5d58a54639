import type { Kysely } from 'kysely';

// How far each channel's backlog has been pruned: a client asking to resume from an
// older id is told to reload ("resync") instead of silently missing events. Frozen once landed.
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('event_prunes')
		.addColumn('channel', 'text', (col) => col.primaryKey())
		.addColumn('pruned_through', 'bigint', (col) => col.notNull())
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('event_prunes').execute();
}
