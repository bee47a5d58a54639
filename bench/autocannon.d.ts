// The part of autocannon's programmatic API that bench/thread-page.ts uses (autocannon ships
// no types; its README, "API", describes these options and the result object).
declare module 'autocannon' {
	interface Options {
		url: string;
		connections?: number;
		/** Seconds. */
		duration?: number;
		headers?: Record<string, string>;
		/** Called with each response body; a falsy return counts as a mismatch. */
		verifyBody?: (body: string) => boolean;
		/** Seconds to wait for a response. */
		timeout?: number;
		title?: string;
	}

	/** Milliseconds for latency; requests or bytes per second for the others. */
	interface Histogram {
		average: number;
		mean: number;
		stddev: number;
		min: number;
		max: number;
		total: number;
		p50: number;
		p90: number;
		p97_5: number;
		p99: number;
	}

	interface Result {
		title?: string;
		url: string;
		connections: number;
		duration: number;
		start: Date;
		finish: Date;
		errors: number;
		timeouts: number;
		mismatches: number;
		non2xx: number;
		resets: number;
		'2xx': number;
		latency: Histogram;
		requests: Histogram;
		throughput: Histogram;
	}

	function autocannon(options: Options): Promise<Result>;
	export default autocannon;
	export type { Options, Result, Histogram };
}
