/**
 * Keeping the backlog bounded: events older than 7 days, and all but the newest 1,000
 * of a channel, are deleted, and each channel remembers how far it was pruned, so a
 * client resuming from before that point is told to reload instead of missing events.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { LOCKS } from '../db/locks.ts';
import { inTransaction } from '../db/transaction.ts';

const RETENTION = { maxAgeMs: 7 * 24 * 60 * 60 * 1000, perChannel: 1_000 };

export async function pruneEvents(db: Kysely<Database>, now: Date, retention = RETENTION): Promise<number> {
	return inTransaction(db, async (trx) => {
		// One node at a time; the others skip this round.
		const { rows } = await sql<{
			locked: boolean;
		}>`select pg_try_advisory_xact_lock(${LOCKS.prune}) as locked`.execute(trx);
		if (!rows[0]?.locked) return 0;
		const cutoff = new Date(now.getTime() - retention.maxAgeMs);
		const doomed = await sql<{ id: number; channel: string }>`
			select id, channel from events where created_at < ${cutoff}
			union
			select id, channel from (
				select id, channel, row_number() over (partition by channel order by id desc) as rank from events
			) ranked where rank > ${retention.perChannel}`.execute(trx);
		if (doomed.rows.length === 0) return 0;
		const through = new Map<string, number>();
		for (const { id, channel } of doomed.rows)
			through.set(channel, Math.max(through.get(channel) ?? 0, Number(id)));
		for (const [channel, id] of through) {
			await trx
				.insertInto('eventPrunes')
				.values({ channel, prunedThrough: id })
				.onConflict((oc) =>
					oc.column('channel').doUpdateSet({
						prunedThrough: sql`greatest(event_prunes.pruned_through, excluded.pruned_through)`
					})
				)
				.execute();
		}
		await trx
			.deleteFrom('events')
			.where(
				'id',
				'in',
				doomed.rows.map((r) => Number(r.id))
			)
			.execute();
		return doomed.rows.length;
	});
}

/** Whether a client resuming after `since` would miss pruned events. */
export async function backlogReaches(db: Kysely<Database>, channel: string, since: number): Promise<boolean> {
	const row = await db
		.selectFrom('eventPrunes')
		.select('prunedThrough')
		.where('channel', '=', channel)
		.executeTakeFirst();
	return !row || since >= Number(row.prunedThrough);
}
