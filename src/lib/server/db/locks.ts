/**
 * Every transaction-level advisory lock Muster takes, in one list, so no two purposes
 * share a number. The values are arbitrary but must never change while a node runs.
 *
 * Lock order, for every transaction (a transaction that skips a step keeps the order of
 * the rest; taking an earlier one after a later one can deadlock):
 *   1. rows being changed for their own sake: a thread (FOR UPDATE OF threads: never the
 *      joined group row), a practice entry, a membership or invitation row;
 *   2. the group row: its counters and activity time (UPDATE groups ...), or lockGroup for
 *      owner changes;
 *   3. the advisory locks below, in the order listed (events before audit);
 * Inserting a row that refers to a group takes a key-share lock on the group row; that is
 * compatible with updating its counters, but not with FOR UPDATE on it, which is why a
 * thread is locked without its group. A transaction that still meets another (40P01 or
 * 40001) is run again by db/transaction.ts.
 */
export const LOCKS = {
	/** Creating the library group for good-practice discussions (at most once). */
	libraryGroup: 7_310_005,
	/** Creating the first administrator (at most once). */
	firstAdmin: 7_310_004,
	/** Drawing event ids in commit order (see events/publish.ts). */
	events: 7_310_002,
	/** Appending to the audit chain (after `events`). */
	audit: 7_310_001,
	/** Pruning the event backlog (one node at a time; tried, never waited for). */
	prune: 7_310_003
} as const;
