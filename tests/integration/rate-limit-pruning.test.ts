/**
 * Rate-limit rows are pruned in the background, as the host runs it (a context with
 * background work), once their window and any lock have passed; nothing still counting
 * or locking is touched. Closing the context stops the pruning.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterAll, expect, it, vi } from 'vitest';
import { createTestContext, type TestContext } from '../support/test-context.ts';
import { hit, LIMITS } from '../../src/lib/server/auth/rate-limit.ts';

const EVERY_MS = 50;
const warnings: string[] = [];
const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });

let test: TestContext | undefined;
afterAll(async () => {
	await test?.close();
});

it('deletes expired windows and passed locks, keeps open windows and current locks, and stops on close', async () => {
	test = await createTestContext('rate_limit_pruning', { background: true, pruneEveryMs: EVERY_MS, logger });
	const { db } = test.ctx;
	const now = Date.now();
	const at = (ms: number) => new Date(now + ms);
	const hour = 60 * 60_000;

	await db
		.insertInto('rateLimits')
		.values([
			{ key: 'window-over', hits: 4, windowEndsAt: at(-hour), lockedUntil: null },
			{ key: 'lock-over', hits: 0, windowEndsAt: at(-hour), lockedUntil: at(-60_000) },
			{ key: 'window-open', hits: 2, windowEndsAt: at(hour), lockedUntil: null },
			// A lock sets the window's end to the moment it locked: the lock alone keeps the row.
			{ key: 'locked', hits: 0, windowEndsAt: at(-hour), lockedUntil: at(15 * 60_000) },
			{ key: 'window-open-lock-over', hits: 1, windowEndsAt: at(hour), lockedUntil: at(-60_000) }
		])
		.execute();
	// And rows written the way sign-in writes them: one two hours ago, one now.
	await hit(db, 'hit-long-ago', LIMITS.signInIp, at(-2 * hour));
	await hit(db, 'hit-now', LIMITS.signInIp, at(0));

	const keys = async () =>
		(await db.selectFrom('rateLimits').select('key').orderBy('key').execute()).map((row) => row.key);
	// The expired rows were inserted with the kept ones, so once they are gone a round has
	// seen all of them.
	await vi.waitFor(
		async () => {
			const remaining = await keys();
			expect(remaining).not.toContain('window-over');
			expect(remaining).not.toContain('lock-over');
			expect(remaining).not.toContain('hit-long-ago');
		},
		{ timeout: 10_000, interval: EVERY_MS }
	);
	expect(await keys()).toEqual(['hit-now', 'locked', 'window-open', 'window-open-lock-over']);

	// Closed, the timer is gone: a round after close would fail on the closed pool and say so.
	await test.ctx.close();
	await sleep(EVERY_MS * 6);
	expect(warnings.filter((line) => line.includes('could not prune'))).toEqual([]);
});
