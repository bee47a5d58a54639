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
	// Ids rise in commit order (see publish.ts), so "everything after the last id delivered"
	// is exactly what is new. A notification only says "look again": one reader at a time
	// reads forward from `last`, so a burst of notifications costs one query, a lost one
	// costs nothing, and a failed read is retried from the same place instead of skipped.
	let reading: Promise<void> | undefined;
	let again = false;
	let retry: NodeJS.Timeout | undefined;
	let readDelay = 100;
	const readForward = async () => {
		do {
			again = false;
			for (let batch = await eventsAfter(db, last); batch.length > 0; batch = await eventsAfter(db, last)) {
				for (const event of batch) {
					if (event.id <= last) continue;
					last = event.id;
					bus.deliver(event);
				}
			}
		} while (again && !closed);
	};
	const pump = (): void => {
		if (closed) return;
		if (reading) {
			again = true;
			return;
		}
		reading = readForward()
			.then(() => {
				readDelay = 100;
			})
			.catch((error) => {
				logger.warn({ err: error }, 'could not read new events; retrying');
				if (!closed && !retry) {
					retry = setTimeout(() => {
						retry = undefined;
						pump();
					}, readDelay);
					retry.unref();
					readDelay = Math.min(readDelay * 2, 5_000);
				}
			})
			.finally(() => {
				reading = undefined;
				// A notification that came as the read finished still needs its look.
				if (again && !retry) pump();
			});
	};
	const onNotify = () => pump();
	const stopReading = async () => {
		closed = true;
		if (retry) clearTimeout(retry);
		await reading;
	};

	if (database.pglite) {
		const unlisten = await database.pglite.listen(NOTIFY_CHANNEL, onNotify);
		// Anything committed between reading the start id and listening.
		pump();
		return {
			lastId: () => last,
			async close() {
				await unlisten();
				await stopReading();
			}
		};
	}

	let client: pg.Client | undefined;
	let reconnect: NodeJS.Timeout | undefined;
	let delay = 250;
	const connect = async (): Promise<void> => {
		if (closed) return;
		const next = new pg.Client({
			connectionString: deps.connectionString,
			application_name: 'muster-listener'
		});
		next.on('notification', onNotify);
		next.on('error', (error) => {
			logger.warn({ err: error }, 'event listener connection failed; reconnecting');
			schedule();
		});
		next.on('end', () => schedule());
		try {
			await next.connect();
			await next.query(`listen ${NOTIFY_CHANNEL}`);
			if (closed) {
				// Closed while this connection was being made: let it go rather than keep it open.
				next.removeAllListeners('end');
				await next.end().catch(() => {});
				return;
			}
			client = next;
			delay = 250;
			// Anything committed while we were away.
			pump();
		} catch (error) {
			logger.warn({ err: error }, 'event listener could not connect; retrying');
			next.removeAllListeners('end');
			await next.end().catch(() => {});
			schedule();
		}
	};
	const schedule = () => {
		if (closed || reconnect) return;
		client = undefined;
		const wait = delay + Math.floor(Math.random() * delay);
		delay = Math.min(delay * 2, 5_000);
		reconnect = setTimeout(() => {
			reconnect = undefined;
			void connect();
		}, wait);
		reconnect.unref();
	};
	await connect();
	return {
		lastId: () => last,
		async close() {
			if (reconnect) clearTimeout(reconnect);
			await stopReading();
			const current = client;
			client = undefined;
			current?.removeAllListeners('end');
			await current?.end().catch(() => {});
		}
	};
}
