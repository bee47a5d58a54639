/**
 * How fast one socket may send: a token bucket holding `burst` messages, refilled at
 * `perSecond`. A message finds a token or is refused; time is given by the caller.
 */
export interface Rate {
	burst: number;
	perSecond: number;
}

export class MessageRate {
	#tokens: number;
	#refilledAt: number;

	constructor(
		readonly rate: Rate,
		now: number
	) {
		this.#tokens = rate.burst;
		this.#refilledAt = now;
	}

	/** Takes a token for one message at `now` (ms); false when the bucket is empty. */
	take(now: number): boolean {
		const { burst, perSecond } = this.rate;
		this.#tokens = Math.min(burst, this.#tokens + ((now - this.#refilledAt) / 1000) * perSecond);
		this.#refilledAt = now;
		if (this.#tokens < 1) return false;
		this.#tokens -= 1;
		return true;
	}
}
