import { ready } from './identity-support.ts';
import { mailTo } from './support.ts';
import {
	enrolTwoFactor,
	expect,
	findInDirectory,
	notice,
	personAt,
	signUp,
	test,
	unique
} from './groups-support.ts';

test.describe('a restricted group for police and partners', () => {
	test('an officer creates it, a partner asks and is approved, an invitee registers and accepts, and a ban sticks', async ({
		page: owner,
		browserFor,
		expectAccessible
	}) => {
		// Three people sign up, and fourteen pages are checked with axe: about a minute on a busy machine.
		test.setTimeout(360_000); // The longest journey: five people, axe on every page; 180 s ran out once on a loaded machine.
		const info = test.info();
		const officer = personAt(info, 'Dana', 'Okafor', 'kent.police.uk');
		const partnerPerson = personAt(info, 'Priya', 'Shah', 'nca.gov.uk');
		const inviteePerson = personAt(info, 'Tom', 'Reilly', 'kent.police.uk');
		const groupName = `County lines ${unique(info)}`;
		const message = `I lead the NCA's county lines coordination for the south east (${unique(info)}).`;
		const banReason = `Shared a restricted briefing outside the group (${unique(info)}).`;
		let groupPath = '';

		await test.step('a police officer signs up and creates a restricted group for police and partners', async () => {
			await signUp(owner, officer);
			await owner.getByRole('link', { name: 'Find groups to join' }).click();
			await expect(owner).toHaveURL(/\/groups$/);
			await expect(owner.getByRole('heading', { level: 1, name: 'Groups' })).toBeVisible();
			await expectAccessible(owner);

			await owner.getByRole('link', { name: 'Create a group' }).click();
			await expect(owner).toHaveURL(/\/groups\/new$/);
			await expect(owner).toHaveTitle('Create a group – Muster');
			await expect(owner.getByRole('heading', { level: 1, name: 'Create a group' })).toBeVisible();
			await expectAccessible(owner);
			await ready(owner);
			await owner.getByLabel('Group name', { exact: true }).fill(groupName);
			await owner
				.getByLabel('Description', { exact: true })
				.fill('Tackling **county lines** together: police forces and the *National Crime Agency*.');
			const visibility = owner.getByRole('group', { name: 'Who can join' });
			await visibility.getByLabel('Restricted', { exact: true }).check();
			const audience = owner.getByRole('group', { name: 'Who the group is for' });
			await audience.getByLabel('Police and partners', { exact: true }).check();
			await owner.getByRole('button', { name: 'Create group' }).click();

			await expect(owner).toHaveURL(/\/groups\/[a-z0-9-]+\?notice=group-created$/);
			groupPath = new URL(owner.url()).pathname;
			await expect(owner).toHaveTitle(`${groupName} – Muster`);
			await expect(owner.getByRole('heading', { level: 1, name: groupName })).toBeVisible();
			await expect(notice(owner)).toContainText('Your group has been created. You are its owner.');
			await expect(owner.getByText('Restricted', { exact: true })).toBeVisible();
			await expect(owner.getByText('Police and partners', { exact: true })).toBeVisible();
			// The description is Markdown, shown formatted.
			await expect(owner.getByRole('strong').filter({ hasText: 'county lines' })).toBeVisible();
			await expect(owner.getByText('You are an owner of this group.')).toBeVisible();
			await expect(owner.getByText('1 member', { exact: true })).toBeVisible();
		});

		await test.step('managing the group needs two-factor authentication, which the owner sets up', async () => {
			await owner.getByRole('link', { name: 'Manage this group' }).click();
			await expect(owner).toHaveURL(/\/settings\/two-factor\?required=1$/);
			await expect(
				owner.getByText(
					'You need two-factor authentication to use that page. Set it up below, then try again.'
				)
			).toBeVisible();
			await enrolTwoFactor(owner);

			await owner.goto(groupPath);
			await owner.getByRole('link', { name: 'Manage this group' }).click();
			await expect(owner).toHaveURL(`${groupPath}/manage`);
			await expect(owner).toHaveTitle(`Manage ${groupName} – Muster`);
			await expect(owner.getByRole('heading', { level: 1, name: 'Manage this group' })).toBeVisible();
			await expect(owner.getByText('There are no requests waiting.')).toBeVisible();
			await expect(owner.getByText('Nobody is banned from this group.')).toBeVisible();
		});

		await test.step('the owner’s settings show what was chosen', async () => {
			await owner.getByRole('link', { name: 'Settings and archiving' }).click();
			await expect(owner).toHaveURL(`${groupPath}/manage/settings`);
			await expect(owner).toHaveTitle(`Settings – ${groupName} – Muster`);
			await expect(owner.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
			await expect(owner.getByLabel('Group name', { exact: true })).toHaveValue(groupName);
			await expect(owner.getByLabel('Restricted', { exact: true })).toBeChecked();
			await expect(owner.getByLabel('Police and partners', { exact: true })).toBeChecked();
			await expect(owner.getByRole('button', { name: 'Archive group' })).toBeVisible();
			await expectAccessible(owner);
		});

		const partner = await browserFor();
		await test.step('a partner at the National Crime Agency finds the group and asks to join with a message', async () => {
			await signUp(partner, partnerPerson);
			await expect(
				partner.getByText('You are signed in as a member of National Crime Agency.')
			).toBeVisible();

			await findInDirectory(partner, groupName);
			await expect(partner.getByText('1 member · last active')).toBeVisible();
			await expectAccessible(partner);
			await partner.getByRole('link', { name: groupName, exact: true }).click();

			await expect(partner).toHaveURL(groupPath);
			await expect(partner.getByRole('heading', { level: 1, name: groupName })).toBeVisible();
			await expect(
				partner.getByText('This group is restricted: a moderator decides who joins.')
			).toBeVisible();
			await expect(partner.getByRole('link', { name: officer.name })).toBeVisible();
			await expect(partner.getByRole('link', { name: 'See who is in this group' })).toHaveCount(0);
			await expectAccessible(partner);

			await ready(partner);
			await partner.getByLabel('Message to the moderators (optional)', { exact: true }).fill(message);
			await partner.getByRole('button', { name: 'Ask to join' }).click();

			await expect(partner).toHaveURL(`${groupPath}?notice=asked`);
			await expect(notice(partner)).toContainText(
				'Your request has been sent. A moderator will decide, and we will e-mail you.'
			);
			await expect(partner.getByText('You have asked to join.')).toBeVisible();
			await expect(partner.getByRole('button', { name: 'Withdraw my request' })).toBeVisible();
			await expect(partner.getByRole('button', { name: 'Ask to join' })).toHaveCount(0);
			await expectAccessible(partner);
		});

		await test.step('the owner sees the request with its message and organisation, and approves it', async () => {
			await owner.goto(`${groupPath}/manage`);
			const request = owner.getByRole('region', { name: partnerPerson.name });
			await expect(request).toBeVisible();
			await expect(request).toContainText(message);
			await expect(request).toContainText('National Crime Agency (Law-enforcement partner)');
			await expect(owner.getByText('There are no requests waiting.')).toHaveCount(0);
			await expectAccessible(owner);

			await request.getByRole('button', { name: `Approve ${partnerPerson.name}` }).click();
			await expect(owner).toHaveURL(`${groupPath}/manage?notice=approved`);
			await expect(notice(owner)).toContainText('The request has been approved: they are now a member.');
			await expect(owner.getByText('There are no requests waiting.')).toBeVisible();
			await expect(owner.getByRole('region', { name: partnerPerson.name })).toHaveCount(0);
		});

		await test.step('the partner reloads the group page and is a member, on the members list', async () => {
			await partner.reload();
			await expect(partner.getByText('You are a member of this group.')).toBeVisible();
			await expect(partner.getByRole('button', { name: 'Withdraw my request' })).toHaveCount(0);
			await expect(partner.getByText('2 members', { exact: true })).toBeVisible();
			await expectAccessible(partner);

			await partner.getByRole('link', { name: 'See who is in this group' }).click();
			await expect(partner).toHaveURL(`${groupPath}/members`);
			await expect(partner).toHaveTitle(`Members – ${groupName} – Muster`);
			await expect(partner.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible();
			const table = partner.getByRole('table', { name: '2 members' });
			const row = table.getByRole('row').filter({ hasText: partnerPerson.name });
			await expect(row).toHaveCount(1);
			await expect(row.getByRole('cell', { name: 'National Crime Agency', exact: true })).toBeVisible();
			await expect(row.getByRole('cell', { name: 'Member', exact: true })).toBeVisible();
			const ownerRow = table.getByRole('row').filter({ hasText: officer.name });
			await expect(ownerRow.getByRole('cell', { name: 'Owner', exact: true })).toBeVisible();
			await expect(ownerRow.getByRole('cell', { name: 'Kent Police', exact: true })).toBeVisible();
			// Members do not manage.
			await expect(partner.getByRole('link', { name: /^Manage/ })).toHaveCount(0);
			await expectAccessible(partner);
		});

		await test.step('the owner invites an address that has no account yet', async () => {
			await ready(owner);
			await owner.getByLabel('Invite by e-mail address', { exact: true }).fill(inviteePerson.email);
			await expect(owner.getByLabel('Expires after (days)', { exact: true })).toHaveValue('14');
			await owner.getByRole('button', { name: 'Send invitation' }).click();

			await expect(owner).toHaveURL(`${groupPath}/manage?notice=invited`);
			await expect(notice(owner)).toContainText('The invitation has been sent.');
			await expect(
				owner.getByRole('table', { name: 'Invitations waiting for an answer' }).getByRole('row')
			).toContainText([inviteePerson.email]);
		});

		const invitee = await browserFor();
		await test.step('the invitee is e-mailed, registers with that address and accepts the invitation', async () => {
			const mail = await mailTo(inviteePerson.email, `You are invited to join ${groupName} on Muster`);
			expect(mail.text).toContain(`${officer.name} has invited you to join ${groupName}`);
			expect(mail.text).toContain('Create your account with this e-mail address');

			await signUp(invitee, inviteePerson);
			await expect(invitee.getByRole('heading', { level: 2, name: 'Waiting for you' })).toBeVisible();
			await invitee.getByRole('link', { name: groupName, exact: true }).click();

			await expect(invitee).toHaveURL(groupPath);
			await expect(invitee.getByText('You have been invited to join this group.')).toBeVisible();
			await expect(invitee.getByRole('button', { name: 'Ask to join' })).toHaveCount(0);
			await expectAccessible(invitee);
			await invitee.getByRole('button', { name: 'Accept invitation' }).click();

			await expect(invitee).toHaveURL(`${groupPath}?notice=invitation-accepted`);
			await expect(notice(invitee)).toContainText('You have joined this group.');
			await expect(invitee.getByText('You are a member of this group.')).toBeVisible();
			await expect(invitee.getByText('3 members', { exact: true })).toBeVisible();

			// The invitation is answered: it no longer waits at home, nor on the owner's list.
			await invitee.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Home' }).click();
			await expect(invitee.getByRole('heading', { level: 1, name: /^Welcome, / })).toBeVisible();
			await expect(invitee.getByRole('heading', { name: 'Invitations waiting for you' })).toHaveCount(0);
			await owner.reload();
			await expect(owner.getByRole('table', { name: 'Invitations waiting for an answer' })).toHaveCount(0);
		});

		await test.step('the owner bans the partner from the members list, with a reason', async () => {
			await owner.getByRole('link', { name: 'Members: change roles, remove or ban' }).click();
			await expect(owner).toHaveURL(`${groupPath}/members`);
			const table = owner.getByRole('table', { name: '3 members' });
			await expect(table.getByRole('row').filter({ hasText: inviteePerson.name })).toContainText('Member');
			await expectAccessible(owner);
			await table.getByRole('link', { name: `Manage ${partnerPerson.name}` }).click();

			await expect(owner).toHaveURL(new RegExp(`${groupPath}/manage/members/[0-9a-f-]{36}$`));
			await expect(owner).toHaveTitle(`${partnerPerson.name} in ${groupName} – Muster`);
			await expect(owner.getByRole('heading', { level: 1, name: partnerPerson.name })).toBeVisible();
			await expect(
				owner.getByRole('group', { name: 'Role' }).getByLabel('Member', { exact: true })
			).toBeChecked();
			await expectAccessible(owner);
			await ready(owner);
			await owner.getByLabel('Reason', { exact: true }).fill(banReason);
			await owner.getByRole('button', { name: 'Ban from group' }).click();

			await expect(owner).toHaveURL(`${groupPath}/members?notice=banned`);
			// The redirect names a confirmation; the members page should show it.
			await expect.soft(notice(owner)).toContainText('They have been banned from the group.');
			const after = owner.getByRole('table', { name: '2 members' });
			await expect(after).toBeVisible();
			await expect(after.getByRole('row').filter({ hasText: partnerPerson.name })).toHaveCount(0);

			await owner.goto(`${groupPath}/manage`);
			const ban = owner.getByRole('region', { name: partnerPerson.name });
			await expect(ban).toContainText(banReason);
			await expect(ban.getByRole('button', { name: `Lift ban on ${partnerPerson.name}` })).toBeVisible();
			await expect(owner.getByText('Nobody is banned from this group.')).toHaveCount(0);
		});

		await test.step('the partner sees they are banned, and cannot ask to join again', async () => {
			await partner.goto(groupPath);
			await expect(partner.getByRole('heading', { level: 1, name: groupName })).toBeVisible();
			await expect(
				partner.getByText('You have been banned from this group, so you cannot join it or ask to join.')
			).toBeVisible();
			await expect(partner.getByRole('button', { name: 'Ask to join' })).toHaveCount(0);
			await expect(partner.getByLabel('Message to the moderators (optional)')).toHaveCount(0);
			await expect(partner.getByRole('link', { name: 'See who is in this group' })).toHaveCount(0);
			await expectAccessible(partner);

			// They are told by e-mail, with the reason.
			const mail = await mailTo(partnerPerson.email, `You have been banned from ${groupName}`);
			expect(mail.text).toContain(banReason);
		});

		await test.step('the group’s audit log records the approval, and the ban with its reason', async () => {
			await owner.getByRole('link', { name: 'Decisions made in this group (audit log)' }).click();
			await expect(owner).toHaveURL(`${groupPath}/manage/audit`);
			await expect(owner).toHaveTitle(`Audit log – ${groupName} – Muster`);
			await expect(
				owner.getByRole('heading', { level: 1, name: 'Decisions made in this group' })
			).toBeVisible();
			const log = owner.getByRole('table', { name: 'Newest first' });
			const rowFor = (what: string) =>
				log.getByRole('row').filter({ has: owner.getByRole('cell', { name: what, exact: true }) });

			const approval = rowFor('Approved a request');
			await expect(approval).toHaveCount(1);
			await expect(approval).toContainText(officer.email);
			await expect(approval).toContainText(partnerPerson.email);
			// An approval has no reason: the log should not show one as "null".
			await expect.soft(approval).not.toContainText('null');

			const banned = rowFor('Banned');
			await expect(banned).toHaveCount(1);
			await expect(banned).toContainText(officer.email);
			await expect(banned).toContainText(partnerPerson.email);
			await expect(banned).toContainText(`reason: ${banReason}`);

			for (const what of ['Created the group', 'Asked to join', 'Invited', 'Accepted an invitation']) {
				await expect(rowFor(what)).toHaveCount(1);
			}
			await expectAccessible(owner);
		});
	});
});
