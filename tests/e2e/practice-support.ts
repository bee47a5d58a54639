/**
 * Helpers for the good-practice journeys: the administrator for this project (the one role
 * no page can give, made by global-setup.ts before the host started, as
 * `npm run admin -- create-admin` would), the form's fields filled as an author would, and
 * the library's filters.
 */
import type { Locator, Page, TestInfo } from '@playwright/test';
import { currentCode, ready, submitSignIn } from './identity-support.ts';
import { expect, notice, type Person } from './groups-support.ts';
import { E2E_ADMIN_KEY, e2eAdminEmail } from './global-setup.ts';
import { PASSWORD } from '../support/accounts.ts';

/** Signs in as this project's administrator, with a two-factor code. */
export async function signInAdministrator(page: Page, info: TestInfo): Promise<void> {
	await page.goto('/login');
	await ready(page);
	await submitSignIn(page, e2eAdminEmail(info.project.name), PASSWORD);
	await expect(page).toHaveURL(/\/login\/two-factor/);
	await ready(page);
	await page
		.getByLabel('Enter the code from your authenticator app', { exact: true })
		.fill(currentCode(E2E_ADMIN_KEY));
	await page.getByRole('button', { name: 'Continue', exact: true }).click();
	await expect(page).toHaveURL(/\/$/);
}

/** On /admin/users: finds the account by e-mail address and opens it. */
export async function openAccountAsAdministrator(admin: Page, person: Person): Promise<void> {
	await admin.goto('/admin/users');
	await expect(admin.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible();
	await ready(admin);
	await admin
		.getByLabel('Search by name, e-mail address or organisation', { exact: true })
		.fill(person.email);
	await admin.getByRole('button', { name: 'Search', exact: true }).click();
	await expect(admin).toHaveURL(/\/admin\/users\?q=/);
	await admin.getByRole('link', { name: person.name, exact: true }).click();
	await expect(admin).toHaveURL(/\/admin\/users\/[0-9a-f-]{36}$/);
	await expect(admin.getByRole('heading', { level: 1, name: person.name })).toBeVisible();
	await ready(admin);
}

/** What an entry says, field by field, as the author types it. */
export interface Entry {
	title: string;
	summary: string;
	aim: string;
	done: string;
	outcome: string;
	results: string;
	lessons: string;
	/** The "Does it work?" option's label, e.g. "It worked". */
	effectiveness: string;
	stage: string;
	topics: string[];
	leadOrganisation: string;
	partners: string;
	region: string;
	scale: string;
	targetGroup: string;
	startDate: string;
	endDate: string;
	contact: string;
	links: string[];
}

/** A labelled field of the practice form (exact label, so "Title" is not "Title or summary"). */
export function field(page: Page, label: string): Locator {
	return page.getByLabel(label, { exact: true });
}

/** A GOV.UK date input (day, month, year), filled from "YYYY-MM-DD" as a person would type it. */
async function fillDate(page: Page, legend: string, iso: string): Promise<void> {
	const [year, month, day] = iso.split('-');
	const group = page.getByRole('group', { name: legend });
	await group.getByLabel('Day', { exact: true }).fill(String(Number(day)));
	await group.getByLabel('Month', { exact: true }).fill(String(Number(month)));
	await group.getByLabel('Year', { exact: true }).fill(year!);
}

async function expectDate(page: Page, legend: string, iso: string): Promise<void> {
	const [year, month, day] = iso.split('-');
	const group = page.getByRole('group', { name: legend });
	await expect(group.getByLabel('Day', { exact: true })).toHaveValue(String(Number(day)));
	await expect(group.getByLabel('Month', { exact: true })).toHaveValue(String(Number(month)));
	await expect(group.getByLabel('Year', { exact: true })).toHaveValue(year!);
}

/** Fills every field of the practice form. */
export async function fillPracticeForm(page: Page, entry: Entry): Promise<void> {
	await field(page, 'Title').fill(entry.title);
	await field(page, 'Summary').fill(entry.summary);
	await field(page, 'Aim or problem').fill(entry.aim);
	await field(page, 'What was done').fill(entry.done);
	await field(page, 'Intended outcome').fill(entry.outcome);
	await field(page, 'Results and evidence').fill(entry.results);
	await field(page, 'Lessons and costs').fill(entry.lessons);
	await page
		.getByRole('group', { name: 'Does it work?' })
		.getByLabel(entry.effectiveness, { exact: true })
		.check();
	await page.getByRole('group', { name: 'Stage' }).getByLabel(entry.stage, { exact: true }).check();
	const topics = page.getByRole('group', { name: 'Topics' });
	for (const topic of entry.topics) await topics.getByLabel(topic, { exact: true }).check();
	await field(page, 'Lead organisation').selectOption({ label: entry.leadOrganisation });
	await field(page, 'Partner organisations').fill(entry.partners);
	await field(page, 'Region').selectOption({ label: entry.region });
	await page.getByRole('group', { name: 'Scale' }).getByLabel(entry.scale, { exact: true }).check();
	await field(page, 'Target group').fill(entry.targetGroup);
	await fillDate(page, 'Start date', entry.startDate);
	await fillDate(page, 'End date', entry.endDate);
	await field(page, 'Named contact').fill(entry.contact);
	await field(page, 'Links').fill(entry.links.join('\n'));
}

/** The form shows what was saved: every field, as the author left it. */
export async function expectPracticeForm(page: Page, entry: Entry): Promise<void> {
	await expect(field(page, 'Title')).toHaveValue(entry.title);
	await expect(field(page, 'Summary')).toHaveValue(entry.summary);
	await expect(field(page, 'Aim or problem')).toHaveValue(entry.aim);
	await expect(field(page, 'What was done')).toHaveValue(entry.done);
	await expect(field(page, 'Intended outcome')).toHaveValue(entry.outcome);
	await expect(field(page, 'Results and evidence')).toHaveValue(entry.results);
	await expect(field(page, 'Lessons and costs')).toHaveValue(entry.lessons);
	await expect(
		page.getByRole('group', { name: 'Does it work?' }).getByLabel(entry.effectiveness, { exact: true })
	).toBeChecked();
	await expect(
		page.getByRole('group', { name: 'Stage' }).getByLabel(entry.stage, { exact: true })
	).toBeChecked();
	const topics = page.getByRole('group', { name: 'Topics' });
	for (const topic of entry.topics) await expect(topics.getByLabel(topic, { exact: true })).toBeChecked();
	await expect(field(page, 'Lead organisation').locator('option:checked')).toHaveText(entry.leadOrganisation);
	await expect(field(page, 'Partner organisations')).toHaveValue(entry.partners);
	await expect(field(page, 'Region').locator('option:checked')).toHaveText(entry.region);
	await expect(
		page.getByRole('group', { name: 'Scale' }).getByLabel(entry.scale, { exact: true })
	).toBeChecked();
	await expect(field(page, 'Target group')).toHaveValue(entry.targetGroup);
	await expectDate(page, 'Start date', entry.startDate);
	await expectDate(page, 'End date', entry.endDate);
	await expect(field(page, 'Named contact')).toHaveValue(entry.contact);
	await expect(field(page, 'Links')).toHaveValue(entry.links.join('\n'));
}

/** A row of the entry's summary list ("Stage", "Region", …). */
export function summaryRow(page: Page, key: string): Locator {
	return page
		.getByRole('main')
		.locator('.govuk-summary-list__row')
		.filter({ has: page.getByRole('term').filter({ hasText: new RegExp(`^${key}$`) }) })
		.getByRole('definition');
}

/** The entry's state, as the tag beside its heading says ("Draft", "In review", …). */
export function stateTag(page: Page): Locator {
	return page.getByRole('main').locator('strong.govuk-tag').first();
}

/** A filter's option whose label starts with `label` and ends with a count: "It worked (3)". */
export function filterOption(page: Page, filter: string, label: string): Locator {
	const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return field(page, filter)
		.locator('option')
		.filter({ hasText: new RegExp(`^${escaped} \\(\\d+\\)$`) });
}

/** Chooses a filter's option by its label (whatever its count) and returns the label shown. */
export async function chooseFilter(page: Page, filter: string, label: string): Promise<string> {
	const option = filterOption(page, filter, label);
	await expect(option).toHaveCount(1);
	const value = await option.getAttribute('value');
	await field(page, filter).selectOption(value!);
	return (await option.textContent())!.trim();
}

export { notice };
