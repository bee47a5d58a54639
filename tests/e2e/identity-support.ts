/**
 * Helpers for the identity journeys: people with unique addresses, the e-mail they are
 * sent, signing in and out through the real pages, and codes from an authenticator key.
 */
import type { Page, TestInfo } from '@playwright/test';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { totpCode } from '../../src/lib/server/auth/totp.ts';
import { expect, mailTo, test } from './support.ts';

export { test };
export { expect };

export interface Person {
	name: string;
	email: string;
	password: string;
}

/** A new person for this test only: both projects share one server and one database. */
export function newPerson(info: TestInfo, given = 'Alex'): Person {
	const suffix = crypto.randomUUID().slice(0, 8);
	const project = info.project.name;
	return {
		name: `${given} Morgan ${suffix}`,
		email: `${given.toLowerCase()}.morgan.${project}.${suffix}@kent.police.uk`,
		password: 'copper kettle lighthouse marmalade'
	};
}

/**
 * With JavaScript on, waits until SvelteKit has hydrated the page: its route announcer is
 * added only once the app has mounted. Typing before then can be lost (see the hydration
 * test in identity.spec.ts). Call it after each full page load, before filling a form.
 */
export async function ready(page: Page): Promise<void> {
	const javaScriptEnabled = test.info().project.use.javaScriptEnabled !== false;
	if (javaScriptEnabled) await expect(page.locator('#svelte-announcer')).toBeAttached();
}

/** Opens a page and, with JavaScript on, waits for it to be ready for typing. */
export async function open(page: Page, path: string): Promise<void> {
	await page.goto(path);
	await ready(page);
}

export async function fillRegistration(
	page: Page,
	person: { name: string; email: string; password: string }
) {
	await page.getByLabel('Work e-mail address', { exact: true }).fill(person.email);
	await page.getByLabel('Your name', { exact: true }).fill(person.name);
	await page.getByLabel('Create a password', { exact: true }).fill(person.password);
	await page.getByRole('button', { name: 'Create account' }).click();
}

/** The confirmation link from the newest e-mail to this address (sent over SMTP to the tests' sink). */
export async function verificationLinkFor(_page: Page, email: string): Promise<string> {
	const mail = await mailTo(email, 'Confirm your e-mail address for Muster');
	const link = /https?:\/\/\S+\/verify-email\/[a-z0-9]+/.exec(mail.text)?.[0];
	expect(link, `a /verify-email/ link in:\n${mail.text}`).toBeTruthy();
	// The link names the host's own origin; open its path on the server under test.
	const { pathname } = new URL(link!);
	return pathname;
}

/** Registers and confirms the address through the pages, without checking each on the way. */
export async function registerAndConfirm(page: Page, person: Person): Promise<void> {
	await open(page, '/register');
	await fillRegistration(page, person);
	await expect(page.getByRole('heading', { level: 1, name: 'Check your e-mail' })).toBeVisible();
	await page.goto(await verificationLinkFor(page, person.email));
	await page.getByRole('button', { name: 'Confirm my e-mail address' }).click();
	await expect(page.getByText('Your e-mail address is confirmed. Sign in to continue.')).toBeVisible();
	await ready(page);
}

export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
	await page.getByLabel('E-mail address', { exact: true }).fill(email);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

export async function expectHome(page: Page, person: Person): Promise<void> {
	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${person.name}` })).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
	await page.getByRole('navigation', { name: 'Menu' }).getByRole('button', { name: 'Sign out' }).click();
	await expect(page.getByText('You have signed out.')).toBeVisible();
	await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Muster' })).toBeVisible();
	await ready(page);
}

/** The manual key as the enrolment page shows it, e.g. "ABCD EFGH …", as bytes. */
export function keyFromManualEntry(shown: string): Uint8Array {
	return decodeBase32IgnorePadding(shown.replace(/\s/g, ''));
}

/** The code an authenticator app would show now (computed at the moment of use). */
export function currentCode(key: Uint8Array): string {
	return totpCode(key, new Date());
}
