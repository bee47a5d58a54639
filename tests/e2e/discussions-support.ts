/**
 * Helpers for the discussion journeys: people and groups named for this test, an open
 * group with a two-factor owner (moderation needs it), the posts of a thread in order,
 * and posting past the per-account limit (one post every 5 seconds) without fixed sleeps.
 */
import type { Locator, Page, TestInfo } from '@playwright/test';
import { open, ready } from './identity-support.ts';
import { enrolTwoFactor, expect, notice, personAt, signUp, unique, type Person } from './groups-support.ts';

/** What a post refused by the per-account limit says, by the reply box. */
export const TOO_QUICK = 'You are posting very quickly. Wait a few seconds, then post again.';

/** A police officer whose name carries the project and a random suffix (one server, one database). */
export function officerFor(info: TestInfo, given: string, family: string): Person {
	return { ...personAt(info, given, family, 'kent.police.uk'), name: `${given} ${family} ${unique(info)}` };
}

/**
 * Signs the owner up, turns two-factor on (moderating posts needs it) and creates an open
 * group for police officers and staff. Returns the group's path, e.g. "/groups/county-lines-…".
 */
export async function ownerCreatesOpenGroup(page: Page, owner: Person, groupName: string): Promise<string> {
	await signUp(page, owner);
	await page.goto('/settings/two-factor');
	await enrolTwoFactor(page);

	await open(page, '/groups/new');
	await expect(page.getByRole('heading', { level: 1, name: 'Create a group' })).toBeVisible();
	await page.getByLabel('Group name', { exact: true }).fill(groupName);
	await page
		.getByLabel('Description', { exact: true })
		.fill('Officers sharing what works in **neighbourhood policing**.');
	await page.getByRole('group', { name: 'Who can join' }).getByLabel('Open', { exact: true }).check();
	await page
		.getByRole('group', { name: 'Who the group is for' })
		.getByLabel('Police only', { exact: true })
		.check();
	await page.getByRole('button', { name: 'Create group' }).click();
	await expect(page).toHaveURL(/\/groups\/[a-z0-9-]+\?notice=group-created$/);
	await expect(notice(page)).toContainText('Your group has been created. You are its owner.');
	return new URL(page.url()).pathname;
}

/** Signs the member up and joins the open group from its page. */
export async function memberJoins(page: Page, member: Person, groupPath: string): Promise<void> {
	await signUp(page, member);
	await open(page, groupPath);
	await expect(
		page.getByText('This group is open to police officers and staff: you can join straight away.')
	).toBeVisible();
	await page.getByRole('button', { name: 'Join group' }).click();
	await expect(page).toHaveURL(`${groupPath}?notice=joined`);
	await expect(page.getByText('You are a member of this group.')).toBeVisible();
}

/** The n-th post on the thread page shown (1 is the first on the page). */
export function postAt(page: Page, n: number): Locator {
	return page
		.getByRole('main')
		.getByRole('article')
		.nth(n - 1);
}

/**
 * Submits a post (thread, reply) with the named button and waits for the page it lands on.
 * If the per-account limit refuses it, the form comes back with the text kept and says so:
 * submit it again until the limit has passed (a web-first retry, no fixed sleep).
 */
export async function submitPost(page: Page, button: string): Promise<void> {
	await expect(async () => {
		const loaded = page.waitForEvent('load');
		await page.getByRole('button', { name: button, exact: true }).click();
		await loaded;
		await ready(page);
		await expect(page.getByText(TOO_QUICK).first()).toHaveCount(0, { timeout: 1_000 });
	}).toPass({ intervals: [1_000], timeout: 20_000 });
	await expect(page).toHaveURL(/#post-\d+$/);
}

/** The id in the address's "#post-<id>", after a post has been made or edited. */
export function postIdFromUrl(page: Page): number {
	const match = /#post-(\d+)$/.exec(page.url());
	expect(match, `#post-<id> in ${page.url()}`).toBeTruthy();
	return Number(match![1]);
}
