import { sql, type Kysely } from 'kysely';

// The library (issue 17): files stored once by their SHA-256, folders and documents in a group's
// library (or the site's, group_id null), and each upload of a document as a version with its own
// virus-scan state (per upload, not per stored file: a shared verdict would tell an uploader that
// identical bytes already exist somewhere they may not look). Frozen once landed.
export async function up(db: Kysely<any>): Promise<void> {
	// The bytes themselves live in storage (local disk or S3), named by their hash.
	await db.schema
		.createTable('files')
		.addColumn('sha256', 'text', (col) => col.primaryKey().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
		.addColumn('size', 'bigint', (col) => col.notNull().check(sql`size >= 0`))
		.addColumn('media_type', 'text', (col) => col.notNull())
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.execute();

	await db.schema
		.createTable('library_folders')
		.addColumn('id', 'serial', (col) => col.primaryKey())
		.addColumn('group_id', 'integer', (col) => col.references('groups.id').onDelete('cascade'))
		.addColumn('parent_id', 'integer', (col) => col.references('library_folders.id').onDelete('cascade'))
		.addColumn('name', 'text', (col) => col.notNull())
		.addColumn('created_by', 'uuid', (col) => col.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('deleted_at', 'timestamptz')
		.execute();
	await sql`create index library_folders_place_idx on library_folders (group_id, parent_id)`.execute(db);

	await db.schema
		.createTable('documents')
		.addColumn('id', 'serial', (col) => col.primaryKey())
		.addColumn('group_id', 'integer', (col) => col.references('groups.id').onDelete('cascade'))
		.addColumn('folder_id', 'integer', (col) => col.references('library_folders.id').onDelete('set null'))
		.addColumn('title', 'text', (col) => col.notNull())
		.addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
		.addColumn('created_by', 'uuid', (col) => col.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('version_count', 'integer', (col) => col.notNull().defaultTo(0))
		.addColumn('deleted_at', 'timestamptz')
		.addColumn('deleted_by', 'uuid', (col) => col.references('users.id').onDelete('set null'))
		.execute();
	await sql`create index documents_place_idx on documents (group_id, folder_id, lower(title))`.execute(db);

	await db.schema
		.createTable('document_versions')
		.addColumn('id', 'serial', (col) => col.primaryKey())
		.addColumn('document_id', 'integer', (col) =>
			col.notNull().references('documents.id').onDelete('cascade')
		)
		.addColumn('number', 'integer', (col) => col.notNull())
		.addColumn('file_sha256', 'text', (col) => col.notNull().references('files.sha256'))
		.addColumn('original_name', 'text', (col) => col.notNull())
		.addColumn('media_type', 'text', (col) => col.notNull())
		.addColumn('size', 'bigint', (col) => col.notNull())
		.addColumn('uploaded_by', 'uuid', (col) => col.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('scan_status', 'text', (col) =>
			col.notNull().check(sql`scan_status in ('pending', 'clean', 'infected', 'not_scanned')`)
		)
		.addColumn('scan_signature', 'text')
		.addColumn('scanned_at', 'timestamptz')
		// The words of a PDF, Word or text file, for search (a background job fills it in).
		.addColumn('text', 'text')
		.addUniqueConstraint('document_versions_number_key', ['document_id', 'number'])
		.execute();
	await sql`create index document_versions_file_idx on document_versions (file_sha256)`.execute(db);
	await sql`create index document_versions_uploader_idx on document_versions (uploaded_by)`.execute(db);

	// Search: a document is found by its title, its description and the words of its current
	// version, kept by a trigger in the same statement as any change to the document (the job that
	// reads a file's words touches its document when it is done).
	await db.schema
		.alterTable('documents')
		.addColumn('search', sql`tsvector`)
		.execute();
	await sql`create index documents_search_idx on documents using gin (search)`.execute(db);
	await sql`
		create function documents_search_update() returns trigger language plpgsql as $$
		begin
			new.search :=
				setweight(to_tsvector('english', coalesce(new.title, '')), 'A') ||
				setweight(to_tsvector('english', coalesce(new.description, '')), 'B') ||
				setweight(to_tsvector('english', coalesce((
					select left(v.text, 200000) from document_versions v
					where v.document_id = new.id and v.number = new.version_count), '')), 'C');
			return new;
		end $$`.execute(db);
	await sql`
		create trigger documents_search before insert or update on documents
		for each row execute function documents_search_update()`.execute(db);

	// Whether members (not only moderators) may add to the group's library.
	await db.schema
		.alterTable('groups')
		.addColumn('members_may_upload', 'boolean', (col) => col.notNull().defaultTo(true))
		.execute();
	// Accounts an administrator lets publish to the site library.
	await db.schema
		.alterTable('users')
		.addColumn('library_publisher', 'boolean', (col) => col.notNull().defaultTo(false))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop trigger if exists documents_search on documents`.execute(db);
	await sql`drop function if exists documents_search_update()`.execute(db);
	await db.schema.alterTable('users').dropColumn('library_publisher').execute();
	await db.schema.alterTable('groups').dropColumn('members_may_upload').execute();
	await db.schema.dropTable('document_versions').execute();
	await db.schema.dropTable('documents').execute();
	await db.schema.dropTable('library_folders').execute();
	await db.schema.dropTable('files').execute();
}
