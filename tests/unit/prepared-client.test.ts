import { describe, expect, it } from 'vitest';
import pg from 'pg';
import {
	MAX_PREPARED,
	preparable,
	PreparingClient,
	statementName
} from '../../src/lib/server/db/prepared-client.ts';

describe('PreparingClient', () => {
	it('names each statement with parameters after its text, and leaves the rest unnamed', () => {
		const client = new PreparingClient();
		const calls: unknown[][] = [];
		// Record what would go to pg's own query() instead of sending it.
		const base = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
		const original = base.query;
		base.query = (...args: unknown[]) => calls.push(args);
		try {
			client.query('select $1::int', [1]);
			client.query('select $1::int', [2]);
			client.query('create table t (id int); create index on t (id)', []);
			client.query('select * from users where id = $1', ['u']);
		} finally {
			base.query = original;
		}
		const name = statementName('select $1::int');
		expect(name.length).toBeLessThanOrEqual(63);
		expect(calls).toEqual([
			[{ name, text: 'select $1::int', values: [1] }],
			[{ name, text: 'select $1::int', values: [2] }],
			['create table t (id int); create index on t (id)', []],
			['select * from users where id = $1', ['u']]
		]);
	});

	it('keeps result columns from `*` and very long texts unnamed', () => {
		expect(preparable('select "users"."id" from "users" where "id" = $1')).toBe(true);
		expect(preparable('select count(*) from "posts" where "thread_id" = $1')).toBe(true);
		expect(preparable('select * from "users" where "id" = $1')).toBe(false);
		expect(preparable('select "v".* from "practice_versions" as "v" where "id" = $1')).toBe(false);
		expect(preparable('insert into "t" ("a") values ($1) returning *')).toBe(false);
		expect(preparable(`select ${'"a", '.repeat(3000)}"b" from "t" where "id" = $1`)).toBe(false);
		expect(MAX_PREPARED).toBeGreaterThan(0);
	});
});
