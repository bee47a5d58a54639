import { describe, expect, it } from 'vitest';
import {
	CamelCasePlugin,
	Kysely,
	PostgresAdapter,
	PostgresIntrospector,
	PostgresQueryCompiler,
	type CompiledQuery,
	type DatabaseConnection,
	type Driver,
	type QueryResult
} from 'kysely';
import type { Database } from '../../src/lib/server/db/schema.ts';
import { reusableQuery } from '../../src/lib/server/db/reusable-query.ts';

/** A Kysely that records the queries it is asked to run and answers with snake_case rows. */
function recordingDb() {
	const sent: CompiledQuery[] = [];
	const connection: DatabaseConnection = {
		async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
			sent.push(query);
			return { rows: [{ display_name: 'Sam Officer' } as R] };
		},
		// eslint-disable-next-line require-yield
		async *streamQuery() {
			throw new Error('not used');
		}
	};
	const driver: Driver = {
		async init() {},
		async acquireConnection() {
			return connection;
		},
		async beginTransaction() {},
		async commitTransaction() {},
		async rollbackTransaction() {},
		async releaseConnection() {},
		async destroy() {}
	};
	const db = new Kysely<Database>({
		dialect: {
			createAdapter: () => new PostgresAdapter(),
			createDriver: () => driver,
			createIntrospector: (k) => new PostgresIntrospector(k),
			createQueryCompiler: () => new PostgresQueryCompiler()
		},
		plugins: [new CamelCasePlugin()]
	});
	return { db, sent };
}

describe('reusableQuery', () => {
	it('builds once, then runs the same SQL with each call’s values, through the plugins', async () => {
		let builds = 0;
		const byName = reusableQuery((db, p: { userId: string; since: Date }) => {
			builds += 1;
			return db
				.selectFrom('users')
				.select('users.displayName')
				.where('users.id', '=', p.userId)
				.where('users.createdAt', '>', p.since)
				.limit(5);
		});
		const { db, sent } = recordingDb();
		const first = new Date('2026-01-01T00:00:00Z');
		const second = new Date('2026-02-01T00:00:00Z');
		expect(await byName(db, { userId: 'a', since: first })).toEqual([{ displayName: 'Sam Officer' }]);
		await byName(db, { userId: 'b', since: second });
		expect(builds).toBe(1);
		expect(sent[0]!.sql).toBe(
			'select "users"."display_name" from "users" where "users"."id" = $1 and "users"."created_at" > $2 limit $3'
		);
		expect(sent[1]!.sql).toBe(sent[0]!.sql);
		expect(sent.map((q) => q.parameters)).toEqual([
			['a', first, 5],
			['b', second, 5]
		]);
		expect(sent[0]!.queryId).not.toBe(sent[1]!.queryId);
	});

	it('refuses a parameter used in an expression instead of as a value', async () => {
		const computed = reusableQuery((db, p: { id: number }) =>
			db
				.selectFrom('posts')
				.select('posts.id')
				.where('posts.number', '<', p.id + 20)
		);
		await expect(computed(recordingDb().db, { id: 1 })).rejects.toThrow(/parameter "id" was used/);
		const unused = reusableQuery((db, _p: { id: number }) => db.selectFrom('posts').select('posts.id'));
		await expect(unused(recordingDb().db, { id: 1 })).rejects.toThrow(/parameter "id" is not used/);
	});
});
