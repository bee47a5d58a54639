import { ready } from './identity-support.ts';
import { expect, test, unique } from './groups-support.ts';
import {
	TOO_QUICK,
	memberJoins,
	officerFor,
	ownerCreatesOpenGroup,
	postAt,
	postIdFromUrl,
	submitPost
} from './discussions-support.ts';

test.describe('discussions in a group', () => {
	test('a member starts a thread, the owner replies, the member quotes and edits, the owner marks it helpful and locks it', async ({
		page: owner,
		browserFor,
		expectAccessible,
		baseURL,
		javaScriptEnabled
	}) => {
		// Two people sign up, one sets up two-factor, a dozen posts and pages, and ten axe checks.
		test.setTimeout(180_000);
		const info = test.info();
		const ownerPerson = officerFor(info, 'Dana', 'Okafor');
		const memberPerson = officerFor(info, 'Sam', 'Patel');
		const groupName = `Neighbourhood policing ${unique(info)}`;
		const title = `Briefings with partner agencies ${unique(info)}`;
		const firstDraft = [
			'We trialled **weekly briefings** with _partner agencies_.',
			'',
			'- Fewer missed handovers',
			'- Shared ~~spreadsheets~~ dashboards'
		].join('\n');
		const editedFirst = [
			'We trialled **fortnightly briefings** with _partner agencies_.',
			'',
			'- Fewer missed handovers',
			'- Shared dashboards'
		].join('\n');
		const ownerReply = `Which agencies came along in the first month? (${unique(info)})`;
		const quoteAddition = `Housing, adult social care and the fire service (${unique(info)}).`;
		const draft = `Update after three months: attendance held steady (${unique(info)}).`;
		const lockReason = `Moved to the county-wide thread (${unique(info)}).`;
		let groupPath = '';
		let threadPath = '';
		let firstPostId = 0;
		let ownerPostId = 0;

		await test.step('the owner, with two-factor on, creates an open group', async () => {
			groupPath = await ownerCreatesOpenGroup(owner, ownerPerson, groupName);
			await expect(owner.getByRole('heading', { level: 2, name: 'Discussions' })).toBeVisible();
			await expect(owner.getByText('No discussions yet. Start the first one.')).toBeVisible();
		});

		const member = await browserFor();
		await test.step('a member joins and starts a thread, previewing the Markdown first', async () => {
			await memberJoins(member, memberPerson, groupPath);
			await member.getByRole('link', { name: 'Start a new thread' }).click();
			await expect(member).toHaveURL(`${groupPath}/new`);
			await expect(member).toHaveTitle(`Start a thread in ${groupName} – Muster`);
			await expect(member.getByRole('heading', { level: 1, name: 'Start a new thread' })).toBeVisible();
			await ready(member);

			await member.getByLabel('Title', { exact: true }).fill(title);
			await member.getByLabel('Your post', { exact: true }).fill(firstDraft);
			await member.getByRole('button', { name: 'Preview', exact: true }).click();

			const preview = member.getByRole('region', { name: 'Preview' });
			await expect(preview.getByRole('strong')).toHaveText('weekly briefings');
			await expect(preview.getByRole('emphasis')).toHaveText('partner agencies');
			await expect(preview.getByRole('listitem')).toHaveText([
				'Fewer missed handovers',
				'Shared spreadsheets dashboards'
			]);
			await expect(preview.getByRole('deletion')).toHaveText('spreadsheets');
			// No Markdown syntax is left over: the preview is what will be posted.
			await expect(preview).not.toContainText('**');
			// Nothing typed is lost by previewing.
			await expect(member.getByLabel('Title', { exact: true })).toHaveValue(title);
			await expect(member.getByLabel('Your post', { exact: true })).toHaveValue(firstDraft);
			await expectAccessible(member);

			await ready(member);
			await submitPost(member, 'Post thread');
			threadPath = new URL(member.url()).pathname;
			expect(threadPath).toMatch(new RegExp(`^${groupPath}/t/\\d+-[a-z0-9-]+$`));
			firstPostId = postIdFromUrl(member);
			await expect(member).toHaveTitle(`${title} – Muster`);
			await expect(member.getByRole('heading', { level: 1, name: title })).toBeVisible();
			const first = postAt(member, 1);
			await expect(first.getByRole('heading', { level: 2 })).toContainText(memberPerson.name);
			// Where the advice comes from, and the post's own address.
			await expect(first.getByRole('heading', { level: 2 })).toContainText(
				`${memberPerson.name}, Kent Police`
			);
			await expect(first.getByRole('link', { name: '#1 (link to this post)' })).toHaveAttribute(
				'href',
				`${groupPath}/p/${firstPostId}`
			);
			// After posting, the keyboard starts at the new post.
			if (javaScriptEnabled) await expect(member.locator(`#post-${firstPostId}`)).toBeFocused();
			// Live controls only where they work: without JavaScript the page works by reload.
			await expect(member.getByRole('button', { name: 'Pause live updates' })).toHaveCount(
				javaScriptEnabled ? 1 : 0
			);
			await expect(member.getByText('Connecting…')).toHaveCount(0);
			await expect(first.getByRole('strong')).toHaveText('weekly briefings');
			await expect(first).not.toContainText('find this helpful');
			await expect(first.getByRole('link', { name: 'Edit your post' })).toBeVisible();
			// Nobody marks their own post helpful.
			await expect(first.getByRole('button', { name: 'Mark helpful' })).toHaveCount(0);
			await expect(member.getByLabel('Your reply', { exact: true })).toHaveValue('');
			await expectAccessible(member);
		});

		await test.step('the group page lists the thread', async () => {
			await member.getByRole('link', { name: groupName, exact: true }).click();
			await expect(member).toHaveURL(groupPath);
			const entry = member.getByRole('listitem').filter({ has: member.getByRole('link', { name: title }) });
			await expect(entry).toHaveCount(1);
			await expect(entry).toContainText(`Started by ${memberPerson.name} · 0 replies`);
			await expect(member.getByText('No discussions yet.')).toHaveCount(0);
			await expectAccessible(member);
		});

		await test.step('the owner replies', async () => {
			await owner.goto(groupPath);
			await owner.getByRole('link', { name: title }).click();
			await expect(owner).toHaveURL(threadPath);
			await ready(owner);
			await owner.getByLabel('Your reply', { exact: true }).fill(ownerReply);
			await submitPost(owner, 'Post reply');
			expect(new URL(owner.url()).pathname).toBe(threadPath);
			ownerPostId = postIdFromUrl(owner);
			const reply = postAt(owner, 2);
			await expect(reply.getByRole('heading', { level: 2 })).toContainText(ownerPerson.name);
			await expect(reply).toContainText(ownerReply);
		});

		await test.step('the member quotes the owner’s reply and answers it', async () => {
			await member.goto(threadPath);
			await expect(postAt(member, 2)).toContainText(ownerReply);
			await postAt(member, 2).getByRole('link', { name: 'Quote this post' }).click();
			await expect(member).toHaveURL(new RegExp(`[?&]quote=${ownerPostId}#reply$`));
			await ready(member);
			const box = member.getByLabel('Your reply', { exact: true });
			const quoted = `> ${ownerReply}\n>\n> — [${ownerPerson.name}](${groupPath}/p/${ownerPostId})\n\n`;
			await expect(box).toHaveValue(quoted);
			await box.fill(`${quoted}${quoteAddition}`);
			await submitPost(member, 'Post reply');

			const answer = postAt(member, 3);
			await expect(answer.getByRole('heading', { level: 2 })).toContainText(memberPerson.name);
			const quote = answer.getByRole('blockquote');
			await expect(quote).toContainText(ownerReply);
			await expect(quote.getByRole('link', { name: ownerPerson.name })).toHaveAttribute(
				'href',
				`${groupPath}/p/${ownerPostId}`
			);
			await expect(answer).toContainText(quoteAddition);
			await expect(answer.getByRole('paragraph').last()).toHaveText(quoteAddition);
		});

		await test.step('the member edits their first post, and “edited” opens its history', async () => {
			await postAt(member, 1).getByRole('link', { name: 'Edit your post' }).click();
			await expect(member).toHaveURL(`${groupPath}/p/${firstPostId}/edit`);
			await expect(member).toHaveTitle('Edit your post – Muster');
			await expect(member.getByRole('heading', { level: 1, name: 'Edit your post' })).toBeVisible();
			await ready(member);
			const box = member.getByRole('textbox', { name: 'Your post' });
			await expect(box).toHaveValue(firstDraft);
			await expectAccessible(member);
			await box.fill(editedFirst);
			await member.getByRole('button', { name: 'Save changes' }).click();

			await expect(member).toHaveURL(`${threadPath}?page=1#post-${firstPostId}`);
			const first = postAt(member, 1);
			await expect(first.getByRole('strong')).toHaveText('fortnightly briefings');
			await expect(first).not.toContainText('weekly briefings');
			await first.getByRole('link', { name: /^edited/ }).click();

			await expect(member).toHaveURL(`${groupPath}/p/${firstPostId}/history`);
			await expect(member).toHaveTitle('History of a post – Muster');
			await expect(member.getByRole('heading', { level: 1, name: 'History of this post' })).toBeVisible();
			await expect(member.getByRole('heading', { level: 2, name: /^Now \(edited .+\)$/ })).toBeVisible();
			const earlier = member.getByRole('heading', { level: 2, name: /^As written .+, replaced .+$/ });
			await expect(earlier).toHaveCount(1);
			// Both versions, formatted: the current one first, then the one it replaced.
			await expect(member.getByRole('main').getByRole('strong')).toHaveText([
				'fortnightly briefings',
				'weekly briefings'
			]);
			await expect(member.getByRole('deletion')).toHaveText('spreadsheets');
			await expectAccessible(member);
			await member.getByRole('link', { name: title }).click();
			await expect(member).toHaveURL(threadPath);
		});

		if (javaScriptEnabled) {
			await test.step('with JavaScript, an unsent reply survives a reload and is forgotten once posted', async () => {
				await ready(member);
				const box = member.getByLabel('Your reply', { exact: true });
				await expect(box).toHaveValue('');
				await box.fill(draft);
				await member.reload();
				await ready(member);
				await expect(member.getByText('Your unsent draft has been restored.')).toBeVisible();
				await expect(box).toHaveValue(draft);

				await submitPost(member, 'Post reply');
				await expect(postAt(member, 4)).toContainText(draft);
				// The box is empty at once (the sent reply never comes back to invite a second post),
				// and after a reload too.
				await ready(member);
				await expect(box).toHaveValue('');
				await expect(member.getByText('Your unsent draft has been restored.')).toHaveCount(0);
				await member.reload();
				await ready(member);
				await expect(member.getByText('Your unsent draft has been restored.')).toHaveCount(0);
				await expect(box).toHaveValue('');
				// Something new typed on that same page is still kept by a reload.
				await box.fill('A second thought, not yet sent');
				await member.reload();
				await ready(member);
				await expect(box).toHaveValue('A second thought, not yet sent');
				await box.fill('');
			});
		}
		const postCount = javaScriptEnabled ? 4 : 3;

		await test.step('the owner marks the member’s first post helpful and sees who did', async () => {
			await owner.goto(threadPath);
			await expect(owner.getByRole('main').getByRole('article')).toHaveCount(postCount);
			const first = postAt(owner, 1);
			await expect(first).not.toContainText('find this helpful');
			await first.getByRole('button', { name: 'Mark helpful' }).click();

			// The page you were on is kept (page 1 here).
			await expect(owner).toHaveURL(`${threadPath}?page=1#post-${firstPostId}`);
			await expect(first).toContainText('1 person finds this helpful');
			const marked = first.getByRole('button', { name: 'Helpful (marked)' });
			await expect(marked).toHaveAttribute('aria-pressed', 'true');
			// Only that post was marked.
			await expect(postAt(owner, 3)).not.toContainText('find this helpful');
			await first.getByRole('link', { name: 'Who finds this helpful' }).click();

			await expect(owner).toHaveURL(`${groupPath}/p/${firstPostId}/helpful`);
			await expect(owner).toHaveTitle('Who finds this post helpful – Muster');
			await expect(
				owner.getByRole('heading', { level: 1, name: 'Who finds this post helpful' })
			).toBeVisible();
			const people = owner.getByRole('main').getByRole('listitem');
			await expect(people).toHaveCount(1);
			await expect(people.getByRole('link', { name: ownerPerson.name })).toBeVisible();
			await expectAccessible(owner);
		});

		await test.step('the owner can open the page to hide the member’s post, and leaves it', async () => {
			await owner.getByRole('link', { name: title }).click();
			await expect(owner).toHaveURL(`${threadPath}?page=1#post-${firstPostId}`);
			await postAt(owner, 1).getByRole('link', { name: 'Hide this post' }).click();
			await expect(owner).toHaveURL(`${groupPath}/p/${firstPostId}/hide`);
			await expect(owner).toHaveTitle('Hide this post? – Muster');
			await expect(owner.getByRole('heading', { level: 1, name: 'Hide this post?' })).toBeVisible();
			await expect(owner.getByRole('textbox', { name: 'Reason' })).toBeVisible();
			await expectAccessible(owner);
			await owner.getByRole('link', { name: 'Cancel' }).click();
			await expect(owner).toHaveURL(threadPath);
			await expect(postAt(owner, 1)).not.toContainText('Hidden by a moderator');
		});

		await test.step('the owner locks the thread with a reason', async () => {
			// The moderation controls are folded into one line above the posts.
			await owner.getByText('Moderate this thread').click();
			await owner.getByRole('link', { name: 'Lock thread' }).click();
			await expect(owner).toHaveURL(`${threadPath}/lock`);
			await expect(owner).toHaveTitle('Lock this thread? – Muster');
			await expect(owner.getByRole('heading', { level: 1, name: 'Lock this thread?' })).toBeVisible();
			await expectAccessible(owner);
			await ready(owner);
			await owner.getByRole('textbox', { name: 'Reason' }).fill(lockReason);
			await owner.getByRole('button', { name: 'Lock thread' }).click();

			await expect(owner).toHaveURL(threadPath);
			await expect(owner.getByRole('heading', { level: 1, name: title })).toContainText('Locked');
			await expect(
				owner.getByText(`This thread is locked: it takes no more replies. ${lockReason}`)
			).toBeVisible();
			await owner.getByText('Moderate this thread').click();
			await expect(owner.getByRole('link', { name: 'Unlock thread' })).toBeVisible();
			await expect(owner.getByRole('link', { name: 'Lock thread', exact: true })).toHaveCount(0);
			await expect(owner.getByLabel('Your reply', { exact: true })).toHaveCount(0);
			await expectAccessible(owner);
		});

		await test.step('the member sees why, cannot reply, and a reply sent anyway is refused', async () => {
			await member.goto(threadPath);
			await expect(member.getByRole('heading', { level: 1, name: title })).toContainText('Locked');
			await expect(
				member.getByText(`This thread is locked: it takes no more replies. ${lockReason}`)
			).toBeVisible();
			await expect(member.getByText('This thread is locked, so it takes no more replies.')).toBeVisible();
			await expect(member.getByLabel('Your reply', { exact: true })).toHaveCount(0);
			await expect(member.getByRole('button', { name: 'Post reply' })).toHaveCount(0);
			await expect(member.getByRole('link', { name: 'Quote this post' })).toHaveCount(0);
			// Moderation is not theirs to see.
			await expect(member.getByRole('link', { name: 'Unlock thread' })).toHaveCount(0);
			await expect(member.getByRole('link', { name: 'Hide this post' })).toHaveCount(0);
			await expect(postAt(member, 1)).toContainText('1 person finds this helpful');
			await expectAccessible(member);

			// A reply posted straight to the form's action, as from a page opened before the lock.
			const response = await member.request.post(`${threadPath}?/reply`, {
				form: { body: `Sent after the lock (${unique(info)}).` },
				// As a browser's form post: from this site, for a page (SvelteKit answers JSON otherwise).
				headers: { origin: new URL(baseURL!).origin, accept: 'text/html' },
				maxRedirects: 0
			});
			expect(response.status()).toBe(409);
			const html = await response.text();
			expect(html).toContain(`This thread is locked, so it takes no more replies. ${lockReason}`);
			expect(html).not.toContain(TOO_QUICK);

			await member.reload();
			await expect(member.getByRole('main').getByRole('article')).toHaveCount(postCount);
			await expect(member.getByText('Sent after the lock')).toHaveCount(0);
		});
	});
});
