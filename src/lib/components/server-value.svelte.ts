/**
 * A form field's value that keeps what a person typed before the page's JavaScript
 * arrived (bind to `.current`: a one-way value would be reset to the server's value on
 * hydration), while a new value from the server, e.g. a re-rendered form, still replaces it.
 */
import { untrack } from 'svelte';

export function serverValue(fromServer: () => string) {
	let current = $state(untrack(fromServer));
	let last = untrack(fromServer);
	$effect.pre(() => {
		const value = fromServer();
		if (value !== last) {
			last = value;
			current = value;
		}
	});
	return {
		get current() {
			return current;
		},
		set current(value: string) {
			current = value;
		}
	};
}
