import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Playwright cannot download its own browser here: use the system Chromium.
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
	console.error(
		`No Chromium at ${executablePath}: install it with "apt-get install chromium" (or "npx playwright install chromium" where the internet is reachable), or set CHROMIUM_PATH.`
	);
	process.exit(1);
}

export default defineConfig({
	testDir: 'tests/e2e',
	// Starts the built host on a free port against a fresh database; builds nothing.
	globalSetup: './tests/e2e/global-setup.ts',
	forbidOnly: !!process.env.CI,
	retries: 0,
	workers: 2,
	// A journey of a few pages with accessibility checks took 26–31 s on a loaded two-core machine;
	// every wait is on state, so a generous bound costs a passing test nothing.
	timeout: 90_000,
	expect: { timeout: 5_000 },
	outputDir: 'test-results/e2e',
	reporter: [['list'], ['json', { outputFile: 'test-results/e2e-results.json' }]],
	use: {
		baseURL: process.env.MUSTER_E2E_URL,
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-quic',
				'--no-first-run'
			]
		}
	},
	projects: [
		{ name: 'js-on', use: { browserName: 'chromium', javaScriptEnabled: true } },
		{ name: 'js-off', use: { browserName: 'chromium', javaScriptEnabled: false } }
	]
});
