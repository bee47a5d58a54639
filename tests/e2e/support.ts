import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { readMailFile, waitForMail, type SunkMail } from '../support/mail-sink.ts';

/** The newest e-mail Muster sent to this address (optionally with this subject), waiting for it to arrive. */
export function mailTo(to: string, subject?: string): Promise<SunkMail> {
	const file = process.env.MUSTER_E2E_MAIL;
	if (!file) throw new Error('MUSTER_E2E_MAIL is not set: the browser tests start through global-setup.ts');
	return waitForMail(() => readMailFile(file), to, subject);
}

/** Every e-mail Muster has sent to this address so far. */
export function mailsTo(to: string): SunkMail[] {
	return readMailFile(process.env.MUSTER_E2E_MAIL ?? '').filter((m) => m.to.includes(to.toLowerCase()));
}

async function violations(page: Page): Promise<string[]> {
	// WCAG 2.2 AA, as Muster promises.
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'])
		.analyze();
	return results.violations.map(
		(v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`
	);
}

/** A documentation-range address (RFC 5737), different for every test. */
function clientAddress(): string {
	const n = crypto.getRandomValues(new Uint8Array(2));
	return `198.51.${n[0]}.${n[1]}`;
}

export const test = base.extend<{
	/** Asserts the page as the user sees it now has no axe violations. */
	expectAccessible: (page?: Page) => Promise<void>;
}>({
	// Each test arrives from its own address (through the trusted local proxy), as different
	// people would: per-network rate limits then apply per test, not to the whole suite.
	page: async ({ page }, use) => {
		await page.setExtraHTTPHeaders({ 'x-forwarded-for': clientAddress() });
		// Every page keeps to its Content Security Policy: a violation is logged as a console error
		// (SvelteKit's route announcer caused one on every page).
		const violations: string[] = [];
		page.on('console', (message) => {
			if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
				violations.push(`${page.url()}: ${message.text()}`);
		});
		await use(page);
		expect(violations).toEqual([]);
	},
	expectAccessible: async ({ page, browser, javaScriptEnabled }, use) => {
		await use(async (target = page) => {
			if (javaScriptEnabled) {
				expect(await violations(target)).toEqual([]);
				return;
			}
			// axe runs as JavaScript, which this project turns off. Serve the very HTML this page
			// shows now (signed-in pages and form errors included) to a context whose own scripts
			// are blocked, so axe checks exactly what the person sees.
			const address = new URL(target.url());
			address.hash = '';
			const html = await target.content();
			const context = await browser.newContext({ javaScriptEnabled: true });
			try {
				await context.route(/\.m?js(\?|$)/, (route) => route.abort());
				await context.route(
					(url) => url.href === address.href,
					(route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html })
				);
				const copy = await context.newPage();
				await copy.goto(address.href);
				expect(await violations(copy)).toEqual([]);
			} finally {
				await context.close();
			}
		});
	}
});

export { expect };
