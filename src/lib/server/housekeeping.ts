/**
 * Background pruning of the tables that would otherwise grow for ever: the real-time
 * backlog (events/retention.ts) and rate-limit rows whose window and lock have passed
 * (auth/rate-limit.ts). The host runs it on a timer; `stop()` clears the timer and waits
 * for a round in progress, so the database is never closed under it.
 */
import type { Kysely } from 'kysely';
import type { Database } from './db/schema.ts';
import type { Logger } from './logger.ts';
import { pruneEvents } from './events/retention.ts';
import { pruneRateLimits } from './auth/rate-limit.ts';

/** Every ten minutes: both tables only need to stay bounded, not tidy. */
const HOUSEKEEPING_INTERVAL_MS = 10 * 60_000;

export interface Housekeeping {
	stop(): Promise<void>;
}

export function startHousekeeping(deps: {
	db: Kysely<Database>;
	logger: Logger;
	/** The application clock: rate-limit windows are written with it. */
	now: () => Date;
	everyMs?: number;
}): Housekeeping {
	const { db, logger, now } = deps;
	let running: Promise<void> | undefined;
	let stopped = false;

	// Each job on its own: one failing does not keep the other from running.
	async function round(): Promise<void> {
		// Event times come from the database's clock (created_at defaults to now()).
		await pruneEvents(db, new Date()).catch((error) => logger.warn({ err: error }, 'could not prune events'));
		await pruneRateLimits(db, now()).catch((error) =>
			logger.warn({ err: error }, 'could not prune rate limits')
		);
	}

	const timer = setInterval(() => {
		if (stopped || running) return;
		running = round().finally(() => {
			running = undefined;
		});
	}, deps.everyMs ?? HOUSEKEEPING_INTERVAL_MS);
	timer.unref();
	return {
		async stop() {
			stopped = true;
			clearInterval(timer);
			await running;
		}
	};
}
