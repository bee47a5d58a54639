/**
 * Each node listens for new events and hands them to its local subscribers.
 * With PostgreSQL, one dedicated LISTEN connection (not from the pool); if it drops,
 * the node reconnects with backoff and catches up from the last id it delivered, so an
 * outage of the listener loses nothing. With the embedded database, PGlite's listen.
 */
import pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { BusEvent, EventBus } from './event-bus.ts';
import { NOTIFY_CHANNEL } from './publish.ts';

export interface EventListener {
	/** The highest event id delivered so far. */
	lastId(): number;
	close(): Promise<void>;
}

async function eventsAfter(db: Kysely<Database>, after: number, limit = 1000): Promise<BusEvent[]> {
	const rows = await db
		.selectFrom('events')
		.select(['id', 'channel', 'type', 'payload'])
		.where('id', '>', after)
		.orderBy('id')
		.limit(limit)
		.execute();
	return rows.map((r) => ({ id: r.id, channel: r.channel, type: r.type, data: r.payload }));
}

async function eventById(db: Kysely<Database>, id: number): Promise<BusEvent | undefined> {
	const r = await db
		.selectFrom('events')
		.select(['id', 'channel', 'type', 'payload'])
		.where('id', '=', id)
		.executeTakeFirst();
	return r ? { id: r.id, channel: r.channel, type: r.type, data: r.payload } : undefined;
}

export async function startEventListener(deps: {
	database: DatabaseHandle;
	connectionString: string | undefined;
	bus: EventBus;
	logger: Logger;
}): Promise<EventListener> {
	const { database, bus, logger } = deps;
	const db = database.db;
	// With MIGRATE_ON_START=false the table may not exist yet: the node then starts (and
	// reports not ready) instead of failing; delivery begins once it does.
	const start = await db
		.selectFrom('events')
		.select((eb) => eb.fn.max('id').as('max'))
		.executeTakeFirst()
		.catch(() => undefined);
	let last = Number(start?.max ?? 0);
	let closed = false;
	// Notifications arrive in commit order; deliveries are chained to keep that order.
	let chain: Promise<void> = Promise.resolve();
	const enqueue = (work: () => Promise<void>) => {
		chain = chain.then(work).catch((error) => logger.warn({ err: error }, 'event delivery failed'));
	};
	const deliver = (event: BusEvent) => {
		if (event.id <= last) return;
		last = event.id;
		bus.deliver(event);
	};
	const onNotify = (payload: string | undefined) => {
		let id: number | undefined;
		try {
			id = Number((JSON.parse(payload ?? '{}') as { id?: unknown }).id);
		} catch {
			id = undefined;
		}
		if (!id || !Number.isFinite(id)) return;
		enqueue(async () => {
			const event = await eventById(db, id);
			if (event) deliver(event);
		});
	};
	const catchUp = () =>
		enqueue(async () => {
			for (let batch = await eventsAfter(db, last); batch.length > 0; batch = await eventsAfter(db, last)) {
				for (const event of batch) deliver(event);
			}
		});

	if (database.pglite) {
		const unlisten = await database.pglite.listen(NOTIFY_CHANNEL, onNotify);
		return {
			lastId: () => last,
			async close() {
				closed = true;
				await unlisten();
				await chain;
			}
		};
	}

	let client: pg.Client | undefined;
	let retry: NodeJS.Timeout | undefined;
	let delay = 250;
	const connect = async (): Promise<void> => {
		if (closed) return;
		const next = new pg.Client({
			connectionString: deps.connectionString,
			application_name: 'muster-listener'
		});
		next.on('notification', (message) => onNotify(message.payload));
		next.on('error', (error) => {
			logger.warn({ err: error }, 'event listener connection failed; reconnecting');
			schedule();
		});
		next.on('end', () => schedule());
		try {
			await next.connect();
			await next.query(`listen ${NOTIFY_CHANNEL}`);
			client = next;
			delay = 250;
			// Anything committed while we were away.
			catchUp();
		} catch (error) {
			logger.warn({ err: error }, 'event listener could not connect; retrying');
			next.removeAllListeners('end');
			await next.end().catch(() => {});
			schedule();
		}
	};
	const schedule = () => {
		if (closed || retry) return;
		client = undefined;
		const wait = delay + Math.floor(Math.random() * delay);
		delay = Math.min(delay * 2, 5_000);
		retry = setTimeout(() => {
			retry = undefined;
			void connect();
		}, wait);
		retry.unref();
	};
	await connect();
	return {
		lastId: () => last,
		async close() {
			closed = true;
			if (retry) clearTimeout(retry);
			const current = client;
			client = undefined;
			current?.removeAllListeners('end');
			await current?.end().catch(() => {});
			await chain;
		}
	};
}
