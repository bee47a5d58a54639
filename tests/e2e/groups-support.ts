/**
 * Helpers for the group journeys: several people at once (each in their own browser
 * context, arriving from their own address), people at a police force or a partner
 * agency, and the steps every journey repeats (signing up, two-factor, the directory).
 */
import type { BrowserContext, Page, TestInfo } from '@playwright/test';
import {
	currentCode,
	expect,
	expectHome,
	keyFromManualEntry,
	ready,
	registerAndConfirm,
	submitSignIn,
	test as base,
	type Person
} from './identity-support.ts';

export { expect };
export type { Person };

/** A documentation-range address (RFC 5737), different for every person. */
function clientAddress(): string {
	const n = crypto.getRandomValues(new Uint8Array(2));
	return `203.0.${n[0]}.${n[1]}`;
}

export const test = base.extend<{
	/**
	 * Opens a browser for another person: their own cookies, the project's JavaScript
	 * setting, and their own address (so per-network limits apply to each person).
	 */
	browserFor: () => Promise<Page>;
}>({
	browserFor: async ({ browser, baseURL, javaScriptEnabled }, use) => {
		const contexts: BrowserContext[] = [];
		await use(async () => {
			const context = await browser.newContext({
				baseURL,
				javaScriptEnabled,
				extraHTTPHeaders: { 'x-forwarded-for': clientAddress() }
			});
			contexts.push(context);
			return context.newPage();
		});
		await Promise.all(contexts.map((context) => context.close()));
	}
});

/** Something unique to this test and project: both projects share one server and database. */
export function unique(info: TestInfo): string {
	return `${info.project.name} ${crypto.randomUUID().slice(0, 8)}`;
}

/** A new person at an organisation Muster knows by its e-mail domain. */
export function personAt(info: TestInfo, given: string, family: string, domain: string): Person {
	const suffix = crypto.randomUUID().slice(0, 8);
	return {
		name: `${given} ${family} ${suffix}`,
		email: `${given}.${family}.${info.project.name}.${suffix}@${domain}`.toLowerCase(),
		password: 'copper kettle lighthouse marmalade'
	};
}

/** Registers, confirms the address from the e-mail, signs in and arrives home. */
export async function signUp(page: Page, person: Person): Promise<void> {
	await registerAndConfirm(page, person);
	await submitSignIn(page, person.email, person.password);
	await expectHome(page, person);
}

/** On the enrolment page: turns two-factor on with a code computed from the shown key. */
export async function enrolTwoFactor(page: Page): Promise<void> {
	await expect(
		page.getByRole('heading', { level: 1, name: 'Set up two-factor authentication' })
	).toBeVisible();
	await ready(page);
	const key = keyFromManualEntry((await page.getByTestId('totp-key').textContent()) ?? '');
	await page.getByLabel('Code from your authenticator app', { exact: true }).fill(currentCode(key));
	await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
	await expect(page.getByText('Two-factor authentication is on.')).toBeVisible();
	await expect(page.getByRole('heading', { level: 1, name: 'Save your recovery codes' })).toBeVisible();
}

/** The success banner a redirect with ?notice= shows. */
export function notice(page: Page) {
	return page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Success' }) });
}

/** Searches the directory by the group's name, as someone would, and expects just that group. */
export async function findInDirectory(page: Page, groupName: string): Promise<void> {
	await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Groups' }).click();
	await expect(page).toHaveURL(/\/groups$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Groups' })).toBeVisible();
	await ready(page);
	await page.getByLabel('Search groups by name or description', { exact: true }).fill(groupName);
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await expect(page).toHaveURL(/\/groups\?q=/);
	await expect(page.getByLabel('Search groups by name or description', { exact: true })).toHaveValue(
		groupName
	);
	const results = page.getByRole('main').getByRole('heading', { level: 2 });
	await expect(results).toHaveCount(1);
	await expect(results.getByRole('link', { name: groupName, exact: true })).toBeVisible();
}
