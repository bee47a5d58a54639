import { expect, test } from './support.ts';
import { newPerson, ready, registerAndConfirm, submitSignIn } from './identity-support.ts';

test.describe('the way in', () => {
	test('an anonymous visitor is sent to sign in, which says what Muster is', async ({ page }) => {
		await page.goto('/');
		await expect(page).toHaveURL(/\/login$/);
		await expect(page).toHaveTitle('Sign in – Muster');
		await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Muster' })).toBeVisible();
		await expect(page.getByText('share good practice and discuss it in moderated groups')).toBeVisible();
		await expect(page.getByText(/\d+ police forces and partner organisations take part/)).toBeVisible();
		await expect(page.getByRole('link', { name: 'Create an account' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Muster', exact: true })).toHaveAttribute('href', '/');
	});

	test('has no axe violations (WCAG 2.2 AA)', async ({ page, expectAccessible }) => {
		await page.goto('/login');
		await expectAccessible();
		await page.goto('/accessibility');
		await expect(
			page.getByRole('heading', { level: 1, name: 'Accessibility statement for Muster' })
		).toBeVisible();
		await expectAccessible();
	});

	test('the skip link is the first stop for the keyboard and moves to the content', async ({ page }) => {
		await page.goto('/login');
		await page.keyboard.press('Tab');
		const skip = page.getByRole('link', { name: 'Skip to main content' });
		await expect(skip).toBeFocused();
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(/#main-content$/);
		await expect(page.locator('#main-content')).toBeFocused();
	});

	test('opened by another name for the same machine, Muster moves to its own address and signing in works', async ({
		page
	}) => {
		const person = newPerson(test.info(), 'Lee');
		await registerAndConfirm(page, person);
		const own = new URL(process.env.MUSTER_E2E_URL!);
		const other = own.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
		await page.goto(`http://${other}:${own.port}/login`);
		await expect(page).toHaveURL(`${own.origin}/login`);
		await ready(page);
		await submitSignIn(page, person.email, person.password);
		await expect(page).toHaveURL(`${own.origin}/`);
	});

	test('a page behind sign-in returns there after signing in is asked for', async ({ page }) => {
		await page.goto('/settings/sessions');
		await expect(page).toHaveURL(/\/login\?next=%2Fsettings%2Fsessions$/);
	});
});

test.describe('live connection', () => {
	test('a signed-in page opens /ws and a ping gets its pong; a signed-out page cannot connect', async ({
		page,
		javaScriptEnabled
	}, info) => {
		test.skip(!javaScriptEnabled, 'WebSockets need JavaScript; without it pages work by reload.');
		const ping = () =>
			page.evaluate(
				() =>
					new Promise<unknown>((resolve) => {
						const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws`);
						socket.onopen = () => socket.send(JSON.stringify({ type: 'ping' }));
						socket.onmessage = (event) => {
							resolve(JSON.parse(String(event.data)));
							socket.close();
						};
						socket.onerror = () => resolve('refused');
					})
			);
		await page.goto('/login');
		expect(await ping()).toBe('refused');

		const person = newPerson(info, 'Wes');
		await registerAndConfirm(page, person);
		await submitSignIn(page, person.email, person.password);
		await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${person.name}` })).toBeVisible();
		expect(await ping()).toEqual({ type: 'pong' });
	});
});
