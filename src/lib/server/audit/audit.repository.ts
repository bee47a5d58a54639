/**
 * The audit log: append-only (the database refuses updates and deletes), and each row
 * carries the SHA-256 of its content and of the previous row, so a removed or altered
 * row breaks the chain visibly. Appends are serialised with a transaction-level
 * advisory lock so two writers never chain to the same previous row. The events lock is
 * taken first, as publishing does, so a transaction that audits and publishes (in either
 * order) never deadlocks with another.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Row } from '../db/schema.ts';
import { LOCKS } from '../db/locks.ts';
import { inTransaction } from '../db/transaction.ts';

export interface AuditActor {
	id: string | null;
	label: string;
}

export interface AuditEntry {
	actor: AuditActor | null;
	action: string;
	target?: { type: string; id: string; label?: string | null };
	details?: Record<string, string | number | boolean | null | string[]>;
	ipAddress?: string | null;
}

function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
	}
	return JSON.stringify(value ?? null);
}

/** What a row's hash covers: everything but its id and the hash itself. */
type HashedFields = Omit<Row<'auditLog'>, 'id' | 'hash'>;

function auditHash(fields: HashedFields): string {
	return createHash('sha256')
		.update(canonical({ ...fields, occurredAt: fields.occurredAt.toISOString() }))
		.digest('hex');
}

async function withinTransaction<T>(
	db: Kysely<Database>,
	fn: (trx: Transaction<Database>) => Promise<T>
): Promise<T> {
	return db.isTransaction ? fn(db as Transaction<Database>) : inTransaction(db, fn);
}

/** Appends one entry within the caller's transaction (or its own). */
export async function appendAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
	await withinTransaction(db, async (trx) => {
		// Two statements: the events lock is certainly taken before the audit lock.
		await sql`select pg_advisory_xact_lock(${LOCKS.events})`.execute(trx);
		await sql`select pg_advisory_xact_lock(${LOCKS.audit})`.execute(trx);
		const last = await trx
			.selectFrom('auditLog')
			.select('hash')
			.orderBy('id', 'desc')
			.limit(1)
			.executeTakeFirst();
		const { rows } = await sql<{ now: Date }>`select now() as now`.execute(trx);
		// Millisecond precision, as JavaScript reads it back, so the hash can be recomputed.
		const occurredAt = new Date(rows[0]!.now.getTime());
		const fields: HashedFields = {
			occurredAt,
			actorId: entry.actor?.id ?? null,
			actorLabel: entry.actor?.label ?? null,
			action: entry.action,
			targetType: entry.target?.type ?? null,
			targetId: entry.target?.id ?? null,
			targetLabel: entry.target?.label ?? null,
			details: entry.details ?? {},
			ipAddress: entry.ipAddress ?? null,
			prevHash: last?.hash ?? null
		};
		await trx
			.insertInto('auditLog')
			.values({ ...fields, details: JSON.stringify(fields.details), hash: auditHash(fields) })
			.execute();
	});
}

/** The columns a reader of the log sees (everything but the chain's own hashes). */
export const AUDIT_READ_COLUMNS = [
	'id',
	'occurredAt',
	'actorId',
	'actorLabel',
	'action',
	'targetType',
	'targetId',
	'targetLabel',
	'details',
	'ipAddress'
] as const;

/** Recomputes the chain; reports the first row whose hash or link does not match. */
export async function verifyAuditChain(
	db: Kysely<Database>
): Promise<{ ok: true; rows: number } | { ok: false; brokenAt: number }> {
	let prev: string | null = null;
	let rows = 0;
	let after = 0;
	for (;;) {
		const page = await db
			.selectFrom('auditLog')
			.select([...AUDIT_READ_COLUMNS, 'prevHash', 'hash'])
			.where('id', '>', after)
			.orderBy('id')
			.limit(1000)
			.execute();
		if (page.length === 0) return { ok: true, rows };
		for (const row of page) {
			const { id, hash, ...fields } = row;
			if (row.prevHash !== prev || auditHash(fields) !== hash) return { ok: false, brokenAt: id };
			prev = hash;
			rows++;
			after = id;
		}
	}
}
