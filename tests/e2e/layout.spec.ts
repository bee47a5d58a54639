import type { Page } from '@playwright/test';
import { expect, test } from './support.ts';
import { currentCode, open, ready, submitSignIn } from './identity-support.ts';
import { submitPost } from './discussions-support.ts';
import { E2E_ADMIN_KEY, e2eLayoutAdminEmail } from './global-setup.ts';
import { PASSWORD } from '../support/accounts.ts';

/** How far the page scrolls sideways (0: it fits the window, as WCAG 1.4.10 reflow asks). */
async function sideways(page: Page): Promise<number> {
	return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test.describe('a phone-sized window, or 400% zoom on a laptop (320 CSS pixels wide)', () => {
	test('no page scrolls sideways, and the menu folds behind a button', async ({
		page,
		javaScriptEnabled
	}, info) => {
		test.setTimeout(180_000);
		await page.setViewportSize({ width: 320, height: 700 });
		const wide: string[] = [];
		const check = async (path: string) => {
			const response = await page.goto(path);
			expect([path, response?.status()]).toEqual([path, 200]);
			const overflow = await sideways(page);
			if (overflow > 0) wide.push(`${path}: ${overflow}px too wide`);
		};
		for (const path of ['/login', '/register', '/reset-password', '/accessibility']) await check(path);

		// An administrator sees every kind of page, with the widest tables.
		await open(page, '/login');
		await submitSignIn(page, e2eLayoutAdminEmail(info.project.name), PASSWORD);
		await ready(page);
		await page
			.getByLabel('Enter the code from your authenticator app', { exact: true })
			.fill(currentCode(E2E_ADMIN_KEY));
		await page.getByRole('button', { name: 'Continue', exact: true }).click();
		await expect(page).toHaveURL(/\/$/);

		const menu = page.getByRole('button', { name: 'Menu' });
		const groupsLink = page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Groups' });
		if (javaScriptEnabled) {
			await expect(menu).toBeVisible();
			await expect(groupsLink).toBeHidden();
			await menu.click();
			await expect(menu).toHaveAttribute('aria-expanded', 'true');
			await expect(groupsLink).toBeVisible();
		} else {
			// Without JavaScript the links are all there, and no button that could not work.
			await expect(menu).toBeHidden();
			await expect(groupsLink).toBeVisible();
		}

		await open(page, '/groups/new');
		await page
			.getByLabel('Group name', { exact: true })
			.fill(`Narrow screens ${info.project.name} ${Date.now()}`);
		await page.getByRole('group', { name: 'Who can join' }).getByLabel('Open', { exact: true }).check();
		await page
			.getByRole('group', { name: 'Who the group is for' })
			.getByLabel('Police and partners', { exact: true })
			.check();
		await page.getByRole('button', { name: 'Create group' }).click();
		await expect(page).toHaveURL(/\/groups\/[a-z0-9-]+\?notice=group-created$/);
		const group = new URL(page.url()).pathname;
		await open(page, `${group}/new`);
		await page.getByLabel('Title', { exact: true }).fill('A thread with a very long word and a table');
		await page
			.getByLabel('Your post', { exact: true })
			.fill(
				`${'Supercalifragilisticexpialidocious'.repeat(4)}\n\n| Force | Referrals | Outcome |\n|---|---|---|\n| Kent Police | 14 | Twelve safeguarded |\n\n> Quoted words from an earlier post\n\n\`\`\`\nconst aVeryLongLineOfCode = 'that would push the page sideways if it were not contained';\n\`\`\``
			);
		await submitPost(page, 'Post thread');
		const thread = new URL(page.url()).pathname;

		for (const path of [
			'/',
			'/groups',
			group,
			`${group}/members`,
			`${group}/new`,
			thread,
			`${group}/manage`,
			`${group}/manage/settings`,
			`${group}/manage/audit`,
			'/practice',
			'/practice/new',
			'/practice/mine',
			'/practice/review',
			'/settings',
			'/settings/password',
			'/settings/sessions',
			'/settings/two-factor',
			'/admin',
			'/admin/users',
			'/admin/audit',
			'/admin/organisations',
			'/admin/organisations/1',
			'/admin/practice'
		])
			await check(path);
		expect(wide).toEqual([]);
	});
});
