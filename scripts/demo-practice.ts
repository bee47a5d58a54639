/**
 * The demo's good-practice library: two published site-wide entries, one group entry
 * written up from a discussion and waiting for review, and one draft. Written through the
 * practice service, so versions, reviews, discussion threads and audit rows are the app's own.
 * The administrator first makes the reviewer a site-wide practice reviewer.
 */
import { createDraft, review, submitForReview } from '../src/lib/server/practice/practice.service.ts';
import { setPracticeReviewer } from '../src/lib/server/practice/topics.service.ts';
import { practiceDraftSchema, type PracticeDraftInput } from '../src/lib/server/practice/practice.schemas.ts';
import type { DemoWorld } from './demo-seed.ts';
import type { PersonKey } from './demo-content.ts';

interface DemoEntry {
	by: PersonKey;
	/** Topics by name, from the list the migration seeds. */
	topics: string[];
	/** Form fields, as the entry form posts them. */
	fields: Record<string, string>;
}

const MULTI_AGENCY: DemoEntry = {
	by: 'tom',
	topics: ['County lines', 'Criminal exploitation', 'Partnership working'],
	fields: {
		title: 'Multi-agency meeting within 48 hours of finding a cuckooed address',
		summary:
			'When a cuckooed address is found, police, housing and adult social care meet within 48 hours, and the tenant is referred as a potential victim before any closure order is sought. Fewer tenants went back to the same line.',
		aim: 'Closure orders shut cuckooed addresses down, but often left a vulnerable tenant homeless and back in contact with the same line within weeks. We wanted to close the address *and* keep the tenant safe.',
		done: `- A named officer calls a **multi-agency meeting within 48 hours** of an address being identified as cuckooed: neighbourhood police, the housing provider and adult social care, with drug and alcohol services where relevant.
- The tenant is referred as a potential victim of exploitation **before** a closure order is applied for.
- The meeting agrees one of three routes: support in place with a partial closure order, a managed move, or a full closure with accommodation already arranged.
- Neighbourhood officers visit weekly for the first month after the order.`,
		outcome:
			'Addresses closed without the tenant being made homeless; fewer tenants exploited again; earlier warning when a line tests the address again.',
		results: `Over a twelve-month pilot in one borough (figures made up for this demonstration):

| | Year before | Pilot year |
| --- | --- | --- |
| Cuckooed addresses dealt with | 28 | 31 |
| Tenants left without accommodation | 11 | 3 |
| Addresses targeted again within three months | 14 | 5 |

Housing partners called the meeting the most useful single change.`,
		lessons:
			'The 48 hours matters: after a week the line has usually moved back in. It needs a named police chair and a named housing lead; without them meetings slipped. The cost is mostly time, about three hours of officer and partner time per address.',
		effectiveness: 'promising',
		stage: 'established',
		scale: 'local',
		region: 'london',
		partners: 'Housing provider; adult social care; drug and alcohol services',
		targetGroup: 'Vulnerable tenants whose homes are taken over by drug lines',
		startDate: '2025-04-01'
	}
};

const ONE_FLAG: DemoEntry = {
	by: 'megan',
	topics: ['County lines', 'Investigation'],
	fields: {
		title: 'One flag for cuckooed addresses, in every system',
		summary:
			'Recording each cuckooed address with one agreed flag, in the crime, intelligence and safeguarding systems alike, let analysts link tenants and lines across addresses and see repeat targeting weeks earlier.',
		aim: 'Cuckooed addresses were recorded in four different ways across three systems, so nobody could see when the same tenant, or the same line, turned up at a second address.',
		done: `1. Agreed **one flag** and a one-paragraph definition with the intelligence bureau, the safeguarding hub and neighbourhood teams.
2. Added the flag to the address record in each system, not to the person.
3. A weekly report lists new flags and any address, tenant or phone number seen before.`,
		outcome: 'Repeat targeting and links between addresses visible within a week instead of months.',
		results:
			'In the first six months (made-up figures for this demonstration) the weekly report linked 9 addresses to lines already known, and found 4 tenants exploited at a second address, who were then offered support.',
		lessons:
			'Agreeing the definition took longer than the technical change. Back-record conversion was not worth it beyond twelve months.',
		effectiveness: 'worked',
		stage: 'established',
		scale: 'force',
		region: 'east_of_england',
		partners: 'Safeguarding hub',
		targetGroup: 'Analysts and neighbourhood teams',
		startDate: '2024-10-01'
	}
};

const REFERRAL_CHECK: DemoEntry = {
	by: 'priya',
	topics: ['Modern slavery', 'Victim care', 'Investigation'],
	fields: {
		title: 'A sergeant reads every modern slavery referral before it goes',
		summary:
			'First-responder referrals are read back by a sergeant before submission, against a one-page checklist. Far fewer are returned for more information, and decisions come sooner.',
		aim: 'Referrals completed on scene were often returned for more information, which delayed decisions and support for the people referred.',
		done: `- A one-page checklist: each indicator tied to what was seen or said; the person's account in their own words, with how it was interpreted; the consent conversation; what happened next.
- The custody or response sergeant reads the referral against the checklist before it is submitted, on scene where possible.`,
		outcome: 'Referrals accepted first time; quicker decisions.',
		results:
			'Early days: in the first three months of the pilot (made-up figures for this demonstration) referrals returned for more information fell from about one in five to one in twelve.',
		lessons:
			'Sergeants need ten minutes of briefing on the checklist, not a course. Credit to the discussion in this group, where the checklist came from.',
		effectiveness: 'promising',
		stage: 'pilot',
		scale: 'force',
		region: 'south_east',
		partners: 'Gangmasters and Labour Abuse Authority',
		targetGroup: 'First responders and their sergeants',
		startDate: '2026-06-01'
	}
};

const KIOSK_DRAFT: DemoEntry = {
	by: 'owen',
	topics: ['County lines'],
	fields: {
		title: 'Kiosk triage of deal-line handsets at the point of seizure',
		summary:
			'A short kiosk extraction of contacts and message timings when a deal-line handset is seized, with a full examination later only if needed.',
		aim: 'Downloads of seized deal-line handsets took weeks, by which time the line had a new number.'
	}
};

async function draftInput(world: DemoWorld, entry: DemoEntry): Promise<PracticeDraftInput> {
	const author = world.people[entry.by];
	const topics = await world.ctx.db
		.selectFrom('practiceTopics')
		.select(['id', 'name'])
		.where('name', 'in', entry.topics)
		.execute();
	const complete = 'effectiveness' in entry.fields;
	const fields = practiceDraftSchema.parse({
		...entry.fields,
		...(complete
			? { leadOrganisation: String(author.user.organisationId ?? ''), contact: author.user.displayName }
			: {})
	});
	return { ...fields, topics: topics.map((t) => t.id) };
}

/** Writes the demo's practice entries; returns one line saying what was made. */
export async function seedPractice(world: DemoWorld): Promise<string> {
	const { ctx, clock, people: p, meta } = world;
	// Threads end about four days ago; the library fills over the days after.
	clock.at(4, 9, 0);
	await setPracticeReviewer(ctx, p.helen.user, p.ruth.user.id, true, 'Good practice review lead.', meta);

	const publish = async (entry: DemoEntry, comment: string) => {
		const input = await draftInput(world, entry);
		clock.after(40);
		const { id } = await createDraft(ctx, p[entry.by].user, {}, input, meta);
		clock.after(95);
		world.mail.subjects.add(`Good practice to review: “${input.title}”`);
		await submitForReview(ctx, p[entry.by].user, id, meta);
		clock.after(5 * 60);
		await review(ctx, p.ruth.user, id, { decision: 'publish', comment }, meta);
	};

	clock.after(90);
	await publish(MULTI_AGENCY, 'Clear and repeatable. Thank you for including the cost.');
	clock.at(3, 9, 15);
	await publish(ONE_FLAG, '');

	// Written up from the group's discussion, so it belongs to the group: its moderators review it.
	clock.at(2, 14, 0);
	const referral = world.threads.referrals!;
	const groupEntry = await createDraft(
		ctx,
		p[REFERRAL_CHECK.by].user,
		{ groupSlug: world.groups[referral.group].slug, fromThread: referral.id },
		await draftInput(world, REFERRAL_CHECK),
		meta
	);
	clock.after(50);
	await submitForReview(ctx, p[REFERRAL_CHECK.by].user, groupEntry.id, meta);

	clock.at(2, 16, 40);
	await createDraft(ctx, p[KIOSK_DRAFT.by].user, {}, await draftInput(world, KIOSK_DRAFT), meta);

	return (
		`Practice entries: 2 published site-wide (reviewed by ${p.ruth.person.name}), 1 in review in ` +
		`${world.groups[referral.group].name}, 1 draft (${p[KIOSK_DRAFT.by].person.name}'s)`
	);
}
