/**
 * Reading the audit log: newest first, filtered, keyset-paged by id.
 */
import type { AppContext } from '../context.ts';
import type { Row } from '../db/schema.ts';
import { AUDIT_READ_COLUMNS } from './audit.repository.ts';

export interface AuditFilter {
	action?: string;
	/** Matches the actor's or the target's label (e-mail address, organisation name). */
	who?: string;
	before?: number;
}

/** A row of the log as it is read: everything but the chain's hashes. */
export type AuditRow = Omit<Row<'auditLog'>, 'prevHash' | 'hash'>;

const PAGE = 50;

export async function listAudit(
	ctx: AppContext,
	filter: AuditFilter
): Promise<{ rows: AuditRow[]; nextBefore?: number }> {
	let q = ctx.db.selectFrom('auditLog').select(AUDIT_READ_COLUMNS);
	if (filter.action) q = q.where('action', '=', filter.action);
	if (filter.who) {
		const like = `%${filter.who.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		q = q.where((eb) => eb.or([eb('actorLabel', 'ilike', like), eb('targetLabel', 'ilike', like)]));
	}
	if (filter.before) q = q.where('id', '<', filter.before);
	const rows = await q
		.orderBy('id', 'desc')
		.limit(PAGE + 1)
		.execute();
	const page = rows.slice(0, PAGE);
	return { rows: page, nextBefore: rows.length > PAGE ? page[page.length - 1]!.id : undefined };
}

export async function auditActions(ctx: AppContext): Promise<string[]> {
	const rows = await ctx.db.selectFrom('auditLog').select('action').distinct().orderBy('action').execute();
	return rows.map((r) => r.action);
}
