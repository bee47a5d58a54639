/**
 * Publishing an event: insert its row and pg_notify inside the caller's transaction,
 * so nothing is announced that was not stored and nothing stored goes unannounced.
 * One advisory lock, taken before the event's id is drawn and held until commit, makes ids
 * rise in commit order across all channels: once id N is visible, no smaller id can ever
 * appear later, so a reader who has seen N has seen everything before it (the listener
 * and replay rely on this). Rule for callers: publish at the end of the transaction, after
 * its row writes, so the lock is held briefly and never waited on while holding rows that
 * another publisher needs. The audit log takes this lock before its own (same order; all
 * the locks are listed, in order, in db/locks.ts).
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { LOCKS } from '../db/locks.ts';

export const NOTIFY_CHANNEL = 'muster_events';

export interface NewEvent {
	channel: string;
	type: string;
	data: Record<string, unknown>;
}

export async function publishEvent(trx: Transaction<Database>, event: NewEvent): Promise<number> {
	// One round trip: the lock is taken while the insert's source row is formed, before the
	// row's id is drawn; then the notification (a "look again" for every node's listener).
	const { rows } = await sql<{ id: string | number }>`
		with inserted as (
			insert into events (channel, type, payload)
			select ${event.channel}, ${event.type}, ${JSON.stringify(event.data)}::jsonb
			from (select pg_advisory_xact_lock(${LOCKS.events})) as ordered
			returning id
		)
		select id, pg_notify(${NOTIFY_CHANNEL}, json_build_object('id', id, 'channel', ${event.channel}::text)::text)
		from inserted`.execute(trx);
	return Number(rows[0]!.id);
}

/**
 * Tells every node that an account's access may have changed (signed out, suspended,
 * removed or banned from a group, password changed): its live subscriptions are
 * checked again at once, and any it may no longer follow are ended.
 */
export async function announceAccessChange(trx: Transaction<Database>, userId: string): Promise<void> {
	await publishEvent(trx, { channel: `user:${userId}`, type: 'access.changed', data: {} });
}

/**
 * The same event on many people's own channels (`user:<id>`), in one statement and with one
 * notification to the listeners: telling every watcher of a thread costs one round trip.
 */
export async function publishToUsers(
	trx: Transaction<Database>,
	userIds: readonly string[],
	type: string,
	data: Record<string, unknown>
): Promise<void> {
	if (userIds.length === 0) return;
	await sql`
		with inserted as (
			insert into events (channel, type, payload)
			select 'user:' || recipient, ${type}, ${JSON.stringify(data)}::jsonb
			from (select pg_advisory_xact_lock(${LOCKS.events})) as ordered,
				unnest(${sql.val(userIds)}::uuid[]) as recipient
			returning id, channel
		)
		select pg_notify(${NOTIFY_CHANNEL}, json_build_object('id', max(id), 'channel', 'user:*')::text)
		from inserted`.execute(trx);
}
