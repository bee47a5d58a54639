import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go in new migrations.
export async function up(db: Kysely<any>): Promise<void> {
	// Case-insensitive e-mail addresses and domains (users arrive with the identity issue).
	await sql`create extension if not exists citext`.execute(db);

	await db.schema
		.createTable('organisations')
		.addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('name', 'text', (col) => col.notNull().unique())
		.addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('police', 'partner')`))
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('organisations_name_length', sql`char_length(name) between 2 and 200`)
		.execute();

	await db.schema
		.createTable('organisation_domains')
		.addColumn('domain', 'text', (col) => col.primaryKey())
		.addColumn('organisation_id', 'integer', (col) =>
			col.notNull().references('organisations.id').onDelete('cascade')
		)
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		// Stored lower-case, no leading dot or @: "met.police.uk".
		.addCheckConstraint(
			'organisation_domains_domain_format',
			sql`domain = lower(domain) and domain ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$'`
		)
		.execute();

	await db.schema
		.createIndex('organisation_domains_organisation_id_idx')
		.on('organisation_domains')
		.column('organisation_id')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('organisation_domains').execute();
	await db.schema.dropTable('organisations').execute();
}
