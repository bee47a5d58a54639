/**
 * Prepared statements after another node migrates a table (PostgreSQL only: the embedded
 * database runs its queries unprepared). A statement a connection prepared before the change
 * must not fail for the rest of that connection's life.
 */
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { serverUrl } from '../support/test-database.ts';
import { createTestContext, type TestContext } from '../support/test-context.ts';

const onPostgres = serverUrl() !== undefined;
let t: TestContext | undefined;
afterAll(async () => {
	await t?.close();
});

describe.skipIf(!onPostgres)('prepared statements', () => {
	it('keep working when another connection changes the type of a column they read or compare', async () => {
		// Queries one after another reuse the same idle pooled connection and its statements.
		t = await createTestContext('prepared');
		const { db } = t.ctx;
		await sql`create table scratch (id int primary key, amount int not null)`.execute(db);
		await sql`insert into scratch values (1, 10), (2, 20)`.execute(db);
		const read = (id: number | string) =>
			db
				.selectFrom('scratch' as never)
				.select(sql<string>`amount`.as('amount'))
				.where(sql.ref('id'), '=', id)
				.execute();
		for (let i = 0; i < 3; i++) expect(await read(1)).toEqual([{ amount: 10 }]);

		// Another node migrates: the result column's type changes, then the compared column's.
		const other = new pg.Client({ connectionString: t.database.url });
		await other.connect();
		try {
			await other.query('alter table scratch alter column amount type bigint');
			expect((await read(2)).map((r) => String(r.amount))).toEqual(['20']);
			await other.query('alter table scratch alter column id type text');
			expect((await read('1')).map((r) => String(r.amount))).toEqual(['10']);
			expect((await read('1')).map((r) => String(r.amount))).toEqual(['10']);
		} finally {
			await other.end();
		}
	});
});
