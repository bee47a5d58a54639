/**
 * "Pause live updates" (WCAG 2.2.2), for the whole tab: while paused, live changes wait (the
 * thread's new posts, the header's notification count) and arrive when resumed.
 */
export const liveUpdates = $state({ paused: false });
