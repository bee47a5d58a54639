/**
 * A thread page sends each post's words once: in the page, not again in its hydration data (issue
 * 22). The browser takes them from the page, so a post that changes live still shows its words
 * where a reader may see them: here a moderator's open thread, when another tab hides a post.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './groups-support.ts';
import { open, ready } from './identity-support.ts';
import {
	memberJoins,
	officerFor,
	ownerCreatesOpenGroup,
	postAt,
	postIdFromUrl,
	submitPost
} from './discussions-support.ts';

/** Live changes arrive over a WebSocket on a loaded two-core machine: allow them time. */
const LIVE = { timeout: 15_000 };

async function markLoaded(page: Page) {
	await page.evaluate(() => Object.assign(window, { musterNotReloaded: true }));
}

test.describe('live posts', () => {
	test('a post hidden in another tab keeps its words for the moderator reading the thread, without a reload', async ({
		page,
		browserFor,
		javaScriptEnabled
	}, info) => {
		test.skip(!javaScriptEnabled, 'Live updates need JavaScript; without it the page works by reload.');
		test.setTimeout(180_000);
		const owner = officerFor(info, 'Nadia', 'Okafor');
		const groupPath = await ownerCreatesOpenGroup(
			page,
			owner,
			`Handover desk ${info.project.name} ${Date.now()}`
		);
		await open(page, `${groupPath}/new`);
		await page.getByLabel('Title', { exact: true }).fill('Night shift handover');
		await page.getByLabel('Your post', { exact: true }).fill('Hand over **every open referral** by six.');
		await submitPost(page, 'Post thread');
		const threadPath = new URL(page.url()).pathname;

		const memberPage = await browserFor();
		await memberJoins(memberPage, officerFor(info, 'Sam', 'Reid'), groupPath);
		await open(memberPage, threadPath);
		await memberPage.getByLabel('Your reply', { exact: true }).fill('Ring the control room _before nine_.');
		await submitPost(memberPage, 'Post reply');
		const replyId = postIdFromUrl(memberPage);

		// The owner reads the thread as the server rendered it, with live updates on.
		await open(page, threadPath);
		await expect(page.getByText('Live', { exact: true })).toBeVisible(LIVE);
		await expect(postAt(page, 2)).toContainText('Ring the control room before nine.');
		await markLoaded(page);

		// In another tab, the owner hides the reply, giving a reason.
		const tab = await page.context().newPage();
		await open(tab, `${groupPath}/p/${replyId}/hide`);
		await tab.getByRole('textbox', { name: 'Reason' }).fill('Names a victim.');
		await tab.getByRole('button', { name: 'Hide post' }).click();
		await expect(tab).toHaveURL(new RegExp(`${threadPath}`));
		await ready(tab);

		// The open thread marks the reply hidden and still shows the moderator its words, emphasis
		// and all, taken from the page it had; the first post is as it was.
		const reply = postAt(page, 2);
		await expect(reply).toContainText('Hidden by a moderator.', LIVE);
		await expect(reply).toContainText('Only moderators can read it:');
		await expect(reply.locator('.muster-hidden-post em')).toHaveText('before nine');
		await expect(postAt(page, 1).locator('strong')).toHaveText('every open referral');
		expect(await page.evaluate(() => 'musterNotReloaded' in window)).toBe(true);

		// The member's page, live too, says only that it was hidden.
		await expect(postAt(memberPage, 2)).toContainText('Hidden by a moderator.', LIVE);
		await expect(postAt(memberPage, 2)).not.toContainText('before nine');
	});
});
