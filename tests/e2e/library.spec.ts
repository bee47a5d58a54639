import { open, ready } from './identity-support.ts';
import { expect, notice, test, unique } from './groups-support.ts';
import { memberJoins, officerFor, ownerCreatesOpenGroup } from './discussions-support.ts';

const CSV_V1 = Buffer.from('force,single point of contact\nKent,DS Amira Khan\n');
const CSV_V2 = Buffer.from('force,single point of contact\nKent,DS Amira Khan\nEssex,DC Tom Reid\n');
// The first bytes of a Windows program, named as if it were a PDF.
const FAKE_PDF = (() => {
	const b = Buffer.alloc(512);
	b.write('MZ', 0, 'ascii');
	b.writeUInt32LE(0x80, 0x3c);
	b.write('PE\0\0', 0x80, 'binary');
	return b;
})();

test.describe('the group library', () => {
	test('a member adds a document, uploads a new version, and downloads either version', async ({
		page: owner,
		browserFor,
		expectAccessible
	}) => {
		test.setTimeout(180_000);
		const info = test.info();
		const title = `Force contacts ${unique(info)}`;
		const member = await browserFor();
		let groupPath = '';

		await test.step('the member opens the group’s empty library', async () => {
			groupPath = await ownerCreatesOpenGroup(
				owner,
				officerFor(info, 'Rhian', 'Evans'),
				`Referrals ${unique(info)}`
			);
			await memberJoins(member, officerFor(info, 'Tom', 'Reid'), groupPath);
			await member.getByRole('link', { name: 'Library: the group’s documents and files' }).click();
			await ready(member);
			await expect(member.getByRole('heading', { level: 1, name: 'Library' })).toBeVisible();
			await expect(member.getByText('There are no documents here yet. Upload the first one.')).toBeVisible();
			await expect(member.getByText('Files on this Muster are not scanned for viruses')).toBeVisible();
			await expectAccessible(member);
		});

		await test.step('the member uploads a CSV with a title and description', async () => {
			await member.getByRole('link', { name: 'Upload a document' }).click();
			await ready(member);
			await expect(member.getByRole('heading', { level: 1, name: 'Upload a document' })).toBeVisible();
			await expectAccessible(member);
			await member.getByLabel('Title', { exact: true }).fill(title);
			await member.getByLabel('Description (optional)').fill('Who to call in each force.');
			await member.getByLabel('File', { exact: true }).setInputFiles({
				name: 'contacts.csv',
				mimeType: 'text/csv',
				buffer: CSV_V1
			});
			await member.getByRole('button', { name: 'Upload document' }).click();
			await expect(notice(member)).toContainText('The document has been added to the library.');
			await expect(member.getByRole('heading', { level: 1, name: title })).toBeVisible();
			await expect(member.locator('p', { hasText: 'Who to call in each force.' })).toBeVisible();
			await expect(
				member.locator('.govuk-summary-list').getByText('CSV spreadsheet, 49 bytes', { exact: true })
			).toBeVisible();
			await expectAccessible(member);
		});

		await test.step('the member uploads a new version; both are listed with who and when', async () => {
			await member.getByLabel('New version', { exact: true }).setInputFiles({
				name: 'contacts-2.csv',
				mimeType: 'text/csv',
				buffer: CSV_V2
			});
			await member.getByRole('button', { name: 'Upload new version' }).click();
			await expect(notice(member)).toContainText('The new version has been added.');
			const versions = member.getByRole('table').filter({ hasText: 'contacts-2.csv' });
			await expect(versions.getByRole('row')).toHaveCount(3);
			await expect(versions.getByRole('row').nth(1)).toContainText('2');
			await expect(versions.getByRole('row').nth(1)).toContainText('by Tom Reid');
			await expect(versions.getByRole('row').nth(2)).toContainText('contacts.csv');
			await expectAccessible(member);
		});

		await test.step('the first version downloads with its own name and contents', async () => {
			const link = member.getByRole('link', { name: 'contacts.csv (version 1)' });
			const href = await link.getAttribute('href');
			expect(href).toMatch(/^\/files\/\d+\/contacts\.csv$/);
			if (info.project.use.javaScriptEnabled) {
				const [download] = await Promise.all([member.waitForEvent('download'), link.click()]);
				expect(download.suggestedFilename()).toBe('contacts.csv');
				const path = await download.path();
				const { readFile } = await import('node:fs/promises');
				expect((await readFile(path!)).equals(CSV_V1)).toBe(true);
			}
			// The same address, as the member's browser fetches it: the bytes, as a download.
			const res = await member.request.get(href!);
			expect(res.status()).toBe(200);
			expect(res.headers()['content-disposition']).toMatch(/^attachment; filename="contacts\.csv"/);
			expect((await res.body()).equals(CSV_V1)).toBe(true);
		});

		await test.step('the library lists the document with its type, size and version', async () => {
			await open(member, `${groupPath}/library`);
			const row = member.getByRole('row').filter({ hasText: title });
			await expect(row).toContainText('CSV spreadsheet');
			await expect(row).toContainText('67 bytes');
			await expect(row.getByRole('cell').nth(3)).toHaveText('2');
			// Someone outside the group finds nothing at the file's address.
			const outsider = await browserFor();
			const response = await outsider.request.get(`${groupPath}/library`, { maxRedirects: 0 });
			expect([302, 303]).toContain(response.status());
		});
	});

	test('a refused upload says why, beside the file, and keeps what was typed', async ({
		page: owner,
		expectAccessible
	}) => {
		test.setTimeout(120_000);
		const info = test.info();
		const groupPath = await ownerCreatesOpenGroup(
			owner,
			officerFor(info, 'Priya', 'Nair'),
			`Training ${unique(info)}`
		);
		await open(owner, `${groupPath}/library/upload`);
		await owner.getByLabel('Title', { exact: true }).fill('Briefing pack');
		await owner.getByLabel('Description (optional)').fill('For new starters.');
		await owner.getByLabel('File', { exact: true }).setInputFiles({
			name: 'briefing.pdf',
			mimeType: 'application/pdf',
			buffer: FAKE_PDF
		});
		await owner.getByRole('button', { name: 'Upload document' }).click();
		const summary = owner.getByRole('alert').filter({ hasText: 'There is a problem' });
		await expect(summary).toContainText('This file is a Windows program, which Muster does not accept.');
		await expect(owner.getByLabel('Title', { exact: true })).toHaveValue('Briefing pack');
		await expect(owner.getByLabel('Description (optional)')).toHaveValue('For new starters.');
		await expect(owner.locator('#file-error')).toContainText('Windows program');
		await expectAccessible(owner);
		// Nothing was added.
		await open(owner, `${groupPath}/library`);
		await expect(owner.getByText('There are no documents here yet.')).toBeVisible();
	});

	test('with JavaScript, an upload shows its progress and then the document', async ({
		page: owner,
		javaScriptEnabled,
		expectAccessible
	}) => {
		test.skip(
			!javaScriptEnabled,
			'the progress bar is drawn by JavaScript; without it the browser shows its own'
		);
		test.setTimeout(120_000);
		const info = test.info();
		const groupPath = await ownerCreatesOpenGroup(
			owner,
			officerFor(info, 'Ewan', 'Scott'),
			`Slides ${unique(info)}`
		);
		await open(owner, `${groupPath}/library/upload`);
		await owner.getByLabel('Title', { exact: true }).fill('Induction notes');
		await owner.getByLabel('File', { exact: true }).setInputFiles({
			name: 'induction.txt',
			mimeType: 'text/plain',
			buffer: Buffer.alloc(600 * 1024, 'Notes for new starters. ')
		});
		// A slow connection, so the upload takes a few seconds.
		const cdp = await owner.context().newCDPSession(owner);
		await cdp.send('Network.enable');
		await cdp.send('Network.emulateNetworkConditions', {
			offline: false,
			latency: 20,
			downloadThroughput: -1,
			uploadThroughput: 150 * 1024
		});
		await owner.getByRole('button', { name: 'Upload document' }).click();
		const progress = owner.getByRole('progressbar');
		await expect(progress).toBeVisible();
		await expect(owner.getByText(/^Uploading: \d+%$/)).toBeVisible();
		await expect(owner.getByRole('button', { name: 'Upload document' })).toBeDisabled();
		await expectAccessible(owner);
		await expect(notice(owner)).toContainText('The document has been added to the library.', {
			timeout: 60_000
		});
		await cdp.send('Network.emulateNetworkConditions', {
			offline: false,
			latency: 0,
			downloadThroughput: -1,
			uploadThroughput: -1
		});
		await expect(owner.getByRole('heading', { level: 1, name: 'Induction notes' })).toBeVisible();
		await expect(
			owner.locator('.govuk-summary-list').getByText('Text file, 600 KB', { exact: true })
		).toBeVisible();
	});
});
