import type { AppContext } from '../../src/lib/server/context.ts';

/** The details of the newest audit entry for an action (what a moderator's decision recorded). */
export async function lastAuditDetails(ctx: AppContext, action: string): Promise<unknown> {
	const row = await ctx.db
		.selectFrom('auditLog')
		.select('details')
		.where('action', '=', action)
		.orderBy('id', 'desc')
		.executeTakeFirstOrThrow();
	return row.details;
}
