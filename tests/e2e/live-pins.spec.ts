import type { Page } from '@playwright/test';
import { expect, test } from './groups-support.ts';
import { open, ready } from './identity-support.ts';
import { memberJoins, officerFor, ownerCreatesOpenGroup, submitPost } from './discussions-support.ts';

/** Live changes arrive over a WebSocket on a loaded two-core machine: allow them time. */
const LIVE = { timeout: 15_000 };
// toHaveText normalises white space in strings, not for regular expressions: hence the \s.

/** Marks the page, so a later check can tell that it was changed in place, not reloaded. */
async function markLoaded(page: Page) {
	await page.evaluate(() => Object.assign(window, { musterNotReloaded: true }));
}
async function expectNotReloaded(page: Page) {
	expect(await page.evaluate(() => 'musterNotReloaded' in window)).toBe(true);
}

async function startThread(page: Page, groupPath: string, title: string): Promise<string> {
	await open(page, `${groupPath}/new`);
	await page.getByLabel('Title', { exact: true }).fill(title);
	await page.getByLabel('Your post', { exact: true }).fill(`About ${title.toLowerCase()}.`);
	await submitPost(page, 'Post thread');
	return new URL(page.url()).pathname;
}

/** A moderator pins or unpins the thread, giving a reason, from the thread's page. */
async function moderatorPins(page: Page, threadPath: string, action: 'Pin thread' | 'Unpin thread') {
	await open(page, threadPath);
	await page.getByText('Moderate this thread').click();
	await page.getByRole('link', { name: action }).click();
	await expect(page).toHaveURL(`${threadPath}/pin${action === 'Unpin thread' ? '?unpin' : ''}`);
	await ready(page);
	await page.getByRole('textbox', { name: 'Reason' }).fill('Everyone on the desk needs this first.');
	await page.getByRole('button', { name: action }).click();
	await expect(page).toHaveURL(threadPath);
}

test.describe('live pins', () => {
	test('a moderator pins and unpins a thread; a member’s open thread and group pages follow without reloading', async ({
		page,
		browserFor,
		javaScriptEnabled
	}, info) => {
		test.skip(!javaScriptEnabled, 'Live updates need JavaScript; without it the page works by reload.');
		test.setTimeout(180_000);
		const owner = officerFor(info, 'Priya', 'Shah');
		const groupPath = await ownerCreatesOpenGroup(page, owner, `Pin desk ${info.project.name} ${Date.now()}`);
		const olderPath = await startThread(page, groupPath, 'Standing orders');
		await startThread(page, groupPath, 'Shift swaps');

		// The member has the group's page open, and the older thread in another tab.
		const groupPage = await browserFor();
		await memberJoins(groupPage, officerFor(info, 'Tom', 'Hale'), groupPath);
		// The group's discussions, in the order shown: each thread is a list item with its heading.
		const threads = groupPage.getByRole('main').getByRole('listitem').getByRole('heading', { level: 3 });
		await expect(threads).toHaveText([/^\s*Shift swaps/, /^\s*Standing orders/]);
		const threadPage = await groupPage.context().newPage();
		await open(threadPage, olderPath);
		const title = threadPage.getByRole('heading', { level: 1 });
		await expect(title).toHaveText('Standing orders');
		await expect(threadPage.getByText('Live', { exact: true })).toBeVisible(LIVE);
		await markLoaded(groupPage);
		await markLoaded(threadPage);

		await moderatorPins(page, olderPath, 'Pin thread');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Standing orders\s+Pinned/);

		// The thread's page shows the marker and says so; the group's page moves it to the top.
		await expect(title).toHaveText(/^\s*Standing orders\s+Pinned\s*$/, LIVE);
		await expect(
			threadPage.getByRole('status').filter({ hasText: 'This thread has been pinned.' })
		).toHaveCount(1);
		await expect(threads).toHaveText([/^\s*Standing orders\s+Pinned/, /^\s*Shift swaps/], LIVE);
		await expect(
			groupPage.getByRole('status').filter({ hasText: 'Standing orders has been pinned.' })
		).toHaveCount(1);

		await moderatorPins(page, olderPath, 'Unpin thread');

		// Unpinned, it takes its place again by its latest activity, below the newer thread.
		await expect(title).toHaveText('Standing orders', LIVE);
		await expect(
			threadPage.getByRole('status').filter({ hasText: 'This thread has been unpinned.' })
		).toHaveCount(1);
		await expect(threads).toHaveText([/^\s*Shift swaps/, /^\s*Standing orders/], LIVE);
		await expect(threads.nth(1)).not.toContainText('Pinned');
		await expect(
			groupPage.getByRole('status').filter({ hasText: 'Standing orders has been unpinned.' })
		).toHaveCount(1);

		await expectNotReloaded(groupPage);
		await expectNotReloaded(threadPage);
	});
});
