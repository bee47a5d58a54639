import { open, ready } from './identity-support.ts';
import { expect, signUp, test, unique } from './groups-support.ts';
import { officerFor, ownerCreatesOpenGroup, submitPost } from './discussions-support.ts';

test.describe('search', () => {
	test('an officer searches from the header, narrows to one kind, opens a hit at its post, and meets the empty state; an outsider finds nothing', async ({
		page: officer,
		browserFor,
		expectAccessible,
		javaScriptEnabled
	}) => {
		// Two people sign up (one with two-factor), a thread and a reply, and five axe checks.
		test.setTimeout(180_000);
		const info = test.info();
		const officerPerson = officerFor(info, 'Mina', 'Hale');
		const outsiderPerson = officerFor(info, 'Tom', 'Reyes');
		// A word nobody else's test writes, so the counts below are this test's own.
		const word = `quokka${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;
		const title = `Car wash visits ${word}`;
		let groupPath = '';

		await test.step('the officer starts a thread and replies in a group', async () => {
			groupPath = await ownerCreatesOpenGroup(officer, officerPerson, `Labour exploitation ${unique(info)}`);
			await officer.getByRole('link', { name: 'Start a new thread' }).click();
			await ready(officer);
			await officer.getByLabel('Title', { exact: true }).fill(title);
			await officer
				.getByLabel('Your post', { exact: true })
				.fill(`Workers were being exploited at ${word} sites.`);
			await submitPost(officer, 'Post thread');
			await officer
				.getByLabel('Your reply', { exact: true })
				.fill(`Referrals for exploitation went up (${word}).`);
			await submitPost(officer, 'Post reply');
		});

		await test.step('searching from the header finds both posts, with the words marked', async () => {
			await open(officer, '/');
			const box = officer.getByRole('search', { name: 'Muster' }).getByLabel('Search Muster');
			await box.focus();
			await officer.keyboard.type(`exploited ${word}`);
			await officer.keyboard.press('Enter');
			await expect(officer).toHaveURL(/\/search\?q=exploited\+quokka/);
			await ready(officer);
			await expect(officer).toHaveTitle(`Search results for “exploited ${word}” – Muster`);
			await expect(officer.getByRole('heading', { level: 2, name: '2 results' })).toBeVisible();
			const results = officer.getByRole('list', { name: '2 results' }).getByRole('listitem');
			await expect(results).toHaveCount(2);
			// "exploited" finds "exploitation" too (English stemming), and the snippet marks it.
			await expect(officer.locator('mark', { hasText: 'exploitation' })).toBeVisible();
			await expect(officer.locator('mark', { hasText: 'exploited' })).toBeVisible();
			await expectAccessible(officer);
		});

		await test.step('the kind filter narrows the results, and its count is kept', async () => {
			await officer
				.getByRole('navigation', { name: 'Kinds of result' })
				.getByRole('link', { name: 'Posts and replies (2)' })
				.click();
			await expect(officer).toHaveURL(/kind=post/);
			await expect(officer.getByText('Posts and replies (2)')).toBeVisible();
			await open(officer, `/search?q=${word}`);
			await expect(officer.getByRole('heading', { level: 2, name: '3 results' })).toBeVisible();
			await officer.getByRole('link', { name: 'Thread titles (1)' }).click();
			await expect(officer.getByRole('heading', { level: 2, name: '1 result' })).toBeVisible();
			await expect(officer.getByRole('link', { name: title })).toBeVisible();
			await expectAccessible(officer);
		});

		await test.step('a hit opens the thread at that post', async () => {
			await open(officer, `/search?q=referrals+${word}`);
			await officer.getByRole('link', { name: `Post 2 in ${title}` }).click();
			await expect(officer).toHaveURL(/\/t\/\d+-car-wash-visits-quokka[0-9a-f]+\?page=1#post-\d+$/);
			const id = new URL(officer.url()).hash.slice(1);
			await expect(officer.locator(`[id="${id}"]`)).toContainText('Referrals for exploitation went up');
		});

		await test.step('no results: the page says so and what to try', async () => {
			await open(officer, `/search?q=nothing${word}&kind=post`);
			await expect(officer.getByRole('heading', { level: 2, name: '0 results' })).toBeVisible();
			await expect(officer.getByText(`There are no results for “nothing${word}”.`)).toBeVisible();
			await expect(officer.getByText('check the spelling')).toBeVisible();
			await expectAccessible(officer);
			// A search too long to run says so, and keeps what was typed.
			await open(officer, `/search?q=${'a'.repeat(300)}`);
			await expect(
				officer.getByRole('link', { name: /Shorten it to 256 characters or fewer/ })
			).toBeVisible();
			await expect(officer.getByLabel('Search threads, posts, good practice, groups and people')).toHaveValue(
				'a'.repeat(300)
			);
			await expectAccessible(officer);
		});

		if (javaScriptEnabled)
			await test.step('with JavaScript, the header box suggests titles as the officer types', async () => {
				await open(officer, '/');
				const box = officer.getByRole('combobox', { name: 'Search Muster' });
				await box.fill(`car wash visits ${word.slice(0, 8)}`);
				const option = officer.getByRole('option', { name: new RegExp(title) });
				await expect(option).toBeVisible();
				await expectAccessible(officer);
				await box.press('ArrowDown');
				await expect(box).toHaveAttribute('aria-activedescendant', 'header-suggestions-0');
				await box.press('Enter');
				await expect(officer).toHaveURL(/\/t\/\d+-car-wash-visits-quokka[0-9a-f]+$/);
			});

		await test.step('someone outside the group finds none of it', async () => {
			const outsider = await browserFor();
			await signUp(outsider, outsiderPerson);
			await open(outsider, `/search?q=${word}`);
			await expect(outsider.getByRole('heading', { level: 2, name: '0 results' })).toBeVisible();
			await expect(outsider.getByText(title)).toHaveCount(0);
			await expectAccessible(outsider);
			// The group page offers to search the group to those who may read it.
			await open(officer, groupPath);
			await expect(officer.getByRole('search', { name: 'Search this group' })).toBeVisible();
		});
	});
});
