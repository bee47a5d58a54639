/**
 * The one error domain code throws. Edges map `code` to a status and show `message`
 * (written for the person using Muster) next to `field` when there is one.
 */
export type DomainErrorCode =
	| 'not_found'
	| 'forbidden'
	| 'conflict'
	| 'invalid'
	| 'rate_limited'
	| 'gone'
	/** The action needs two-factor authentication set up first. */
	| 'two_factor'
	/** A passing condition (e.g. a write that met another at the same moment): try again. */
	| 'try_again';

export class DomainError extends Error {
	constructor(
		readonly code: DomainErrorCode,
		message: string,
		readonly field?: string,
		/** For rate limits: when the person may try again. */
		readonly retryAt?: Date
	) {
		super(message);
		this.name = 'DomainError';
	}
}

/** The input fits several things: the person must choose one of them (offered beside the field). */
export class ChoiceNeeded extends DomainError {
	constructor(
		message: string,
		field: string,
		readonly choices: Array<{ value: string; label: string }>
	) {
		super('invalid', message, field);
		this.name = 'ChoiceNeeded';
	}
}

export const HTTP_STATUS: Record<DomainErrorCode, number> = {
	not_found: 404,
	forbidden: 403,
	conflict: 409,
	invalid: 400,
	rate_limited: 429,
	gone: 410,
	two_factor: 403,
	try_again: 503
};

/** A Postgres unique-violation (23505), for turning a constraint into a clear message. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
	const e = error as { code?: string; constraint?: string } | undefined;
	return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
