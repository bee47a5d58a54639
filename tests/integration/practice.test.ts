/**
 * The good-practice library: the workflow and who may make each step, reviewers never
 * publishing their own work, revisions that keep the published version until approved,
 * archive, scope (a group's entries never seen outside it: lists, counts, pages, promote
 * links), filters with counts, and the list SQL agreeing with the policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { createUser, signIn, type TestUser } from '../support/accounts.ts';
import { WebClient, textOf } from '../support/web-client.ts';
import { createSession, validateSessionToken, type SessionUser } from '../../src/lib/server/auth/session.ts';
import { addCoauthor } from '../../src/lib/server/practice/practice-coauthors.service.ts';
import {
	archiveEntry,
	review,
	submitForReview
} from '../../src/lib/server/practice/practice-review.service.ts';
import {
	createDraft,
	saveDraft,
	startRevision
} from '../../src/lib/server/practice/practice-drafting.service.ts';
import { getEntry } from '../../src/lib/server/practice/practice-entry.service.ts';
import {
	facetCounts,
	listPractice,
	topicMap,
	type PracticeFilters
} from '../../src/lib/server/practice/practice-list.service.ts';
import { myPractice } from '../../src/lib/server/practice/practice-queues.service.ts';
import { listThreads } from '../../src/lib/server/discussions/thread.service.ts';
import { findGroup, loadGroupAccess, policyActor } from '../../src/lib/server/policy/group.access.ts';
import { readsEntryScope, scopeOf } from '../../src/lib/server/policy/practice.access.ts';
import { createGroup } from '../../src/lib/server/groups/group.service.ts';
import {
	practiceDraftSchema,
	type PracticeDraftInput
} from '../../src/lib/server/practice/practice.schemas.ts';
import { DomainError } from '../../src/lib/server/errors.ts';
import { mayReadScope } from '../../src/lib/server/policy/practice.policy.ts';
import { search } from '../../src/lib/server/search/search.service.ts';
import { parseSearch } from '../../src/lib/server/search/search.query.ts';

let host: TestHost;
let clock = new Date('2026-11-28T09:00:00Z');
const tick = (seconds = 10) => (clock = new Date(clock.getTime() + seconds * 1000));
const META = { ip: '127.0.0.1', userAgent: 'test' };
const KEY = new Uint8Array(20).fill(7);

beforeAll(async () => {
	host = await createTestHost('practice', { now: () => clock });
});
afterAll(async () => {
	await host?.close();
});

let n = 0;
interface Person {
	account: TestUser;
	user: SessionUser;
	client: WebClient;
}
async function person(
	domain: string,
	options: { totp?: boolean; reviewer?: boolean; admin?: boolean } = {}
): Promise<Person> {
	const account = await createUser(host.ctx, `p${++n}@${domain}`, {
		totpKey: options.totp ? KEY : undefined,
		admin: options.admin,
		displayName: `Practice person ${n}`
	});
	if (options.reviewer) {
		await host.ctx.db
			.updateTable('users')
			.set({ practiceReviewer: true })
			.where('id', '=', account.id)
			.execute();
	}
	const { token } = await createSession(host.ctx.db, account.id, { twoFactorVerified: true }, host.ctx.now());
	const user = (await validateSessionToken(host.ctx.db, token, host.ctx.now()))!.user;
	const client = new WebClient(host.app, host.ctx.config.origin);
	await signIn(client, host.ctx, account);
	return { account, user, client };
}

let topics: number[] = [];
let kent = 0;
beforeAll(async () => {
	topics = (await host.ctx.db.selectFrom('practiceTopics').select('id').orderBy('id').execute()).map(
		(t) => t.id
	);
	kent = (
		await host.ctx.db
			.selectFrom('organisations')
			.select('id')
			.where('name', 'ilike', 'Kent%')
			.executeTakeFirstOrThrow()
	).id;
});

function complete(author: Person, overrides: Partial<Record<string, string>> = {}, topicIds = [topics[0]!]) {
	const parsed = practiceDraftSchema.parse({
		title: `Car wash welfare visits ${++n}`,
		summary: 'Joint visits to hand car washes with the GLAA and the local authority.',
		aim: 'Find and support people exploited in hand car washes.',
		done: 'Monthly **joint** visits, with an interpreter and a support worker.',
		outcome: 'More referrals into the NRM, and fewer repeat victims.',
		results: '14 referrals in six months, against 3 the year before.',
		lessons: 'Interpreters are essential; visits in the morning find more workers.',
		effectiveness: 'promising',
		stage: 'pilot',
		scale: 'force',
		region: 'south_east',
		leadOrganisation: String(kent),
		partners: 'GLAA, Kent County Council',
		targetGroup: 'Workers in hand car washes',
		startDate: '2026-01-05',
		endDate: '',
		contact: author.user.displayName,
		links: 'https://www.gov.uk/government/organisations/gangmasters-and-labour-abuse-authority',
		...overrides
	});
	return { ...parsed, topics: topicIds } satisfies PracticeDraftInput;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (err) {
		if (err instanceof DomainError) return err.code;
		throw err;
	}
	return 'allowed';
}

describe('workflow', () => {
	it('draft → submit → return with comments → resubmit → publish, each step by the right person', async () => {
		const officer = await person('kent.police.uk');
		const other = await person('met.police.uk');
		const partner = await person('nca.gov.uk');
		const reviewer = await person('essex.police.uk', { totp: true, reviewer: true });
		const reviewerWithoutTwoFactor = await person('essex.police.uk', { reviewer: true });

		// A draft over HTTP: only a title is needed, and the page says it is a draft.
		const res = await officer.client.post('/practice/new', { title: 'Triage for county lines referrals' });
		expect(res.status).toBe(303);
		const path = res.location!.split('?')[0]!;
		const id = Number(/^\/practice\/(\d+)-triage-for-county-lines-referrals$/.exec(path)![1]);
		const draftPage = await officer.client.get(path);
		expect(textOf(draftPage.body)).toContain('Draft');

		// Nobody else sees a draft; not even a reviewer until it is submitted.
		for (const viewer of [other, partner, reviewer]) {
			expect((await viewer.client.get(path)).status).toBe(404);
			expect(await refusal(getEntry(host.ctx, viewer.user, id))).toBe('not_found');
		}

		// Submitting an incomplete draft says what is missing and changes nothing.
		const incomplete = await officer.client.post(`${path}?/submit`, {});
		expect(incomplete.status).toBe(400);
		expect(textOf(incomplete.body)).toMatch(/not ready for review yet: write a summary/);
		expect((await getEntry(host.ctx, officer.user, id)).status).toBe('draft');

		// Saving the whole form and submitting: now a reviewer sees it in the queue.
		tick();
		await saveDraft(
			host.ctx,
			officer.user,
			id,
			complete(officer, { title: 'Triage for county lines referrals' }),
			META,
			{
				submit: true
			}
		);
		expect((await getEntry(host.ctx, officer.user, id)).status).toBe('in_review');
		const queue = await reviewer.client.get('/practice/review');
		expect(queue.body).toContain('Triage for county lines referrals');
		expect((await other.client.get(path)).status).toBe(404);
		// The author cannot edit while it is with a reviewer.
		expect(await refusal(saveDraft(host.ctx, officer.user, id, complete(officer), META))).toBe('conflict');

		// Who may review: not the author, not a non-reviewer, not a reviewer without two-factor.
		expect(
			await refusal(review(host.ctx, officer.user, id, { decision: 'publish', comment: '' }, META))
		).toBe('forbidden');
		expect(await refusal(review(host.ctx, other.user, id, { decision: 'publish', comment: '' }, META))).toBe(
			'not_found'
		);
		expect(
			await refusal(
				review(host.ctx, reviewerWithoutTwoFactor.user, id, { decision: 'publish', comment: '' }, META)
			)
		).toBe('two_factor');

		// Returned with comments (over HTTP): the comment must be given, then the author sees it and is e-mailed.
		const noComment = await reviewer.client.post(`${path}/review`, { decision: 'return', comment: '' });
		expect(noComment.status).toBe(400);
		expect(textOf(noComment.body)).toContain('Say what the author needs to change');
		tick();
		const returned = await reviewer.client.post(`${path}/review`, {
			decision: 'return',
			comment: 'Please add the cost of the interpreters.'
		});
		expect(returned.status).toBe(303);
		const returnedPage = await officer.client.get(path);
		expect(textOf(returnedPage.body)).toContain('Returned with comments');
		expect(textOf(returnedPage.body)).toContain('Please add the cost of the interpreters.');
		const mail = await host.ctx.db
			.selectFrom('outbox')
			.select(['subject', 'textBody'])
			.where('toAddress', '=', officer.account.email)
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(mail.subject).toContain('returned with comments');
		expect(mail.textBody).toContain('Please add the cost of the interpreters.');

		// Edited and resubmitted, then published: everyone in the audience reads it; a guest does not.
		tick();
		await saveDraft(
			host.ctx,
			officer.user,
			id,
			complete(officer, {
				title: 'Triage for county lines referrals',
				lessons: 'Interpreters cost £40 an hour.'
			}),
			META,
			{ submit: true }
		);
		tick();
		await review(host.ctx, reviewer.user, id, { decision: 'publish', comment: 'Clear and useful.' }, META);
		const guest = await person('example.org');
		expect((await partner.client.get(path)).status).toBe(200);
		expect((await other.client.get(path)).body).toContain('Interpreters cost £40 an hour.');
		expect((await guest.client.get(path)).status).toBe(404);

		// Every step is in the audit log.
		const actions = (
			await host.ctx.db
				.selectFrom('auditLog')
				.select('action')
				.where('targetType', '=', 'practice')
				.where('targetId', '=', String(id))
				.orderBy('id')
				.execute()
		).map((r) => r.action);
		expect(actions).toEqual([
			'practice.drafted',
			'practice.submitted',
			'practice.returned',
			'practice.submitted',
			'practice.published'
		]);

		// The discussion underneath: a thread in the library group; a partner joins, then comments.
		const page = await partner.client.get(path);
		expect(textOf(page.body)).toContain('Join the discussion');
		expect((await partner.client.post(`${path}?/join`, {})).status).toBe(303);
		tick();
		const commented = await partner.client.post(`${path}?/comment`, { body: 'We ran this in Essex too.' });
		expect(commented.status).toBe(303);
		expect((await officer.client.get(path)).body).toContain('We ran this in Essex too.');
	});

	it('a reviewer cannot publish an entry they wrote or co-wrote; a co-author may edit the draft', async () => {
		const reviewer = await person('kent.police.uk', { totp: true, reviewer: true });
		const colleague = await person('kent.police.uk');
		const other = await person('met.police.uk', { totp: true, reviewer: true });
		const own = await createDraft(host.ctx, reviewer.user, {}, complete(reviewer), META);
		await submitForReview(host.ctx, reviewer.user, own.id, META);
		expect(
			await refusal(review(host.ctx, reviewer.user, own.id, { decision: 'publish', comment: '' }, META))
		).toBe('forbidden');

		const shared = await createDraft(host.ctx, colleague.user, {}, complete(colleague), META);
		// Before being added, the other reviewer cannot even see the draft.
		expect(await refusal(getEntry(host.ctx, other.user, shared.id))).toBe('not_found');
		await addCoauthor(host.ctx, colleague.user, shared.id, other.account.email, META);
		expect((await getEntry(host.ctx, other.user, shared.id)).status).toBe('draft');
		tick();
		await saveDraft(
			host.ctx,
			other.user,
			shared.id,
			complete(colleague, { title: 'Edited by the co-author' }),
			META
		);
		await submitForReview(host.ctx, colleague.user, shared.id, META);
		expect(
			await refusal(review(host.ctx, other.user, shared.id, { decision: 'publish', comment: '' }, META))
		).toBe('forbidden');
		// Only the author adds co-authors; a guest cannot be one.
		expect(await refusal(addCoauthor(host.ctx, other.user, shared.id, 'nobody@kent.police.uk', META))).toBe(
			'forbidden'
		);
		const guest = await person('example.org');
		expect(await refusal(addCoauthor(host.ctx, colleague.user, shared.id, guest.account.email, META))).toBe(
			'invalid'
		);
	});

	it('a revision goes through review while the published version stays visible; history shows each version', async () => {
		const officer = await person('kent.police.uk');
		const reader = await person('nca.gov.uk');
		const reviewer = await person('essex.police.uk', { totp: true, reviewer: true });
		const draft = await createDraft(
			host.ctx,
			officer.user,
			{},
			complete(officer, { title: 'First title' }),
			META
		);
		await submitForReview(host.ctx, officer.user, draft.id, META);
		tick();
		await review(host.ctx, reviewer.user, draft.id, { decision: 'publish', comment: '' }, META);

		await startRevision(host.ctx, officer.user, draft.id, META);
		expect(await refusal(startRevision(host.ctx, officer.user, draft.id, META))).toBe('conflict');
		tick();
		await saveDraft(host.ctx, officer.user, draft.id, complete(officer, { title: 'Second title' }), META, {
			submit: true
		});
		// Readers still see the published version; the author can read the revision.
		expect((await getEntry(host.ctx, reader.user, draft.id)).version.title).toBe('First title');
		expect(await refusal(getEntry(host.ctx, reader.user, draft.id, { working: true }))).toBe('not_found');
		expect((await getEntry(host.ctx, officer.user, draft.id, { working: true })).version.title).toBe(
			'Second title'
		);
		tick();
		await review(host.ctx, reviewer.user, draft.id, { decision: 'publish', comment: 'Better.' }, META);
		expect((await getEntry(host.ctx, reader.user, draft.id)).version.title).toBe('Second title');

		const history = await reader.client.get(`/practice/${draft.id}/history`);
		const text = textOf(history.body);
		expect(text.match(/Published on/g)).toHaveLength(2);
		expect(text).toContain('“Second title”');
		expect(text).toContain('“First title”');
		expect(text).toContain(`reviewed by Practice person`);
	});

	it('archiving needs a reason, keeps the entry readable and takes it out of the default list', async () => {
		const officer = await person('kent.police.uk');
		const reviewer = await person('essex.police.uk', { totp: true, reviewer: true });
		const reader = await person('met.police.uk');
		const title = `Archived practice ${++n}`;
		const draft = await createDraft(host.ctx, officer.user, {}, complete(officer, { title }), META);
		await submitForReview(host.ctx, officer.user, draft.id, META);
		tick();
		await review(host.ctx, reviewer.user, draft.id, { decision: 'publish', comment: '' }, META);
		expect(await refusal(archiveEntry(host.ctx, reader.user, draft.id, 'No longer run', META))).toBe(
			'forbidden'
		);
		const noReason = await reviewer.client.post(`/practice/${draft.id}/archive`, { reason: '' });
		expect(noReason.status).toBe(400);
		await archiveEntry(host.ctx, reviewer.user, draft.id, 'The scheme ended in 2026.', META);
		const page = textOf((await reader.client.get(`/practice/${draft.id}`)).body);
		expect(page).toContain('Archived on');
		expect(page).toContain('The scheme ended in 2026.');
		const base: PracticeFilters = { sort: 'newest', archived: false, q: title };
		expect((await listPractice(host.ctx, reader.user, base)).items).toEqual([]);
		expect(
			(await listPractice(host.ctx, reader.user, { ...base, archived: true })).items.map((i) => i.id)
		).toEqual([draft.id]);
	});
});

describe('the named contact', () => {
	it('is chosen by name from people the author can see, and never tells who has an account', async () => {
		const officer = await person('kent.police.uk');
		const colleague = await person('essex.police.uk');
		const stranger = await person('met.police.uk');
		const tag = n;
		const rename = (p: Person, name: string) =>
			host.ctx.db.updateTable('users').set({ displayName: name }).where('id', '=', p.account.id).execute();
		await rename(colleague, `Sam Contact ${tag}`);
		await rename(stranger, `Sam Stranger ${tag}`);
		// The officer and the colleague share a group; the stranger shares none with the officer.
		const slug = await createGroup(
			host.ctx,
			officer.user,
			{ name: `Contact group ${tag}`, description: '', visibility: 'open', audience: 'police' },
			META
		);
		await colleague.client.post(`/groups/${slug}?/join`);
		const res = await officer.client.post('/practice/new', { title: 'Contact by name' });
		const path = res.location!.split('?')[0]!;
		const save = (fields: Record<string, string>) =>
			officer.client.post(`${path}/edit?/save`, { title: 'Contact by name', ...fields });

		// Someone outside, an e-mail address, and nobody at all get the same answer, and nothing is saved.
		const answers = [];
		for (const contact of [`Sam Stranger ${tag}`, stranger.account.email, 'Nobody Whatever']) {
			const refused = await save({ contact });
			expect(refused.status).toBe(400);
			answers.push(textOf(refused.body).replaceAll(contact, 'X'));
		}
		expect(new Set(answers).size).toBe(1);
		expect(answers[0]).toContain('No one you share a group with is called “X”');

		// A colleague by (part of) their name.
		expect((await save({ contact: `sam contact ${tag}` })).status).toBe(303);
		const saved = await officer.client.get(`${path}/edit`);
		expect(saved.body).toContain(`value="Sam Contact ${tag}"`);
		expect(saved.body).toContain(`name="contactId" value="${colleague.account.id}"`);

		// Two who match: the form asks which, and the choice is kept.
		const other = await person('essex.police.uk');
		await rename(other, `Sam Contact ${tag} Junior`);
		await other.client.post(`/groups/${slug}?/join`);
		const ambiguous = await save({ contact: 'Sam Contact' });
		expect(ambiguous.status).toBe(400);
		expect(textOf(ambiguous.body)).toContain('More than one person matches “Sam Contact”');
		expect(ambiguous.body).toContain(`value="${other.account.id}"`);
		expect(ambiguous.body).not.toContain(stranger.account.id);
		expect((await save({ contact: 'Sam Contact', contactId: other.account.id })).status).toBe(303);
		expect((await officer.client.get(`${path}/edit`)).body).toContain(
			`name="contactId" value="${other.account.id}"`
		);
		// A chosen id outside what the officer can see is ignored, not believed.
		const forged = await save({ contact: 'Sam', contactId: stranger.account.id });
		expect(forged.status).toBe(400);
		expect(forged.body).not.toContain(`Sam Stranger ${tag}`);
		expect(forged.body).not.toContain(`id="contactId-${stranger.account.id}"`);
	});
});

describe('scope', () => {
	it('a group’s entry is seen only by its members: pages, lists, counts, promote links and "Written up as practice"', async () => {
		const moderator = await person('kent.police.uk', { totp: true });
		const member = await person('kent.police.uk');
		const outsider = await person('met.police.uk', { totp: true, reviewer: true });
		// Things the outsider may see, older than the group's: a thread in their own group and a
		// site-wide entry (for the page cursors below).
		const ownCreated = await outsider.client.post('/groups/new', {
			name: `Outsider group ${++n}`,
			description: '',
			visibility: 'open',
			audience: 'police'
		});
		const ownSlug = ownCreated.location!.split('/')[2]!.split('?')[0]!;
		tick();
		const ownThread = await outsider.client.post(`/groups/${ownSlug}/new?/post`, {
			title: 'Older thread',
			body: 'Older'
		});
		expect(ownThread.status).toBe(303);
		const siteReviewer = await person('essex.police.uk', { totp: true, reviewer: true });
		const older = await createDraft(host.ctx, outsider.user, {}, complete(outsider), META);
		await submitForReview(host.ctx, outsider.user, older.id, META);
		tick();
		await review(host.ctx, siteReviewer.user, older.id, { decision: 'publish', comment: '' }, META);
		tick();
		const created = await moderator.client.post('/groups/new', {
			name: `Private practice group ${++n}`,
			description: '',
			visibility: 'private',
			audience: 'police'
		});
		const slug = created.location!.split('/')[2]!.split('?')[0]!;
		const group = await host.ctx.db
			.selectFrom('groups')
			.select('id')
			.where('slug', '=', slug)
			.executeTakeFirstOrThrow();
		await host.ctx.db
			.insertInto('groupMembers')
			.values({ groupId: group.id, userId: member.account.id, role: 'member' })
			.execute();

		// The member starts a thread; the moderator writes it up as practice.
		tick();
		const started = await member.client.post(`/groups/${slug}/new?/post`, {
			title: 'Safe houses checklist',
			body: 'We check **every** safe house against this list.'
		});
		const threadPath = started.location!.split('?')[0]!;
		const threadId = Number(/\/t\/(\d+)-/.exec(threadPath)![1]);
		const form = await moderator.client.get(`/practice/new?group=${slug}&thread=${threadId}`);
		expect(form.status).toBe(200);
		expect(form.body).toContain('Safe houses checklist');
		expect(form.body).toContain('We check **every** safe house against this list.');
		// Someone outside the group cannot even open the promote form.
		expect((await outsider.client.get(`/practice/new?group=${slug}&thread=${threadId}`)).status).toBe(404);

		const topic = topics[3]!;
		const title = `Safe houses checklist ${++n}`;
		const draft = await createDraft(
			host.ctx,
			moderator.user,
			{ groupSlug: slug, fromThread: threadId },
			complete(moderator, { title, effectiveness: 'worked' }, [topic]),
			META
		);
		// The draft is listed under the thread for its author only.
		expect((await moderator.client.get(threadPath)).body).toContain('Written up as practice');
		expect((await member.client.get(threadPath)).body).not.toContain('Written up as practice');

		await submitForReview(host.ctx, moderator.user, draft.id, META);
		// The group's moderators review it; a site reviewer outside the group cannot; the author cannot.
		expect(
			await refusal(review(host.ctx, outsider.user, draft.id, { decision: 'publish', comment: '' }, META))
		).toBe('not_found');
		expect(
			await refusal(review(host.ctx, moderator.user, draft.id, { decision: 'publish', comment: '' }, META))
		).toBe('forbidden');
		const secondModerator = await person('kent.police.uk', { totp: true });
		await host.ctx.db
			.insertInto('groupMembers')
			.values({ groupId: group.id, userId: secondModerator.account.id, role: 'moderator' })
			.execute();
		tick();
		await review(host.ctx, secondModerator.user, draft.id, { decision: 'publish', comment: '' }, META);

		// Members read it (and see where it was discussed); the outsider sees nothing anywhere.
		const entryPath = `/practice/${draft.id}`;
		const asMember = await member.client.get(entryPath);
		expect(asMember.status).toBe(200);
		expect(textOf(asMember.body)).toContain('Discussed in Safe houses checklist');
		expect((await outsider.client.get(entryPath)).status).toBe(404);
		expect((await outsider.client.get(`${entryPath}/history`)).status).toBe(404);
		const filters: PracticeFilters = { sort: 'newest', archived: false, topic };
		const forOutsider = await listPractice(host.ctx, outsider.user, filters);
		expect(forOutsider.items.map((i) => i.title)).not.toContain(title);
		const forMember = await listPractice(host.ctx, member.user, filters);
		expect(forMember.items.map((i) => i.title)).toContain(title);
		const worked = (r: typeof forMember) => r.counts.effectiveness.find((c) => c.value === 'worked')!.count;
		expect(worked(forMember)).toBe(worked(forOutsider) + 1);
		const listPage = await outsider.client.get(`/practice?q=${encodeURIComponent(title)}`);
		expect(textOf(listPage.body)).toContain('0 entries match your filters');
		expect(listPage.body).not.toContain(`href="${entryPath}-`);
		// The discussion thread is in the group, so only members can follow it.
		const entry = await getEntry(host.ctx, member.user, draft.id);
		expect(entry.discussion?.groupSlug).toBe(slug);

		// A page cursor naming an entry the reader may not see behaves as one naming nothing:
		// it says nothing about whether the entry exists or when it was published.
		const all: PracticeFilters = { sort: 'newest', archived: false };
		const afterHidden = await listPractice(host.ctx, outsider.user, all, draft.id);
		const afterNothing = await listPractice(host.ctx, outsider.user, all, 99_999_999);
		expect(afterHidden.items).toEqual(afterNothing.items);
		expect(afterHidden.items).toEqual([]);
		expect((await listPractice(host.ctx, outsider.user, all)).items.map((i) => i.id)).toContain(older.id);
		// The same for a thread list's cursor naming another group's thread.
		const own = await findGroup(host.ctx.db, outsider.user, ownSlug, 'read_threads', host.ctx.now());
		const cursor = { pinned: false, lastPostAt: new Date(), id: threadId };
		expect((await listThreads(host.ctx, outsider.user, own)).threads).toHaveLength(1);
		expect((await listThreads(host.ctx, outsider.user, own, cursor)).threads).toEqual([]);

		// A co-author who leaves the group hears nothing more of the entry and no longer lists it.
		await addCoauthor(host.ctx, moderator.user, draft.id, member.account.email, META);
		expect((await myPractice(host.ctx, member.user)).map((i) => i.id)).toContain(draft.id);
		await host.ctx.db
			.deleteFrom('groupMembers')
			.where('groupId', '=', group.id)
			.where('userId', '=', member.account.id)
			.execute();
		const mailsBefore = await host.ctx.db
			.selectFrom('outbox')
			.select('id')
			.where('toAddress', '=', member.account.email)
			.execute();
		tick();
		await archiveEntry(host.ctx, moderator.user, draft.id, 'Superseded by the national checklist', META);
		const mailsAfter = await host.ctx.db
			.selectFrom('outbox')
			.select('id')
			.where('toAddress', '=', member.account.email)
			.execute();
		expect(mailsAfter).toHaveLength(mailsBefore.length);
		expect((await myPractice(host.ctx, member.user)).map((i) => i.id)).not.toContain(draft.id);
	});
});

describe('filters and counts', () => {
	it('each filter narrows the list, and each count is what choosing that value would give', async () => {
		const officer = await person('kent.police.uk');
		const reviewer = await person('essex.police.uk', { totp: true, reviewer: true });
		const reader = await person('gla.gov.uk');
		const marker = `filterset${++n}`;
		const specs = [
			{
				effectiveness: 'worked',
				stage: 'established',
				region: 'london',
				scale: 'force',
				topics: [topics[0]!]
			},
			{
				effectiveness: 'worked',
				stage: 'pilot',
				region: 'wales',
				scale: 'local',
				topics: [topics[0]!, topics[1]!]
			},
			{
				effectiveness: 'did_not_work',
				stage: 'ended',
				region: 'london',
				scale: 'national',
				topics: [topics[1]!]
			}
		];
		const ids: number[] = [];
		for (const [i, spec] of specs.entries()) {
			const { topics: topicIds, ...fields } = spec;
			const draft = await createDraft(
				host.ctx,
				officer.user,
				{},
				complete(officer, { ...fields, title: `${marker} entry ${i}` }, topicIds),
				META
			);
			await submitForReview(host.ctx, officer.user, draft.id, META);
			tick();
			await review(host.ctx, reviewer.user, draft.id, { decision: 'publish', comment: '' }, META);
			ids.push(draft.id);
		}
		const list = (f: Partial<PracticeFilters>) =>
			listPractice(host.ctx, reader.user, { sort: 'newest', archived: false, q: marker, ...f });
		const all = await list({});
		expect(all.items.map((i) => i.id)).toEqual([...ids].reverse());
		expect(all.total).toBe(3);
		const count = (r: typeof all, facet: keyof typeof r.counts, value: string) =>
			r.counts[facet].find((c) => c.value === value)?.count ?? 0;
		expect(count(all, 'effectiveness', 'worked')).toBe(2);
		expect(count(all, 'effectiveness', 'did_not_work')).toBe(1);
		expect(count(all, 'region', 'london')).toBe(2);
		expect(count(all, 'topic', String(topics[0]))).toBe(2);
		expect(count(all, 'topic', String(topics[1]))).toBe(2);
		expect(count(all, 'organisation', String(kent))).toBe(3);

		const london = await list({ region: 'london' });
		expect(london.items.map((i) => i.id)).toEqual([ids[2], ids[0]]);
		// With "London" chosen, the region counts still show every region; the others narrow.
		expect(count(london, 'region', 'wales')).toBe(1);
		expect(count(london, 'effectiveness', 'worked')).toBe(1);
		expect(count(london, 'topic', String(topics[1]))).toBe(1);
		expect((await list({ topic: topics[1], effectiveness: 'worked' })).items.map((i) => i.id)).toEqual([
			ids[1]
		]);
		expect((await list({ stage: 'ended', scale: 'national' })).items.map((i) => i.id)).toEqual([ids[2]]);

		// Over HTTP the counts are in the option labels, and a bad filter value is ignored, not a 500.
		const page = await reader.client.get(`/practice?q=${marker}&region=atlantis&topic=abc`);
		expect(page.status).toBe(200);
		expect(textOf(page.body)).toContain('It worked (2)');
		expect(textOf(page.body)).toContain('3 entries match your filters');
	});

	it('keyset pages hold 20 entries with none lost or repeated', async () => {
		const officer = await person('kent.police.uk');
		const reviewer = await person('essex.police.uk', { totp: true, reviewer: true });
		const marker = `pageset${++n}`;
		const ids: number[] = [];
		for (let i = 0; i < 23; i++) {
			const draft = await createDraft(
				host.ctx,
				officer.user,
				{},
				complete(officer, { title: `${marker} ${i}` }),
				META
			);
			await submitForReview(host.ctx, officer.user, draft.id, META);
			// Two entries published in the same instant: ordered by id as well.
			if (i % 2 === 0) tick(1);
			await review(host.ctx, reviewer.user, draft.id, { decision: 'publish', comment: '' }, META);
			ids.push(draft.id);
		}
		const filters: PracticeFilters = { sort: 'newest', archived: false, q: marker };
		const first = await listPractice(host.ctx, officer.user, filters);
		expect(first.items).toHaveLength(20);
		const second = await listPractice(host.ctx, officer.user, filters, first.next);
		expect(second.next).toBeUndefined();
		expect([...first.items, ...second.items].map((i) => i.id).sort((a, b) => a - b)).toEqual(ids);
	});
});

// The pure practice policy's matrix is in tests/unit/practice-policy.test.ts; here, its SQL forms.
describe('policy matrix', () => {
	/** A site-wide and a group entry, published, and viewers of every kind around them. */
	async function scopeWorld() {
		const author = await person('kent.police.uk', { totp: true });
		const reviewer = await person('essex.police.uk', { totp: true, reviewer: true });
		const created = await author.client.post('/groups/new', {
			name: `Matrix practice group ${++n}`,
			description: '',
			visibility: 'restricted',
			audience: 'police_partner'
		});
		const slug = created.location!.split('/')[2]!.split('?')[0]!;
		const groupId = (
			await host.ctx.db.selectFrom('groups').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
		).id;
		const moderator = await person('kent.police.uk', { totp: true });
		await host.ctx.db
			.insertInto('groupMembers')
			.values({ groupId, userId: moderator.account.id, role: 'moderator' })
			.execute();
		const marker = `matrix${++n}`;
		const siteEntry = await createDraft(
			host.ctx,
			author.user,
			{},
			complete(author, { title: `${marker} site` }),
			META
		);
		await submitForReview(host.ctx, author.user, siteEntry.id, META);
		tick();
		await review(host.ctx, reviewer.user, siteEntry.id, { decision: 'publish', comment: '' }, META);
		const groupEntry = await createDraft(
			host.ctx,
			author.user,
			{ groupSlug: slug },
			complete(author, { title: `${marker} group` }),
			META
		);
		await submitForReview(host.ctx, author.user, groupEntry.id, META);
		tick();
		await review(host.ctx, moderator.user, groupEntry.id, { decision: 'publish', comment: '' }, META);
		await createDraft(host.ctx, author.user, {}, complete(author, { title: `${marker} draft` }), META);

		const viewers = [
			author,
			moderator,
			reviewer,
			await person('met.police.uk'),
			await person('nca.gov.uk'),
			await person('example.org'),
			await person('kent.police.uk', { admin: true, totp: true })
		];
		const suspended = await person('kent.police.uk');
		await host.ctx.db
			.updateTable('users')
			.set({ status: 'suspended' })
			.where('id', '=', suspended.account.id)
			.execute();
		viewers.push({ ...suspended, user: { ...suspended.user, status: 'suspended' } });
		const candidates = await host.ctx.db
			.selectFrom('practices')
			.innerJoin('practiceVersions', 'practiceVersions.id', 'practices.publishedVersionId')
			.select('practices.id')
			.where('practiceVersions.title', 'like', `${marker}%`)
			.execute();
		expect(candidates).toHaveLength(2);
		return { viewers, candidates, marker };
	}

	it('the list SQL admits exactly the published entries the policy lets each viewer read', async () => {
		const { viewers, candidates, marker } = await scopeWorld();
		for (const viewer of viewers) {
			const listed = (
				await listPractice(host.ctx, viewer.user, { sort: 'newest', archived: true, q: marker })
			).items
				.map((i) => i.id)
				.sort();
			const allowed: number[] = [];
			for (const { id } of candidates) {
				if ((await refusal(getEntry(host.ctx, viewer.user, id))) === 'allowed') allowed.push(id);
			}
			expect(listed, viewer.account.email).toEqual(allowed.sort());
		}
	});
	it('search finds exactly the published entries the policy lets each viewer read, never a draft', async () => {
		const { viewers, candidates, marker } = await scopeWorld();
		for (const viewer of viewers) {
			const { request } = parseSearch(new URLSearchParams({ q: marker, kind: 'practice' }));
			const result = await search(host.ctx, viewer.user, request);
			const found = result.hits.map((h) => Number(/^\/practice\/(\d+)/.exec(h.href)![1])).sort();
			const allowed: number[] = [];
			for (const { id } of candidates) {
				if ((await refusal(getEntry(host.ctx, viewer.user, id))) === 'allowed') allowed.push(id);
			}
			expect([viewer.account.email, result.counts.practice, ...found]).toEqual([
				viewer.account.email,
				allowed.length,
				...allowed.sort()
			]);
		}
	});
	it('search narrowed to good practice takes the library’s own filters, with counts for its words', async () => {
		const { viewers, marker } = await scopeWorld();
		const admin = viewers[viewers.length - 2]!; // the administrator reads both published entries
		const find = async (params: Record<string, string>) => {
			const { request } = parseSearch(new URLSearchParams({ q: marker, kind: 'practice', ...params }));
			return search(host.ctx, admin.user, request);
		};
		expect((await find({})).counts.practice).toBe(2);
		expect((await find({ effectiveness: 'promising' })).counts.practice).toBe(2);
		expect((await find({ effectiveness: 'did_not_work' })).counts.practice).toBe(0);
		expect((await find({ region: 'south_east', stage: 'pilot' })).counts.practice).toBe(2);
		expect((await find({ region: 'wales' })).counts.practice).toBe(0);
		// A practice filter leaves out the other kinds, and nonsense values are ignored.
		const narrowed = await find({ kind: '', scale: 'force' });
		expect(narrowed.counts.post + narrowed.counts.thread + narrowed.counts.group).toBe(0);
		expect((await find({ effectiveness: 'nonsense', topic: 'x' })).counts.practice).toBe(2);
		const counts = await facetCounts(
			host.ctx,
			admin.user,
			{ words: marker, sort: 'newest', archived: false },
			await topicMap(host.ctx)
		);
		expect(counts.effectiveness.find((o) => o.value === 'promising')?.count).toBe(2);
		expect(counts.region.find((o) => o.value === 'wales')?.count).toBe(0);
	});
	it('the e-mail SQL admits exactly the accounts the policy lets read each entry', async () => {
		const { viewers, candidates } = await scopeWorld();
		for (const { id } of candidates) {
			const admitted = await host.ctx.db
				.selectFrom('users')
				.select('id')
				.where(
					'id',
					'in',
					viewers.map((v) => v.account.id)
				)
				.where((eb) => readsEntryScope(eb, id))
				.execute();
			const { groupId } = await host.ctx.db
				.selectFrom('practices')
				.select('groupId')
				.where('id', '=', id)
				.executeTakeFirstOrThrow();
			const allowed: string[] = [];
			for (const viewer of viewers) {
				const access = groupId
					? await loadGroupAccess(host.ctx.db, viewer.user, { id: groupId }, host.ctx.now())
					: undefined;
				if (mayReadScope(policyActor(viewer.user), scopeOf(access))) allowed.push(viewer.account.id);
			}
			expect(admitted.map((r) => r.id).sort(), String(id)).toEqual(allowed.sort());
			// Not a vacuous check: some may, and some may not.
			expect(allowed.length, String(id)).toBeGreaterThan(0);
			expect(allowed.length, String(id)).toBeLessThan(viewers.length);
		}
	});
});

describe('notifications', () => {
	/** The sentences /notifications lists for this person. */
	async function listed(who: Person): Promise<string[]> {
		const page = await who.client.get('/notifications');
		return [...page.body.matchAll(/href="\/notifications\/\d+">([^<]*)<\/a>/g)].map((m) => m[1]!);
	}

	it('reviewers hear of a submission, authors of each decision, and topic followers of a first publication they may read', async () => {
		const author = await person('kent.police.uk');
		const reviewer = await person('essex.police.uk', { totp: true, reviewer: true });
		const follower = await person('met.police.uk');
		const guest = await person('example.org');
		expect(textOf((await follower.client.get('/practice')).body)).toContain('Topics you follow');
		expect(textOf((await guest.client.get('/practice')).body)).not.toContain('Topics you follow');
		// A topic that is not one changes nothing.
		expect((await follower.client.post('/practice?/topics', { topic: '999999' })).status).toBe(400);
		const saved = await follower.client.post('/practice?/topics', { topic: String(topics[1]!) });
		expect(saved.location).toBe('/practice?notice=topics-saved#topics');

		tick();
		const { id } = await createDraft(
			host.ctx,
			author.user,
			{},
			complete(author, { title: 'Dawn welfare checks' }, [topics[1]!]),
			META
		);
		tick();
		await saveDraft(
			host.ctx,
			author.user,
			id,
			complete(author, { title: 'Dawn welfare checks' }, [topics[1]!]),
			META,
			{ submit: true }
		);
		expect(await listed(reviewer)).toEqual([
			`${author.user.displayName} sent “Dawn welfare checks” for review`
		]);
		tick();
		await review(host.ctx, reviewer.user, id, { decision: 'return', comment: 'Add costs.' }, META);
		expect(await listed(author)).toEqual([
			`${reviewer.user.displayName} returned “Dawn welfare checks” with comments`
		]);
		expect(await listed(follower)).toEqual([]); // not published yet
		tick();
		await saveDraft(
			host.ctx,
			author.user,
			id,
			complete(author, { title: 'Dawn welfare checks' }, [topics[1]!]),
			META,
			{ submit: true }
		);
		tick();
		await review(host.ctx, reviewer.user, id, { decision: 'publish', comment: '' }, META);
		expect((await listed(author))[0]).toBe(`${reviewer.user.displayName} published “Dawn welfare checks”`);
		expect(await listed(follower)).toEqual([
			'New good practice in a topic you follow: “Dawn welfare checks”'
		]);
		const opened = await follower.client.get(
			(await follower.client.get('/notifications')).body.match(/href="(\/notifications\/\d+)"/)![1]!
		);
		expect(opened.location).toBe(`/practice/${id}`);
		tick();
		await archiveEntry(host.ctx, reviewer.user, id, 'Superseded by the national guidance.', META);
		expect((await listed(author))[0]).toBe(`${reviewer.user.displayName} archived “Dawn welfare checks”`);
	});
});
