import {
	currentCode,
	expect,
	expectHome,
	fillRegistration,
	keyFromManualEntry,
	newPerson,
	open,
	ready,
	registerAndConfirm,
	signOut,
	submitSignIn,
	test,
	verificationLinkFor
} from './identity-support.ts';
import { mailTo, mailsTo } from './support.ts';

test.describe('registering and signing in', () => {
	test('register with a police address, confirm it from the e-mail, sign in and reach home', async ({
		page,
		expectAccessible
	}) => {
		const person = newPerson(test.info());

		await open(page, '/register');
		await expect(page).toHaveTitle('Create an account – Muster');
		await expect(page.getByRole('heading', { level: 1, name: 'Create a Muster account' })).toBeVisible();
		await expectAccessible();
		await fillRegistration(page, person);

		await expect(page).toHaveURL(/\/register\/check-email\?/);
		await expect(page.getByRole('heading', { level: 1, name: 'Check your e-mail' })).toBeVisible();
		await expect(page.getByText(`We have sent an e-mail to ${person.email}.`)).toBeVisible();
		await expectAccessible();

		const link = await verificationLinkFor(page, person.email);
		await page.goto(link);
		await expect(page).toHaveTitle('Confirm your e-mail address – Muster');
		await expect(page.getByRole('heading', { level: 1, name: 'Confirm your e-mail address' })).toBeVisible();
		await expectAccessible();
		await page.getByRole('button', { name: 'Confirm my e-mail address' }).click();

		await expect(page).toHaveURL(/\/login\?notice=verified$/);
		await expect(page.getByText('Your e-mail address is confirmed. Sign in to continue.')).toBeVisible();
		await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Muster' })).toBeVisible();
		await expectAccessible();
		await ready(page);
		await submitSignIn(page, person.email, person.password);

		await expectHome(page, person);
		await expect(page).toHaveTitle('Home – Muster');
		await expect(page.getByText('You are signed in as a member of Kent Police.')).toBeVisible();
		await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
		await expectAccessible();

		// The link works once.
		await page.goto(link);
		await expect(page.getByRole('heading', { level: 1, name: 'This link cannot be used' })).toBeVisible();
		await expect(page.getByText('This link has already been used.')).toBeVisible();
	});
});

test.describe('two-factor authentication', () => {
	test('enrol with a code from the shown key, then sign in with a code and with a recovery code', async ({
		page,
		expectAccessible
	}) => {
		test.slow(); // Three sign-ins and seven accessibility checks.
		const person = newPerson(test.info(), 'Sam');
		await registerAndConfirm(page, person);
		await submitSignIn(page, person.email, person.password);
		await expectHome(page, person);

		// Settings, then the enrolment page.
		await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Your account' }).click();
		await expect(page).toHaveURL(/\/settings$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
		await expectAccessible();
		await page.getByRole('link', { name: 'Two-factor authentication' }).click();

		await expect(page).toHaveURL(/\/settings\/two-factor$/);
		await expect(
			page.getByRole('heading', { level: 1, name: 'Set up two-factor authentication' })
		).toBeVisible();
		await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
		await expectAccessible();
		const key = keyFromManualEntry((await page.getByTestId('totp-key').textContent()) ?? '');
		expect(key).toHaveLength(20);

		await page.getByLabel('Code from your authenticator app', { exact: true }).fill(currentCode(key));
		await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();

		// The recovery codes, shown once.
		await expect(page.getByText('Two-factor authentication is on.')).toBeVisible();
		await expect(page.getByRole('heading', { level: 1, name: 'Save your recovery codes' })).toBeVisible();
		const codeItems = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
		await expect(codeItems).toHaveCount(10);
		const recoveryCodes = (await codeItems.allTextContents()).map((c) => c.trim());
		for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
		expect(new Set(recoveryCodes).size).toBe(10);
		await expectAccessible();
		await page.getByRole('link', { name: 'Continue to Muster' }).click();
		await expectHome(page, person);

		// Signing in now asks for a code after the password.
		await signOut(page);
		await submitSignIn(page, person.email, person.password);
		await expect(page).toHaveURL(/\/login\/two-factor$/);
		await expect(page).toHaveTitle('Enter your security code – Muster');
		const codeField = page.getByLabel('Enter the code from your authenticator app', { exact: true });
		await expect(
			page.getByRole('heading', { level: 1, name: 'Enter the code from your authenticator app' })
		).toBeVisible();
		await expectAccessible();
		await codeField.fill(currentCode(key));
		await page.getByRole('button', { name: 'Continue' }).click();
		await expectHome(page, person);

		// And a recovery code instead of the app.
		await signOut(page);
		await submitSignIn(page, person.email, person.password);
		await expect(page).toHaveURL(/\/login\/two-factor$/);
		await page.getByRole('link', { name: 'I cannot use my authenticator app' }).click();
		await expect(page).toHaveURL(/\/login\/recovery-code$/);
		await expect(page).toHaveTitle('Use a recovery code – Muster');
		await expect(page.getByRole('heading', { level: 1, name: 'Enter a recovery code' })).toBeVisible();
		await expectAccessible();
		await page.getByLabel('Enter a recovery code', { exact: true }).fill(recoveryCodes[3]!);
		await page.getByRole('button', { name: 'Continue' }).click();
		await expectHome(page, person);

		// The code is spent: nine are left.
		await page.goto('/settings/two-factor');
		await expect(page.getByText('You have 9 unused recovery codes.')).toBeVisible();
	});
});

test.describe('mistakes people make', () => {
	test('a too-short password is explained, linked to its field, and the other answers are kept', async ({
		page,
		expectAccessible
	}) => {
		const person = { ...newPerson(test.info(), 'Jo'), password: 'short pass' };
		await open(page, '/register');
		await fillRegistration(page, person);

		await expect(page).toHaveTitle('Error: Create an account – Muster');
		const summary = page.getByRole('alert');
		await expect(summary.getByRole('heading', { level: 2, name: 'There is a problem' })).toBeVisible();
		const message = summary.getByRole('link', { name: 'Password must be 12 characters or more' });
		await expect(message).toBeVisible();
		await expect(message).toHaveAttribute('href', '#password');

		const password = page.getByLabel('Create a password', { exact: true });
		await expect(password).toHaveAttribute('id', 'password');
		await expect(password).toHaveAttribute('aria-invalid', 'true');
		await expect(password).toHaveAccessibleDescription(/Error:\s+Password must be 12 characters or more/);
		await expect(password).toHaveValue('');
		await expect(page.getByLabel('Work e-mail address', { exact: true })).toHaveValue(person.email);
		await expect(page.getByLabel('Your name', { exact: true })).toHaveValue(person.name);
		await expectAccessible();

		// The refused attempt sent nothing: once corrected, the only e-mail is the one confirmation
		// (mail leaves in the order it was queued, so anything earlier would have arrived first).
		await password.fill('copper kettle lighthouse marmalade');
		await page.getByRole('button', { name: 'Create account' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Check your e-mail' })).toBeVisible();
		await mailTo(person.email, 'Confirm your e-mail address for Muster');
		expect(mailsTo(person.email).map((m) => m.subject)).toEqual(['Confirm your e-mail address for Muster']);
	});

	test('a wrong password at sign-in says the e-mail address or password is incorrect', async ({
		page,
		expectAccessible
	}) => {
		const person = newPerson(test.info(), 'Kim');
		await registerAndConfirm(page, person);
		await submitSignIn(page, person.email, 'not the right password at all');

		await expect(page).toHaveTitle('Error: Sign in – Muster');
		const summary = page.getByRole('alert');
		await expect(summary.getByRole('heading', { level: 2, name: 'There is a problem' })).toBeVisible();
		await expect(
			summary.getByRole('link', { name: 'The e-mail address or password is incorrect' })
		).toHaveAttribute('href', '#email');
		await expect(page.getByLabel('E-mail address', { exact: true })).toHaveValue(person.email);
		await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
		await expectAccessible();

		// The right password still works afterwards.
		await submitSignIn(page, person.email, person.password);
		await expectHome(page, person);
	});
});

test.describe('typing before the page has finished loading', () => {
	test('what someone typed before the JavaScript arrived is still there once it has', async ({
		page,
		javaScriptEnabled
	}) => {
		test.skip(!javaScriptEnabled, 'Only with JavaScript: without it nothing replaces the page.');
		// A slow connection: the page's scripts arrive only after the person has typed.
		let release!: () => void;
		const scriptsMayLoad = new Promise<void>((resolve) => (release = resolve));
		await page.route(/\.m?js(\?|$)/, async (route) => {
			await scriptsMayLoad;
			await route.continue();
		});
		const person = newPerson(test.info(), 'Lee');
		await page.goto('/register', { waitUntil: 'domcontentloaded' });
		await page.getByLabel('Work e-mail address', { exact: true }).fill(person.email);
		await page.getByLabel('Your name', { exact: true }).fill(person.name);

		release();
		await ready(page);
		await expect.soft(page.getByLabel('Work e-mail address', { exact: true })).toHaveValue(person.email);
		await expect.soft(page.getByLabel('Your name', { exact: true })).toHaveValue(person.name);
	});
});
