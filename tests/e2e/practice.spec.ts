import { open, ready } from './identity-support.ts';
import { mailTo } from './support.ts';
import { enrolTwoFactor, expect, personAt, signUp, test, unique } from './groups-support.ts';
import { memberJoins, officerFor, ownerCreatesOpenGroup, postAt, submitPost } from './discussions-support.ts';
import {
	chooseFilter,
	expectPracticeForm,
	field,
	fillPracticeForm,
	notice,
	openAccountAsAdministrator,
	signInAdministrator,
	stateTag,
	summaryRow,
	type Entry
} from './practice-support.ts';

test.describe('the good-practice library', () => {
	test('an officer drafts and submits an entry, a reviewer returns it, the officer resubmits, the reviewer publishes, and a partner finds it and comments', async ({
		page: officer,
		browserFor,
		expectAccessible,
		javaScriptEnabled
	}) => {
		// Four people sign up, two set up two-factor, and about twenty pages are checked with axe.
		test.setTimeout(300_000);
		const info = test.info();
		const officerPerson = officerFor(info, 'Dana', 'Okafor');
		const reviewerPerson = officerFor(info, 'Ruth', 'Adeyemi');
		const partnerPerson = personAt(info, 'Priya', 'Shah', 'nca.gov.uk');
		const tag = unique(info);
		const entry: Entry = {
			title: `Car wash welfare visits ${tag}`,
			summary: `Joint visits to hand car washes found workers in debt bondage and referred them to support (${tag}).`,
			aim: 'Hand car washes in the county were **repeatedly reported** for labour exploitation.',
			done: [
				'Neighbourhood officers and the GLAA visited together:',
				'',
				'- a welfare conversation with each worker, with an interpreter',
				'- a referral through the National Referral Mechanism where wanted'
			].join('\n'),
			outcome: 'Workers know where to get help, and exploiters know the sites are watched.',
			results: 'Twelve visits, four referrals, and one investigation opened.',
			lessons: 'Interpreters cost most: book them a week ahead.',
			effectiveness: 'It worked',
			stage: 'Established',
			topics: ['Modern slavery', 'Labour exploitation'],
			leadOrganisation: 'Kent Police',
			partners: 'GLAA, Hope for Justice, the local authority',
			region: 'South East',
			scale: 'Force-wide',
			targetGroup: 'Workers at hand car washes',
			startDate: '2025-04-01',
			endDate: '2026-03-31',
			contact: officerPerson.name,
			links: ['https://www.gov.uk/government/organisations/gangmasters-and-labour-abuse-authority']
		};
		const returnComment = `Please say how the four referrals were followed up, and what the visits cost (${tag}).`;
		const revisedResults =
			'Twelve visits, four referrals, and one investigation opened. All four people referred are in safe housing six months on.';
		const partnerComment = `We ran something similar in Essex: the interpreter tip is spot on (${tag}).`;
		let entryPath = '';

		await test.step('an officer writes up good practice: every field, saved as a draft', async () => {
			await signUp(officer, officerPerson);
			await officer
				.getByRole('navigation', { name: 'Menu' })
				.getByRole('link', { name: 'Good practice' })
				.click();
			await expect(officer).toHaveURL(/\/practice$/);
			await ready(officer);
			await expect(officer).toHaveTitle('Good practice – Muster');
			await expect(officer.getByRole('heading', { level: 1, name: 'Good practice' })).toBeVisible();
			await expectAccessible(officer);

			await officer.getByRole('link', { name: 'Write up good practice' }).click();
			await expect(officer).toHaveURL(/\/practice\/new$/);
			await expect(officer).toHaveTitle('Write up good practice – Muster');
			await expect(officer.getByRole('heading', { level: 1, name: 'Write up good practice' })).toBeVisible();
			await expect(officer.getByText('This entry is for the whole library')).toBeVisible();
			// The officer is the contact, and their force the lead organisation, unless they say otherwise.
			await expect(field(officer, 'Named contact')).toHaveValue(officerPerson.name);
			await expect(field(officer, 'Lead organisation').locator('option:checked')).toHaveText('Kent Police');
			await expectAccessible(officer);

			await ready(officer);
			await fillPracticeForm(officer, entry);
			await officer.getByRole('button', { name: 'Save draft' }).click();

			await expect(officer).toHaveURL(/\/practice\/\d+-[a-z0-9-]+\?notice=practice-saved$/);
			entryPath = new URL(officer.url()).pathname;
			await expect(notice(officer)).toContainText('Draft saved. Only you and your co-authors can see it.');
			await expect(officer).toHaveTitle(`${entry.title} – Muster`);
			await expect(officer.getByRole('heading', { level: 1, name: entry.title })).toBeVisible();
			await expect(stateTag(officer)).toHaveText('Draft');
			await expect(officer.getByText(entry.summary)).toBeVisible();
			await expect(summaryRow(officer, 'Stage')).toHaveText('Established');
			await expect(summaryRow(officer, 'Topics')).toHaveText('Labour exploitation, Modern slavery');
			await expect(summaryRow(officer, 'Lead organisation')).toHaveText('Kent Police');
			await expect(summaryRow(officer, 'Partner organisations')).toHaveText(entry.partners);
			await expect(summaryRow(officer, 'Region')).toHaveText('South East');
			await expect(summaryRow(officer, 'Scale')).toHaveText('Force-wide');
			await expect(summaryRow(officer, 'Target group')).toHaveText(entry.targetGroup);
			await expect(summaryRow(officer, 'Dates')).toHaveText('1 April 2025 to 31 March 2026');
			await expect(summaryRow(officer, 'Contact')).toContainText(officerPerson.name);
			await expect(summaryRow(officer, 'Author')).toHaveText(officerPerson.name);
			// The sections are Markdown, shown formatted, under their headings.
			for (const section of [
				'Aim or problem',
				'What was done',
				'Intended outcome',
				'Results and evidence',
				'Lessons and costs',
				'Links'
			]) {
				await expect(officer.getByRole('heading', { level: 2, name: section, exact: true })).toBeVisible();
			}
			await expect(officer.getByRole('strong').filter({ hasText: 'repeatedly reported' })).toBeVisible();
			await expect(
				officer
					.getByRole('listitem')
					.filter({ hasText: 'a referral through the National Referral Mechanism' })
			).toBeVisible();
			await expect(officer.getByRole('link', { name: entry.links[0] })).toBeVisible();
			await expectAccessible(officer);
		});

		await test.step('the edit page keeps every field, and the officer submits the draft from the entry page', async () => {
			await officer.getByRole('link', { name: 'Edit the draft' }).click();
			await expect(officer).toHaveURL(`${entryPath}/edit`);
			await expect(officer).toHaveTitle(`Edit: ${entry.title} – Muster`);
			await expect(officer.getByRole('heading', { level: 1, name: 'Edit your draft' })).toBeVisible();
			await expectPracticeForm(officer, entry);
			await expectAccessible(officer);

			await officer.getByRole('link', { name: entry.title, exact: true }).click();
			await expect(officer).toHaveURL(entryPath);
			await ready(officer);
			await officer.getByRole('button', { name: 'Submit for review' }).click();

			await expect(officer).toHaveURL(`${entryPath}?notice=practice-submitted`);
			await expect(notice(officer)).toContainText(
				'Sent for review. A reviewer will publish it or return it to you with comments.'
			);
			await expect(stateTag(officer)).toHaveText('In review');
			// While it is with a reviewer, it cannot be changed or sent again.
			await expect(officer.getByRole('link', { name: 'Edit the draft' })).toHaveCount(0);
			await expect(officer.getByRole('button', { name: 'Submit for review' })).toHaveCount(0);
			await expectAccessible(officer);

			await officer
				.getByRole('navigation', { name: 'Menu' })
				.getByRole('link', { name: 'Good practice' })
				.click();
			await expect(officer).toHaveURL(/\/practice$/);
			await officer.getByRole('link', { name: 'My practice' }).click();
			await expect(officer).toHaveURL(/\/practice\/mine$/);
			await expect(officer.getByRole('heading', { level: 1, name: 'My practice' })).toBeVisible();
			await expect(officer.getByRole('heading', { level: 2, name: 'Waiting for review' })).toBeVisible();
			const row = officer.getByRole('row').filter({ has: officer.getByRole('link', { name: entry.title }) });
			await expect(row.getByRole('cell', { name: 'In review', exact: true })).toBeVisible();
			await expectAccessible(officer);
		});

		const reviewer = await browserFor();
		await test.step('a reviewer signs up and sets up two-factor authentication', async () => {
			await signUp(reviewer, reviewerPerson);
			await reviewer.goto('/settings/two-factor');
			await enrolTwoFactor(reviewer);
		});

		const admin = await browserFor();
		await test.step('an administrator makes the reviewer a good-practice reviewer, with a reason', async () => {
			await signInAdministrator(admin, info);
			await openAccountAsAdministrator(admin, reviewerPerson);
			await expect(summaryRow(admin, 'Reviews site-wide good practice')).toHaveText('No');
			await expect(summaryRow(admin, 'Two-factor authentication')).toHaveText('On');
			await admin.getByText('Make this account a good-practice reviewer').click();
			await expectAccessible(admin);
			await field(admin, 'Reason').fill(`Leads the force's modern slavery unit (${tag}).`);
			await admin.getByRole('button', { name: 'Give reviewer role' }).click();

			await expect(admin).toHaveURL(/\/admin\/users\/[0-9a-f-]{36}\?notice=reviewer-granted$/);
			await expect(notice(admin)).toContainText('This account can now review site-wide good practice.');
			await expect(summaryRow(admin, 'Reviews site-wide good practice')).toHaveText('Yes');
			await expect(admin.getByText('Stop this account reviewing good practice')).toBeVisible();
			await expectAccessible(admin);
		});

		await test.step('the reviewer opens the review queue and returns the entry with a comment', async () => {
			await open(reviewer, '/practice');
			await reviewer.getByRole('link', { name: 'Review queue' }).click();
			await expect(reviewer).toHaveURL(/\/practice\/review$/);
			await expect(reviewer).toHaveTitle('Review queue – Muster');
			await expect(reviewer.getByRole('heading', { level: 1, name: 'Review queue' })).toBeVisible();
			const queue = reviewer.getByRole('table', { name: 'Waiting for review, oldest first' });
			const row = queue.getByRole('row').filter({ has: reviewer.getByRole('link', { name: entry.title }) });
			await expect(row).toHaveCount(1);
			await expect(row).toContainText(officerPerson.name);
			await expect(row).toContainText('Site-wide');
			await expectAccessible(reviewer);

			await row.getByRole('link', { name: entry.title }).click();
			await expect(reviewer).toHaveURL(`${entryPath}/review`);
			await expect(reviewer).toHaveTitle(`Review: ${entry.title} – Muster`);
			await expect(
				reviewer.getByRole('heading', { level: 1, name: `Review “${entry.title}”` })
			).toBeVisible();
			await expect(reviewer.getByText(`By ${officerPerson.name}.`)).toBeVisible();
			await expect(reviewer.getByText(entry.summary)).toBeVisible();
			await expect(reviewer.getByText(entry.results)).toBeVisible();
			await expectAccessible(reviewer);

			// Returning needs a comment: the form says so, keeping the choice.
			await ready(reviewer);
			await reviewer.getByLabel('Return it with comments', { exact: true }).check();
			await reviewer.getByRole('button', { name: 'Send decision' }).click();
			await expect(reviewer).toHaveTitle(`Error: Review: ${entry.title} – Muster`);
			await expect(reviewer.getByRole('alert')).toContainText('Say what the author needs to change');
			await expect(reviewer.getByLabel('Return it with comments', { exact: true })).toBeChecked();
			await expectAccessible(reviewer);

			await ready(reviewer);
			await field(reviewer, 'Comments for the authors').fill(returnComment);
			await reviewer.getByRole('button', { name: 'Send decision' }).click();
			await expect(reviewer).toHaveURL(/\/practice\/review\?notice=practice-returned$/);
			await expect(notice(reviewer)).toContainText('Entry returned. Its authors have your comments.');
			await expect(reviewer.getByRole('link', { name: entry.title })).toHaveCount(0);
			await expectAccessible(reviewer);
		});

		await test.step('the officer sees the comment on the entry, by e-mail and on the edit page, edits and resubmits', async () => {
			await officer.goto(entryPath);
			await expect(stateTag(officer)).toHaveText('Returned with comments');
			await expect(
				officer.getByRole('heading', { level: 2, name: new RegExp(`^Returned by ${reviewerPerson.name}`) })
			).toBeVisible();
			await expect(officer.getByText(returnComment)).toBeVisible();
			await expectAccessible(officer);

			const mail = await mailTo(officerPerson.email, `“${entry.title}” was returned with comments`);
			expect(mail.text).toContain(returnComment);

			await officer.goto(entryPath);
			await officer.getByRole('link', { name: 'Edit the draft' }).click();
			await expect(officer).toHaveURL(`${entryPath}/edit`);
			await expect(officer.getByRole('heading', { level: 1, name: 'Edit your draft' })).toBeVisible();
			await expect(
				officer.getByRole('heading', { level: 2, name: `Comments from ${reviewerPerson.name}` })
			).toBeVisible();
			await expect(officer.getByText(returnComment)).toBeVisible();
			await expectPracticeForm(officer, entry);
			await expectAccessible(officer);

			await ready(officer);
			await field(officer, 'Results and evidence').fill(revisedResults);
			await field(officer, 'Lessons and costs').fill(
				'Interpreters cost most (about £1,800 over the year): book them a week ahead.'
			);
			await officer.getByRole('button', { name: 'Save and submit for review' }).click();

			await expect(officer).toHaveURL(`${entryPath}?notice=practice-submitted`);
			await expect(notice(officer)).toContainText('Sent for review.');
			await expect(stateTag(officer)).toHaveText('In review');
			await expect(officer.getByText(revisedResults)).toBeVisible();
			await expect(officer.getByText(returnComment)).toHaveCount(0);
			await expectAccessible(officer);
		});

		await test.step('the reviewer sees the change and publishes the entry', async () => {
			await reviewer.goto('/practice/review');
			await reviewer.getByRole('link', { name: entry.title }).click();
			await expect(reviewer).toHaveURL(`${entryPath}/review`);
			await expect(reviewer.getByText(revisedResults)).toBeVisible();
			await ready(reviewer);
			await reviewer.getByLabel('Publish it', { exact: true }).check();
			await reviewer.getByRole('button', { name: 'Send decision' }).click();

			await expect(reviewer).toHaveURL(/\/practice\/review\?notice=practice-published$/);
			await expect(notice(reviewer)).toContainText('Entry published. Its authors have been told.');
			await expect(reviewer.getByRole('link', { name: entry.title })).toHaveCount(0);

			await officer.goto(entryPath);
			await expect(stateTag(officer)).toHaveText('Published');
			await expect(summaryRow(officer, 'Reviewed by')).toHaveText(reviewerPerson.name);
			await expect(summaryRow(officer, 'Published')).not.toBeEmpty();
			await expect(officer.getByRole('heading', { level: 2, name: 'Discussion' })).toBeVisible();
			await expectAccessible(officer);
		});

		const partner = await browserFor();
		await test.step('a partner finds the entry through the filters', async () => {
			await signUp(partner, partnerPerson);
			await open(partner, '/practice');
			await expect(partner.getByRole('heading', { level: 1, name: 'Good practice' })).toBeVisible();
			// Partners read the library; site-wide entries are written by the police.
			await expect(partner.getByRole('link', { name: 'Write up good practice' })).toHaveCount(0);

			// A topic and "Does it work?", each option with how many entries it would give.
			await chooseFilter(partner, 'Topic', 'Labour exploitation');
			await chooseFilter(partner, 'Does it work?', 'It worked');
			await partner.getByRole('button', { name: 'Apply filters' }).click();
			await expect(partner).toHaveURL(/\/practice\?.*topic=\d+/);
			await expect(partner).toHaveURL(/[?&]effectiveness=worked(&|$)/);
			await expect(
				partner.getByRole('heading', { level: 2, name: / match(es)? your filters$/ })
			).toBeVisible();
			await expect(partner.getByRole('link', { name: entry.title })).toBeVisible();
			await expect(partner.getByRole('link', { name: 'Clear filters' })).toBeVisible();
			await expectAccessible(partner);

			// Narrowed by words from its title, the counts are this entry's alone.
			await ready(partner);
			await field(partner, 'Title or summary contains').fill(tag);
			await partner.getByRole('button', { name: 'Apply filters' }).click();
			await expect(partner).toHaveURL(/[?&]q=/);
			await expect(partner.getByRole('heading', { level: 2, name: /^1 entry/ })).toBeVisible();
			await expect(field(partner, 'Title or summary contains')).toHaveValue(tag);
			await expect(field(partner, 'Does it work?').locator('option:checked')).toHaveText('It worked (1)');
			await expect(field(partner, 'Topic').locator('option:checked')).toHaveText('Labour exploitation (1)');
			await expect(field(partner, 'Does it work?').locator('option')).toContainText([
				'Any',
				'It worked (1)',
				'Promising (0)',
				'New or untested (0)',
				'It did not work (0)'
			]);
			await expect(field(partner, 'Region').locator('option', { hasText: 'South East' })).toHaveText(
				'South East (1)'
			);
			const item = partner
				.getByRole('main')
				.getByRole('listitem')
				.filter({ has: partner.getByRole('link', { name: entry.title }) });
			await expect(item).toHaveCount(1);
			await expect(item).toContainText(entry.summary);
			await expect(item).toContainText('It worked');
			await expect(item).toContainText('Established');
			await expect(item).toContainText('Kent Police');
			await expectAccessible(partner);

			await item.getByRole('link', { name: entry.title }).click();
			await expect(partner).toHaveURL(entryPath);
			await expect(partner.getByRole('heading', { level: 1, name: entry.title })).toBeVisible();
			await expect(stateTag(partner)).toHaveText('Published');
			await expect(partner.getByText('It worked', { exact: true })).toBeVisible();
			await expect(summaryRow(partner, 'Contact')).toContainText(`${officerPerson.name}, Kent Police`);
			await expect(partner.getByText(revisedResults)).toBeVisible();
			// Only the entry's authors change it.
			await expect(partner.getByRole('link', { name: /^Edit/ })).toHaveCount(0);
			await expectAccessible(partner);
		});

		await test.step('the partner joins the discussion and comments; the comment appears', async () => {
			await expect(partner.getByRole('heading', { level: 2, name: 'Discussion' })).toBeVisible();
			await ready(partner);
			await partner.getByRole('button', { name: 'Join the discussion' }).click();
			await expect(partner).toHaveURL(`${entryPath}?notice=practice-joined#comments`);
			await expect(notice(partner)).toContainText(
				'You have joined the Good practice library group. You can now read and add comments.'
			);
			await expect(partner.getByText('No comments yet.')).toBeVisible();
			await expect(partner.getByRole('link', { name: 'Open the discussion thread' })).toBeVisible();
			await expectAccessible(partner);

			// The author has the entry open; with JavaScript the comment will appear there live.
			await officer.goto(entryPath);
			await ready(officer);
			await ready(partner);
			await field(partner, 'Your comment').fill(partnerComment);
			await partner.getByRole('button', { name: 'Post comment' }).click();
			await expect(partner).toHaveURL(`${entryPath}?notice=practice-commented#comments`);
			await expect(notice(partner)).toContainText('Your comment has been posted.');
			const comment = partner
				.getByRole('main')
				.getByRole('article', { name: new RegExp(partnerPerson.name) });
			await expect(comment).toHaveCount(1);
			await expect(comment).toContainText(partnerComment);
			await expect(partner.getByText('No comments yet.')).toHaveCount(0);
			await expectAccessible(partner);
			if (javaScriptEnabled) {
				await expect(officer.getByRole('main').getByText(partnerComment)).toBeVisible();
				expect(officer.url()).toContain(entryPath);
			}
		});

		await test.step('the entry prints on its own: full width, no navigation, live controls or discussion', async () => {
			await partner.goto(entryPath);
			// An A4 page's width at 96 pixels an inch, printed with the page's own styles.
			await partner.setViewportSize({ width: 794, height: 1123 });
			await partner.emulateMedia({ media: 'print' });
			await expect(partner.getByRole('heading', { level: 1, name: entry.title })).toBeVisible();
			await expect(partner.getByText(entry.summary)).toBeVisible();
			await expect(partner.getByRole('navigation', { name: 'Menu' })).toBeHidden();
			await expect(partner.getByRole('heading', { level: 2, name: 'Discussion' })).toBeHidden();
			await expect(partner.getByText(partnerComment)).toBeHidden();
			await expect(partner.getByRole('button', { name: 'Pause live updates' })).toBeHidden();
			const layout = await partner.evaluate(() => {
				const column = document.querySelector('main .govuk-grid-column-two-thirds')!.getBoundingClientRect();
				const main = document.querySelector('main')!.getBoundingClientRect();
				// govuk-frontend prints every link's address after it; a path on Muster means nothing on paper.
				const printedPaths = [...document.querySelectorAll<HTMLAnchorElement>('main a[href^="/"]')]
					.map((a) => getComputedStyle(a, '::after').content)
					.filter((c) => c !== 'none' && c !== 'normal' && c !== '""');
				return {
					column: column.width,
					main: main.width,
					printedPaths,
					height: document.documentElement.scrollHeight
				};
			});
			expect(layout.column).toBeGreaterThan(layout.main * 0.95);
			expect(layout.printedPaths).toEqual([]);
			// As many pages as the entry needs, and no blank one after it.
			const pdf = await partner.pdf({
				width: '794px',
				height: '1123px',
				margin: { top: '0', bottom: '0', left: '0', right: '0' }
			});
			const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
			expect(pages).toBe(Math.ceil(layout.height / 1123));
			await partner.emulateMedia({ media: 'screen' });
		});
	});

	test('a group moderator writes a member’s thread up as a draft, and the thread says so', async ({
		page: owner,
		browserFor,
		expectAccessible
	}) => {
		// Two people sign up, one sets up two-factor; a thread, a draft and five axe checks.
		test.setTimeout(180_000);
		const info = test.info();
		const ownerPerson = officerFor(info, 'Dana', 'Okafor');
		const memberPerson = officerFor(info, 'Sam', 'Patel');
		const groupName = `Labour exploitation ${unique(info)}`;
		const title = `Checking car washes with the GLAA ${unique(info)}`;
		const firstPost = [
			'We visited **six car washes** with the GLAA last month.',
			'',
			'- Interpreters on every visit',
			'- Two referrals to the NRM'
		].join('\n');
		let groupPath = '';
		let threadPath = '';
		let draftPath = '';

		await test.step('the owner (a moderator, with two-factor on) creates a group; a member starts a thread', async () => {
			groupPath = await ownerCreatesOpenGroup(owner, ownerPerson, groupName);
			const member = await browserFor();
			await memberJoins(member, memberPerson, groupPath);
			await member.getByRole('link', { name: 'Start a new thread' }).click();
			await expect(member).toHaveURL(`${groupPath}/new`);
			await expect(member.getByRole('heading', { level: 1, name: 'Start a new thread' })).toBeVisible();
			await ready(member);
			await field(member, 'Title').fill(title);
			await field(member, 'Your post').fill(firstPost);
			await submitPost(member, 'Post thread');
			threadPath = new URL(member.url()).pathname;
			await expect(member.getByRole('heading', { level: 1, name: title })).toBeVisible();
		});

		await test.step('on the thread, the moderator starts a practice entry from it: title and first post filled in', async () => {
			await owner.goto(threadPath);
			await expect(owner.getByRole('heading', { level: 1, name: title })).toBeVisible();
			await expect(postAt(owner, 1)).toContainText(memberPerson.name);
			await expect(owner.getByText('Written up as practice')).toHaveCount(0);
			await owner.getByRole('link', { name: 'Write this thread up as good practice' }).click();

			await expect(owner).toHaveURL(/\/practice\/new\?group=[a-z0-9-]+&thread=\d+$/);
			await expect(owner.getByRole('heading', { level: 1, name: 'Write up good practice' })).toBeVisible();
			await expect(owner.getByText(groupName, { exact: true })).toBeVisible();
			await expect(
				owner.getByText(
					`This entry belongs to ${groupName}: only the group’s members will be able to read it.`
				)
			).toBeVisible();
			await expect(
				owner.getByText(
					`We have started it from the thread “${title}”: its first post is under “What was done”.`
				)
			).toBeVisible();
			await expect(field(owner, 'Title')).toHaveValue(title);
			await expect(field(owner, 'What was done')).toHaveValue(firstPost);
			await expect(owner.getByRole('link', { name: title, exact: true })).toHaveAttribute('href', threadPath);
			await expectAccessible(owner);

			await ready(owner);
			await owner.getByRole('button', { name: 'Save draft' }).click();
			await expect(owner).toHaveURL(/\/practice\/\d+-[a-z0-9-]+\?notice=practice-saved$/);
			draftPath = new URL(owner.url()).pathname;
			await expect(notice(owner)).toContainText('Draft saved. Only you and your co-authors can see it.');
			await expect(owner.getByRole('heading', { level: 1, name: title })).toBeVisible();
			await expect(owner.getByText(`Good practice in ${groupName}`)).toBeVisible();
			await expect(stateTag(owner)).toHaveText('Draft');
			await expect(owner.getByRole('heading', { level: 2, name: 'What was done' })).toBeVisible();
			await expect(owner.getByRole('strong').filter({ hasText: 'six car washes' })).toBeVisible();
			await expect(owner.getByText(`Discussed in ${title}.`)).toBeVisible();
			await expectAccessible(owner);
		});

		await test.step('the thread shows it has been written up as practice', async () => {
			await owner.getByRole('link', { name: title, exact: true }).click();
			await expect(owner).toHaveURL(threadPath);
			const writtenUp = owner.getByText(/^Written up as practice:/);
			await expect(writtenUp).toBeVisible();
			await expect(writtenUp).toContainText(`${title} (not yet published)`);
			await expect(writtenUp.getByRole('link', { name: title })).toHaveAttribute('href', draftPath);
			await expectAccessible(owner);
		});
	});
});
