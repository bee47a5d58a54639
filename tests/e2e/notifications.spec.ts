import { open, ready } from './identity-support.ts';
import { expect, notice, test, unique } from './groups-support.ts';
import { mailTo } from './support.ts';
import { memberJoins, officerFor, ownerCreatesOpenGroup, submitPost } from './discussions-support.ts';

test.describe('notifications', () => {
	test('a member watches a group, is mentioned in a new thread, sees the count (live with JavaScript), opens it at the post, and the count clears', async ({
		page: owner,
		browserFor,
		expectAccessible,
		javaScriptEnabled
	}) => {
		test.setTimeout(180_000);
		const info = test.info();
		const ownerPerson = officerFor(info, 'Nadia', 'Shaw');
		const memberPerson = officerFor(info, 'Owen', 'Pryce');
		const title = `Overnight briefing ${unique(info)}`;
		const member = await browserFor();
		let groupPath = '';

		await test.step('the member joins and chooses Watching for the group', async () => {
			groupPath = await ownerCreatesOpenGroup(owner, ownerPerson, `Night desk ${unique(info)}`);
			await memberJoins(member, memberPerson, groupPath);
			await member.getByLabel('Notifications for this group').selectOption('watching');
			await member.getByRole('button', { name: 'Save' }).click();
			await expect(notice(member)).toContainText('Your notification setting is saved.');
			await expect(member.getByLabel('Notifications for this group')).toHaveValue('watching');
			// Nothing yet: the link has no count, and What's new has nothing unread.
			await open(member, '/');
			await expect(member.getByRole('link', { name: 'Notifications', exact: true })).toBeVisible();
			await expect(
				member.getByText('You are up to date: there is nothing you have not read in your groups.')
			).toBeVisible();
		});

		await test.step('the owner starts a thread that mentions the member', async () => {
			await open(owner, `${groupPath}/new`);
			await owner.getByLabel('Title', { exact: true }).fill(title);
			await owner
				.getByLabel('Your post', { exact: true })
				.fill(`Handover for @${memberPerson.name}: two referrals came in.`);
			await submitPost(owner, 'Post thread');
		});

		await test.step('What’s new shows the thread: live with JavaScript, on reload without', async () => {
			if (!javaScriptEnabled) await open(member, '/');
			const whatsNew = member.getByRole('list').filter({ hasText: title });
			await expect(whatsNew.getByRole('link', { name: title })).toBeVisible({ timeout: 15_000 });
			await expect(whatsNew).toContainText(`In Night desk`);
			await expectAccessible(member);
		});

		await test.step('the member’s header counts it: live with JavaScript, on the next page without', async () => {
			const link = member.getByRole('link', { name: 'Notifications 1 unread' });
			await expect(link).toBeVisible({ timeout: 15_000 });
			if (javaScriptEnabled)
				await expect(
					member.getByRole('status').filter({ hasText: 'You have 1 unread notification' })
				).toHaveCount(1);
			await link.click();
			await ready(member);
			await expect(member).toHaveURL(/\/notifications$/);
			await expect(member.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
			// Told once, by the most specific reason: the mention (not also "started a new thread").
			const items = member.getByRole('main').getByRole('listitem');
			await expect(items).toHaveCount(1);
			await expect(items.first()).toContainText(`${ownerPerson.name} mentioned you in “${title}”`);
			await expect(items.first()).toContainText('New');
			await expectAccessible(member);
		});

		await test.step('opening it goes to the post and marks it read', async () => {
			await member.getByRole('link', { name: `${ownerPerson.name} mentioned you in “${title}”` }).click();
			await ready(member);
			await expect(member.getByRole('heading', { level: 1, name: title })).toBeVisible();
			await expect(member).toHaveURL(/#post-\d+$/);
			await expect(member.getByRole('link', { name: 'Notifications', exact: true })).toBeVisible();
			await open(member, '/notifications');
			await expect(member.getByRole('main').getByText('New', { exact: true })).toHaveCount(0);
			await expect(member.getByRole('button', { name: 'Mark all as read' })).toHaveCount(0);
		});

		await test.step('the member mutes the thread from its page', async () => {
			await member.getByRole('link', { name: `${ownerPerson.name} mentioned you in “${title}”` }).click();
			await ready(member);
			await member.getByLabel('Notifications for this thread').selectOption('muted');
			await member.getByRole('button', { name: 'Save' }).click();
			await ready(member);
			await expect(notice(member)).toContainText('Your notification setting is saved.');
			await expect(member.getByLabel('Notifications for this thread')).toHaveValue('muted');
			await expectAccessible(member);
		});
	});

	test('a member chooses how often to be e-mailed, and stops mention e-mails from the link in one', async ({
		page: owner,
		browserFor,
		expectAccessible
	}) => {
		test.setTimeout(180_000);
		const info = test.info();
		const ownerPerson = officerFor(info, 'Ruth', 'Kemp');
		const memberPerson = officerFor(info, 'Ivan', 'Doyle');
		const member = await browserFor();
		const groupPath = await ownerCreatesOpenGroup(owner, ownerPerson, `Mail desk ${unique(info)}`);
		await memberJoins(member, memberPerson, groupPath);

		await test.step('the member saves a weekly summary for what they watch', async () => {
			await open(member, '/settings');
			await member.getByRole('link', { name: 'Choose what Muster e-mails you, and how often' }).click();
			await ready(member);
			await expect(member.getByRole('heading', { level: 1, name: 'E-mail from Muster' })).toBeVisible();
			const watching = member.getByRole('group', { name: /New posts in threads you watch/ });
			await expect(watching.getByLabel('In a daily summary')).toBeChecked();
			await watching.getByLabel('In a weekly summary').check();
			await member.getByRole('button', { name: 'Save e-mail settings' }).click();
			await ready(member);
			await expect(notice(member)).toContainText('Your e-mail settings are saved.');
			await expect(watching.getByLabel('In a weekly summary')).toBeChecked();
			await expectAccessible(member);
		});

		await test.step('a mention is e-mailed; its link stops those e-mails', async () => {
			const title = `Rota ${unique(info)}`;
			await open(owner, `${groupPath}/new`);
			await owner.getByLabel('Title', { exact: true }).fill(title);
			await owner.getByLabel('Your post', { exact: true }).fill(`Can you cover, @${memberPerson.name}?`);
			await submitPost(owner, 'Post thread');
			const mail = await mailTo(memberPerson.email, `${ownerPerson.name} mentioned you in “${title}”`);
			const link = /To stop these e-mails: (\S+)/.exec(mail.text)?.[1];
			expect(link, mail.text).toBeTruthy();
			await member.goto(link!);
			await ready(member);
			await expect(member.getByRole('heading', { level: 1, name: 'Stop these e-mails?' })).toBeVisible();
			await member.getByRole('button', { name: 'Stop these e-mails' }).click();
			await ready(member);
			await expect(member.getByRole('heading', { level: 1, name: 'You have unsubscribed' })).toBeVisible();
			await expectAccessible(member);
			await open(member, '/settings/notifications');
			await expect(
				member.getByRole('group', { name: /Replies to you, mentions/ }).getByLabel('Never')
			).toBeChecked();
		});
	});
});
