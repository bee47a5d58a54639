/**
 * Subqueries over the app's own tables that any query can embed (the policy's access
 * conditions, a channel's last event id). A query with joins or aliases has a wider builder
 * type than `Database`, which Kysely will not narrow for us; the tables are the same.
 */
import type { ExpressionBuilder } from 'kysely';
import type { Database } from './schema.ts';

export function tablesOf<DB extends Database, TB extends keyof DB>(
	eb: ExpressionBuilder<DB, TB>
): ExpressionBuilder<Database, never> {
	return eb as unknown as ExpressionBuilder<Database, never>;
}
