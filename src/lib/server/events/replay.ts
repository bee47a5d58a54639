/**
 * The backlog a resuming reader is sent. Stored events are as they were when written, but a
 * reader must only ever see what it could see now: a post hidden or deleted since, or the
 * words an edit replaced (which only the author and moderators may read in its history),
 * must not come back through a replay. So events that carry a post's words are brought up
 * to date: the post's current words, none for a post now hidden or deleted (the event that
 * hid or deleted it follows in the same backlog), and edits or restores of such a post
 * are left out. Likewise a group's events about a thread (its title, its activity) are
 * replayed only while the thread is still in that group: one moved since (perhaps into a
 * private group) belongs to another audience now.
 *
 * Live events need no such check: a thread's group events are written while its row is
 * locked, and a move locks it too, so every one of them is committed (and numbered) before
 * the move; whoever follows the group when it is sent could see the thread when it was written.
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { BusEvent } from './event-bus.ts';
import { tablesOf } from '../db/subquery.ts';

/** Event types whose data carries a post's rendered words as `html`, keyed by `id`. */
const POST_WORDS = new Set(['post.created', 'post.edited', 'post.restored']);

/**
 * The id of a channel's latest event, as a subquery (null when it has none): a page renders
 * its data and this id in one read, and its live connection resumes from it, so nothing
 * between the render and the socket is missed.
 */
export function lastEventIdOf<DB extends Database, TB extends keyof DB>(
	eb: ExpressionBuilder<DB, TB>,
	channel: string
) {
	return tablesOf(eb)
		.selectFrom('events')
		.select((e) => e.fn.max('events.id').as('max'))
		.where('events.channel', '=', channel);
}

/** The id of a channel's latest event, 0 when it has none. */
export async function lastEventId(db: Kysely<Database>, channel: string): Promise<number> {
	const row = await db.selectNoFrom((eb) => lastEventIdOf(eb, channel).as('max')).executeTakeFirst();
	return Number(row?.max ?? 0);
}

export interface Backlog {
	events: BusEvent[];
	/** The id of the last stored event read (some may have been left out). */
	lastId: number;
	/** False when more than `limit` events follow `since`: too far behind to replay. */
	complete: boolean;
}

export async function backlogAfter(
	db: Kysely<Database>,
	channel: string,
	since: number,
	limit: number
): Promise<Backlog> {
	const read = await db
		.selectFrom('events')
		.select(['id', 'channel', 'type', 'payload'])
		.where('channel', '=', channel)
		.where('id', '>', since)
		.orderBy('id')
		.limit(limit + 1)
		.execute();
	if (read.length > limit) return { events: [], lastId: since, complete: false };
	const rows = read;
	const postIds = new Set<number>();
	for (const row of rows) {
		const id = (row.payload as { id?: unknown }).id;
		if (POST_WORDS.has(row.type) && typeof id === 'number') postIds.add(id);
	}
	const posts = new Map(
		postIds.size === 0
			? []
			: (
					await db
						.selectFrom('posts')
						.select(['id', 'html', 'hiddenAt', 'deletedAt'])
						.where('id', 'in', [...postIds])
						.execute()
				).map((p) => [p.id, p])
	);
	const movedAway = await threadsNoLongerIn(db, channel, rows);
	const events: BusEvent[] = [];
	for (const row of rows) {
		const data = row.payload as Record<string, unknown>;
		if (typeof data.threadId === 'number' && movedAway.has(data.threadId)) continue;
		if (!POST_WORDS.has(row.type) || typeof data.id !== 'number') {
			events.push({ id: row.id, channel: row.channel, type: row.type, data });
			continue;
		}
		const post = posts.get(data.id);
		const visible = post !== undefined && post.hiddenAt === null && post.deletedAt === null;
		if (!visible && row.type !== 'post.created') continue;
		events.push({
			id: row.id,
			channel: row.channel,
			type: row.type,
			data: { ...data, html: visible ? post.html : '' }
		});
	}
	return { events, lastId: rows.at(-1)?.id ?? since, complete: true };
}

/** For a `group:<id>` channel: the threads its events name that are no longer in that group. */
async function threadsNoLongerIn(
	db: Kysely<Database>,
	channel: string,
	rows: Array<{ payload: unknown }>
): Promise<Set<number>> {
	const group = /^group:(\d+)$/.exec(channel);
	if (!group) return new Set();
	const named = new Set<number>();
	for (const row of rows) {
		const threadId = (row.payload as { threadId?: unknown }).threadId;
		if (typeof threadId === 'number') named.add(threadId);
	}
	if (named.size === 0) return new Set();
	const still = await db
		.selectFrom('threads')
		.select('id')
		.where('id', 'in', [...named])
		.where('groupId', '=', Number(group[1]))
		.execute();
	const here = new Set(still.map((t) => t.id));
	return new Set([...named].filter((id) => !here.has(id)));
}
