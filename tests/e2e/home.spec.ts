import { expect, test } from './support.ts';

test.describe('home page', () => {
	test('shows the Muster name, what it is for, and where signing in will be', async ({ page }) => {
		await page.goto('/');
		await expect(page).toHaveTitle('Muster');
		await expect(page.getByRole('heading', { level: 1, name: 'Muster' })).toBeVisible();
		await expect(page.getByText('share good practice and discuss it in moderated groups')).toBeVisible();
		await expect(page.getByRole('heading', { level: 2, name: 'Sign in' })).toBeVisible();
		await expect(page.getByText('Signing in is not available yet.')).toBeVisible();
		await expect(page.getByRole('link', { name: 'Muster', exact: true })).toHaveAttribute('href', '/');
	});

	test('has no axe violations (WCAG 2.2 AA)', async ({ page, expectAccessible }) => {
		await page.goto('/');
		await expectAccessible();
	});

	test('the skip link is the first stop for the keyboard and moves to the content', async ({ page }) => {
		await page.goto('/');
		await page.keyboard.press('Tab');
		const skip = page.getByRole('link', { name: 'Skip to main content' });
		await expect(skip).toBeFocused();
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(/#main-content$/);
		await expect(page.locator('#main-content')).toBeFocused();
	});

	test('an unknown address shows a helpful "Page not found"', async ({ page, expectAccessible }) => {
		const response = await page.goto('/no-such-page');
		expect(response?.status()).toBe(404);
		await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
		await page.getByRole('link', { name: 'Go to the Muster home page' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Muster' })).toBeVisible();
		await expectAccessible();
	});
});

test.describe('live connection', () => {
	test('a WebSocket ping to /ws gets its pong', async ({ page, javaScriptEnabled }) => {
		test.skip(!javaScriptEnabled, 'WebSockets need JavaScript; without it pages work by reload.');
		await page.goto('/');
		const reply = await page.evaluate(
			() =>
				new Promise<unknown>((resolve, reject) => {
					const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws`);
					socket.onopen = () => socket.send(JSON.stringify({ type: 'ping' }));
					socket.onmessage = (event) => {
						resolve(JSON.parse(String(event.data)));
						socket.close();
					};
					socket.onerror = () => reject(new Error('WebSocket failed'));
				})
		);
		expect(reply).toEqual({ type: 'pong' });
	});
});
