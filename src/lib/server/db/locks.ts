/**
 * Every transaction-level advisory lock Muster takes, in one list, so no two purposes
 * share a number. The values are arbitrary but must never change while a node runs.
 * Order rule: a transaction that takes more than one takes them in the order listed.
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
