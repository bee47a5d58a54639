/**
 * Background jobs on PostgreSQL: work that must not sit in a request (telling five thousand
 * watchers about a new post) is written to `jobs` in the request's own transaction, so a
 * rolled-back action leaves no job, and run here after the commit.
 *
 * Why not pg-boss or graphile-worker: both need a real PostgreSQL server (their own schemas,
 * LISTEN on a dedicated connection, functions and triggers installed at start), and Muster
 * also runs on the embedded database, where neither starts. This is the mail dispatcher's
 * pattern, shared: each node takes due jobs with FOR UPDATE SKIP LOCKED inside a transaction,
 * so with several nodes each job runs exactly once and its effects commit with its "done"
 * mark; a job that fails is tried again with backoff (10 s, 20 s, 40 s …), five times at most,
 * and keeps its last error for an administrator to read.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../logger.ts';

export type JobHandler = (trx: Transaction<Database>, payload: Record<string, unknown>) => Promise<void>;

/**
 * One job a transaction: a job's effects commit on their own, so one that holds a lock (the
 * events lock, while announcing) releases it as soon as it is done, not after its neighbours.
 */
const BATCH = 1;
const INTERVAL_MS = 2_000;
export const MAX_ATTEMPTS = 5;
const BACKOFF_MS = 10_000;

/** Queues a job inside the caller's transaction. */
export async function enqueueJob(
	trx: Kysely<Database>,
	kind: string,
	payload: Record<string, unknown>,
	runAt?: Date
): Promise<void> {
	await trx
		.insertInto('jobs')
		.values({ kind, payload: JSON.stringify(payload), ...(runAt ? { runAt } : {}) })
		.execute();
}

/** Work a node does every so often (send due e-mail, start due digests), besides queued jobs. */
export interface PeriodicTask {
	name: string;
	everyMs: number;
	run(): Promise<unknown>;
}

export interface JobRunner {
	/** Runs what is due now (also on a timer when started in the background). */
	drain(): Promise<void>;
	/** Runs the periodic tasks once (all, or those named), then what is due (tests move time on with it). */
	tick(only?: string[]): Promise<void>;
	/** Asks for a run soon, without waiting: after a commit that queued a job. */
	kick(): void;
	stop(): Promise<void>;
}

/**
 * Runs one job in its own transaction, with a savepoint around the handler so a failure is
 * recorded (and the job tried again later) without losing the lock on it.
 */
async function runBatch(
	db: Kysely<Database>,
	handlers: Record<string, JobHandler>,
	now: () => Date,
	logger: Logger
): Promise<number> {
	return db.transaction().execute(async (trx) => {
		const batch = await trx
			.selectFrom('jobs')
			.select(['id', 'kind', 'payload', 'attempts'])
			.where('doneAt', 'is', null)
			.where('runAt', '<=', now())
			.where('attempts', '<', MAX_ATTEMPTS)
			.orderBy('runAt')
			.orderBy('id')
			.limit(BATCH)
			.forUpdate()
			.skipLocked()
			.execute();
		for (const job of batch) {
			const handler = handlers[job.kind];
			try {
				if (!handler) throw new Error(`no handler for jobs of kind "${job.kind}"`);
				await savepoint(trx, `job_${job.id}`, () => handler(trx, job.payload));
				await trx
					.updateTable('jobs')
					.set({ doneAt: now(), attempts: job.attempts + 1 })
					.where('id', '=', job.id)
					.execute();
			} catch (error) {
				const attempts = job.attempts + 1;
				logger.warn({ err: error, jobId: job.id, kind: job.kind, attempts }, 'a background job failed');
				await trx
					.updateTable('jobs')
					.set({
						attempts,
						lastError: String(error).slice(0, 500),
						runAt: new Date(now().getTime() + BACKOFF_MS * 2 ** (attempts - 1))
					})
					.where('id', '=', job.id)
					.execute();
			}
		}
		return batch.length;
	});
}

async function savepoint(trx: Transaction<Database>, name: string, work: () => Promise<void>): Promise<void> {
	await sql`savepoint ${sql.id(name)}`.execute(trx);
	try {
		await work();
		await sql`release savepoint ${sql.id(name)}`.execute(trx);
	} catch (error) {
		await sql`rollback to savepoint ${sql.id(name)}`.execute(trx);
		throw error;
	}
}

export function startJobRunner(deps: {
	db: Kysely<Database>;
	logger: Logger;
	handlers: Record<string, JobHandler>;
	periodic?: PeriodicTask[];
	now?: () => Date;
	/** Run on a timer and when kicked (the host); otherwise only when drained (most tests). */
	background: boolean;
}): JobRunner {
	const { db, logger, handlers, background } = deps;
	const now = deps.now ?? (() => new Date());
	let running: Promise<void> | undefined;
	let again = false;
	let stopped = false;

	function drain(): Promise<void> {
		if (stopped) return Promise.resolve();
		if (running) {
			again = true;
			return running;
		}
		running = (async () => {
			try {
				do {
					again = false;
					while (!stopped && (await runBatch(db, handlers, now, logger)) === BATCH);
				} while (again && !stopped);
			} catch (error) {
				logger.warn({ err: error }, 'the job runner failed; will retry');
			} finally {
				running = undefined;
			}
		})();
		return running;
	}

	const periodic = deps.periodic ?? [];
	const lastRun = new Map<string, number>();
	async function runPeriodic(force: boolean, only?: string[]): Promise<void> {
		for (const task of periodic) {
			if (only && !only.includes(task.name)) continue;
			if (stopped) return;
			const now = Date.now();
			if (!force && now - (lastRun.get(task.name) ?? 0) < task.everyMs) continue;
			lastRun.set(task.name, now);
			try {
				await task.run();
			} catch (error) {
				logger.warn({ err: error, task: task.name }, 'a periodic task failed; will retry');
			}
		}
	}
	let ticking: Promise<void> | undefined;
	const timer = background
		? setInterval(() => {
				ticking ??= runPeriodic(false)
					.then(drain)
					.finally(() => (ticking = undefined));
			}, INTERVAL_MS)
		: undefined;
	timer?.unref();
	return {
		drain,
		async tick(only) {
			await runPeriodic(true, only);
			await drain();
		},
		kick() {
			if (background) void drain();
		},
		async stop() {
			stopped = true;
			if (timer) clearInterval(timer);
			await ticking;
			await running;
		}
	};
}
