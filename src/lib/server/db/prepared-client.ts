/**
 * A node-postgres client that lets PostgreSQL keep the plans of Muster's queries.
 *
 * Kysely sends every query as an unnamed statement, so PostgreSQL parses and plans it afresh
 * each time; for the short queries a page runs, that is most of the server's work
 * (bench/RESULTS.md: about 60% of PostgreSQL's time on the thread page). Here each query with
 * parameters is sent as a named (prepared) statement, named after its text, so each pooled
 * connection parses it once and PostgreSQL may reuse its plan: after five executions it keeps a
 * generic plan when that costs no more than the custom ones (`plan_cache_mode = auto`,
 * https://www.postgresql.org/docs/15/sql-prepare.html). Queries without parameters (migrations,
 * scripts with several statements) keep the simple protocol, exactly as before.
 *
 * Not named: statements whose result columns come from `*` (the likeliest to change shape), and
 * any statement beyond MAX_PREPARED on one connection (texts that vary, such as `in` lists of
 * different lengths, cannot fill a connection's memory). A prepared statement can still go stale
 * when another node migrates a table it uses (a column's type changes: PostgreSQL answers "cached
 * plan must not change result type" or a type mismatch); the statement is then dropped, this
 * connection runs that text unnamed from then on, and the query is tried once more unnamed. A
 * connection pooler in front of PostgreSQL must keep prepared statements per session (PgBouncer
 * 1.21+ does).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

/** Named statements kept by one connection at most; later ones run unnamed. */
export const MAX_PREPARED = 500;

/** Statements longer than this are run unnamed (generated bulk statements, scripts). */
const MAX_TEXT = 8_000;

const STAR_COLUMNS = /(?:\bselect|\bselect\s+distinct|\breturning|\.)\s*\*/i;

/**
 * What PostgreSQL answers when a prepared statement no longer fits its tables: "cached plan
 * must not change result type" (0A000), and a parameter or column whose type changed (42883
 * undefined function or operator, 42804 datatype mismatch).
 */
const STALE_STATEMENT = new Set(['0A000', '42883', '42804']);

/** A statement's name: stable for its text, within PostgreSQL's 63-byte limit. */
export function statementName(text: string): string {
	return `muster_${createHash('sha1').update(text).digest('base64url')}`;
}

/** Whether a statement with parameters may be sent as a prepared statement. */
export function preparable(text: string): boolean {
	return text.length <= MAX_TEXT && !STAR_COLUMNS.test(text);
}

export class PreparingClient extends pg.Client {
	/** The statements this connection has seen: text → name ('' for those run unnamed). */
	readonly #named = new Map<string, string>();

	// pg's query() has many overloads; Kysely calls query(text, values), which is the one
	// changed here. Everything else (config objects, cursors, callbacks) passes through.
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	override query(...args: any[]): any {
		const [text, values] = args;
		if (args.length === 2 && typeof text === 'string' && Array.isArray(values) && values.length > 0) {
			const name = this.#nameFor(text);
			if (name) return this.#runNamed(name, text, values);
		}
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		return (super.query as any)(...args);
	}

	async #runNamed(name: string, text: string, values: unknown[]): Promise<pg.QueryResult> {
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		const query = (...args: any[]) => (super.query as any)(...args) as Promise<pg.QueryResult>;
		try {
			return await query({ name, text, values });
		} catch (error) {
			if (!STALE_STATEMENT.has((error as { code?: string }).code ?? '')) throw error;
			// Stale after a migration elsewhere: forget it here and on the server, run unnamed.
			this.#named.set(text, '');
			const parsed = (this as unknown as { connection?: { parsedStatements?: Record<string, unknown> } })
				.connection?.parsedStatements;
			if (parsed) delete parsed[name];
			// Inside a transaction the failure has aborted it: the retry then fails too, and the
			// caller's transaction rolls back as for any error; the next run is unnamed.
			await query(`deallocate "${name}"`).catch(() => {});
			return query(text, values);
		}
	}

	/** The statement's name, or undefined to run it unnamed (decided once per text). */
	#nameFor(text: string): string | undefined {
		const known = this.#named.get(text);
		if (known !== undefined) return known || undefined;
		if (this.#named.size >= MAX_PREPARED) return undefined;
		const name = preparable(text) ? statementName(text) : '';
		this.#named.set(text, name);
		return name || undefined;
	}
}
