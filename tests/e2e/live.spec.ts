import { expect, test } from './groups-support.ts';
import { open } from './identity-support.ts';
import { memberJoins, officerFor, ownerCreatesOpenGroup, postAt, submitPost } from './discussions-support.ts';

test.describe('live threads', () => {
	test('a reply appears for another reader without reloading, and nothing is missed after being offline', async ({
		page,
		browserFor,
		javaScriptEnabled,
		expectAccessible
	}, info) => {
		test.skip(!javaScriptEnabled, 'Live updates need JavaScript; without it the page works by reload.');
		test.setTimeout(180_000);
		const owner = officerFor(info, 'Lena', 'Marsh');
		const groupPath = await ownerCreatesOpenGroup(
			page,
			owner,
			`Live desk ${info.project.name} ${Date.now()}`
		);
		const readerPage = await browserFor();
		await memberJoins(readerPage, officerFor(info, 'Omar', 'Reid'), groupPath);

		await open(page, `${groupPath}/new`);
		await page.getByLabel('Title', { exact: true }).fill('Overnight briefing');
		await page.getByLabel('Your post', { exact: true }).fill('Starting the log.');
		await submitPost(page, 'Post thread');
		const threadPath = new URL(page.url()).pathname;
		// The reader, still on the group's page, sees the new thread arrive at the top.
		await expect(readerPage.getByRole('link', { name: 'Overnight briefing' })).toBeVisible();

		await open(readerPage, threadPath);
		await expect(readerPage.getByText('Live', { exact: true })).toBeVisible();
		await expectAccessible(readerPage);

		// Typing "@" offers the group's members; Enter inserts the mention.
		const replyBox = page.getByRole('combobox', { name: 'Your reply' });
		await replyBox.fill('');
		await replyBox.pressSequentially('Thanks @Om');
		await expect(page.getByRole('option', { name: /@Omar Reid/ })).toBeVisible();
		await replyBox.press('Enter');
		await expect(replyBox).toHaveValue(/^Thanks @Omar Reid .+ $/);

		// The preview follows the typing, rendered by the server.
		await page.getByLabel('Your reply', { exact: true }).fill('A **bold** preview');
		await expect(page.getByRole('region', { name: 'Preview' }).locator('strong')).toHaveText('bold');

		// One reply, seen by the reader without reloading.
		await page.getByLabel('Your reply', { exact: true }).fill('First update from the control room.');
		await submitPost(page, 'Post reply');
		await expect(postAt(readerPage, 2)).toContainText('First update from the control room.');
		await expect(readerPage.getByRole('status').filter({ hasText: 'New reply from' })).toHaveCount(1);

		// The reader goes through a tunnel; three replies are posted meanwhile. The page says it is
		// offline at once (not a green "Live" while nothing can arrive).
		await readerPage.context().setOffline(true);
		await expect(
			readerPage.getByText('Offline: new posts will appear when you are back online')
		).toBeVisible();
		for (const text of ['Second update.', 'Third update.', 'Fourth update.']) {
			await page.getByLabel('Your reply', { exact: true }).fill(text);
			await submitPost(page, 'Post reply');
		}
		await readerPage.context().setOffline(false);
		await expect(postAt(readerPage, 5)).toContainText('Fourth update.');
		await expect(readerPage.getByText('Live', { exact: true })).toBeVisible();
		const texts = await readerPage.getByRole('main').getByRole('article').allTextContents();
		expect(
			texts.filter((t) => /update/.test(t)).map((t) => t.match(/(First|Second|Third|Fourth) update/)?.[0])
		).toEqual(['First update', 'Second update', 'Third update', 'Fourth update']);

		// The reader leaves the group in another tab: this thread stops streaming at once and says
		// so, instead of still showing "Live" while nothing more can arrive.
		const elsewhere = await readerPage.context().newPage();
		await open(elsewhere, `${groupPath}/leave`);
		await elsewhere.getByRole('button', { name: 'Leave group' }).click();
		await expect(readerPage.getByText('Stopped: reload for new posts')).toBeVisible();
		await expect(readerPage.getByRole('status').filter({ hasText: 'Live updates have stopped' })).toHaveCount(
			1
		);
	});
});
