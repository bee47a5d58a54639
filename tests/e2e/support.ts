import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

async function violations(page: Page): Promise<string[]> {
	// WCAG 2.2 AA, as Muster promises.
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'])
		.analyze();
	return results.violations.map(
		(v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`
	);
}

export const test = base.extend<{
	/** Asserts the page as the user sees it now has no axe violations. */
	expectAccessible: (page?: Page) => Promise<void>;
}>({
	expectAccessible: async ({ page, browser, javaScriptEnabled }, use) => {
		await use(async (target = page) => {
			if (javaScriptEnabled) {
				expect(await violations(target)).toEqual([]);
				return;
			}
			// axe runs as JavaScript, which this project turns off. Check the same server-rendered
			// page in a context whose own scripts are blocked, so it stays exactly as the user sees it.
			const context = await browser.newContext({ javaScriptEnabled: true });
			try {
				await context.route(/\.m?js(\?|$)/, (route) => route.abort());
				const copy = await context.newPage();
				await copy.goto(target.url());
				expect(await violations(copy)).toEqual([]);
			} finally {
				await context.close();
			}
		});
	}
});

export { expect };
