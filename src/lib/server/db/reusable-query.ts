/**
 * Queries that every page view runs (the session, the thread, its posts), built and compiled by
 * Kysely once per database instead of once per request.
 *
 * Building a query with Kysely's immutable builders, passing it through the CamelCasePlugin and
 * compiling it to SQL costs the host tens of microseconds a query: about a seventh of the thread
 * page's CPU in the host (bench/RESULTS.md). A reusable query is written as usual, but with its
 * values taken from a parameters object; it is built once with stand-ins for those values,
 * compiled, and afterwards only the values change. Results go through the plugins as usual.
 *
 * The stand-ins refuse to be turned into strings or numbers, so a value that is computed inside
 * the builder (`from + 20`, `` `thread:${id}` ``) fails on first use rather than being frozen
 * into the SQL: compute it outside and pass it in. The query's shape must not depend on the
 * values (no `$if` on a parameter; write two queries instead), and lists of values (`in`) cannot
 * be parameters.
 *
 * The compiled query is remembered per Kysely instance in a WeakMap: derived from code only,
 * the same for every request and every user, so it is not the kind of module state that
 * CONVENTIONS.md rules out.
 */
import { createQueryId, type Compilable, type CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

class StandIn {
	constructor(readonly key: string) {}
	[Symbol.toPrimitive](): never {
		throw new Error(
			`reusable query: parameter "${this.key}" was used in an expression; compute it outside the builder`
		);
	}
}

type Slot = { key: string } | { value: unknown };

interface Template<O> {
	compiled: CompiledQuery<O>;
	slots: Slot[];
}

export type ReusableQuery<P, O> = (db: Kysely<Database>, params: P) => Promise<O[]>;

export function reusableQuery<P extends object, O>(
	build: (db: Kysely<Database>, params: P) => Compilable<O>
): ReusableQuery<P, O> {
	const templates = new WeakMap<Kysely<Database>, Template<O>>();

	function template(db: Kysely<Database>, params: P): Template<O> {
		const standIns = Object.fromEntries(Object.keys(params).map((key) => [key, new StandIn(key)]));
		const compiled = build(db, standIns as P).compile();
		const slots: Slot[] = compiled.parameters.map((value) =>
			value instanceof StandIn ? { key: value.key } : { value }
		);
		for (const key of Object.keys(params)) {
			if (!slots.some((slot) => 'key' in slot && slot.key === key))
				throw new Error(`reusable query: parameter "${key}" is not used as a value`);
		}
		return { compiled, slots };
	}

	return async (db, params) => {
		let t = templates.get(db);
		if (!t) {
			t = template(db, params);
			templates.set(db, t);
		}
		const values = params as Record<string, unknown>;
		const parameters = t.slots.map((slot) => {
			if (!('key' in slot)) return slot.value;
			// A value left out would silently become null in the SQL: refuse instead.
			if (values[slot.key] === undefined)
				throw new Error(`reusable query: parameter "${slot.key}" is missing`);
			return values[slot.key];
		});
		const result = await db.executeQuery<O>({ ...t.compiled, parameters, queryId: createQueryId() });
		return result.rows;
	};
}
