import { sql, type Kysely } from 'kysely';

// The real-time backlog: every event others should see, written in the same
// transaction as the change it announces. Ids rise in commit order within a channel
// (publishers hold a per-channel lock until commit), so "everything after id N" is exact.
// Frozen once landed.
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('events')
		.addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('channel', 'text', (col) => col.notNull())
		.addColumn('type', 'text', (col) => col.notNull())
		.addColumn('payload', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('events_channel_id_idx').on('events').columns(['channel', 'id']).execute();
	await db.schema.createIndex('events_created_at_idx').on('events').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('events').execute();
}
