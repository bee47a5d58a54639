/**
 * What `npm run demo` writes: fictional people, groups and discussions, written for Muster.
 * Every person, operation and figure here is made up. The e-mail addresses use the seeded
 * organisations' domains (so each account takes its organisation's kind, as a registration
 * would) with ".demo" in the local part; the guest's charity has a reserved .example domain.
 */
import type { AccountKind, GroupAudience, GroupVisibility } from '../src/lib/server/db/schema.ts';

/** How the sign-in table describes an account. */
export type DemoRole = 'administrator' | 'moderator' | 'reviewer' | 'police' | 'partner' | 'guest';

export interface DemoPerson {
	name: string;
	/** Local part before "@"; a run beside earlier demo data adds a number to it. */
	local: string;
	domain: string;
	/** The kind the domain must give (checked before anything is written). */
	kind: AccountKind;
	role: DemoRole;
	admin: boolean;
	/** Administrators, moderators and reviewers need two-factor authentication. */
	twoFactor: boolean;
	jobTitle: string;
	bio: string;
}

export const PEOPLE = {
	helen: {
		name: 'Helen Ashworth',
		local: 'helen.ashworth.demo',
		domain: 'npcc.police.uk',
		kind: 'police',
		role: 'administrator',
		admin: true,
		twoFactor: true,
		jobTitle: 'Muster service manager',
		bio: 'Looks after Muster: organisations, accounts and the audit log.'
	},
	priya: {
		name: 'Priya Raman',
		local: 'priya.raman.demo',
		domain: 'kent.police.uk',
		kind: 'police',
		role: 'moderator',
		admin: false,
		twoFactor: true,
		jobTitle: 'Detective Sergeant, modern slavery team',
		bio: 'Twelve years in CID, the last four on modern slavery and exploitation. Moderator of the modern slavery group.'
	},
	tom: {
		name: 'Tom Hadley',
		local: 'tom.hadley.demo',
		domain: 'met.police.uk',
		kind: 'police',
		role: 'moderator',
		admin: false,
		twoFactor: true,
		jobTitle: 'Detective Inspector, county lines taskforce',
		bio: 'Runs a county lines taskforce. Happy to talk about multi-agency meetings and closure orders.'
	},
	ruth: {
		name: 'Ruth Adeyemi',
		local: 'ruth.adeyemi.demo',
		domain: 'npcc.police.uk',
		kind: 'police',
		role: 'reviewer',
		admin: false,
		twoFactor: true,
		jobTitle: 'Good practice review lead',
		bio: 'Reviews good-practice entries before they are published. Send me what has worked for you.'
	},
	dan: {
		name: 'Dan Whitlock',
		local: 'dan.whitlock.demo',
		domain: 'westmidlands.police.uk',
		kind: 'police',
		role: 'police',
		admin: false,
		twoFactor: false,
		jobTitle: 'Sergeant, neighbourhood policing',
		bio: 'Neighbourhood sergeant. Interested in first-responder work and safeguarding.'
	},
	aisha: {
		name: 'Aisha Khan',
		local: 'aisha.khan.demo',
		domain: 'gmp.police.uk',
		kind: 'police',
		role: 'police',
		admin: false,
		twoFactor: false,
		jobTitle: 'Detective Constable, serious organised crime',
		bio: 'County lines and cuckooing investigations.'
	},
	owen: {
		name: 'Owen Price',
		local: 'owen.price.demo',
		domain: 'south-wales.police.uk',
		kind: 'police',
		role: 'police',
		admin: false,
		twoFactor: false,
		jobTitle: 'Digital media investigator',
		bio: 'Phones, downloads and triage at the point of seizure.'
	},
	megan: {
		name: 'Megan Hollis',
		local: 'megan.hollis.demo',
		domain: 'essex.police.uk',
		kind: 'police',
		role: 'police',
		admin: false,
		twoFactor: false,
		jobTitle: 'Intelligence analyst (police staff)',
		bio: 'Analyst on exploitation and organised crime. Association charts a speciality.'
	},
	marcus: {
		name: 'Marcus Bell',
		local: 'marcus.bell.demo',
		domain: 'nca.gov.uk',
		kind: 'partner',
		role: 'partner',
		admin: false,
		twoFactor: false,
		jobTitle: 'Intelligence officer',
		bio: 'National Crime Agency. Here to link local work to the wider picture.'
	},
	claire: {
		name: 'Claire Dunmore',
		local: 'claire.dunmore.demo',
		domain: 'gla.gov.uk',
		kind: 'partner',
		role: 'partner',
		admin: false,
		twoFactor: false,
		jobTitle: 'Labour abuse prevention officer',
		bio: 'Gangmasters and Labour Abuse Authority. Joint visits, labour exploitation and worker welfare.'
	},
	sophie: {
		name: 'Sophie Lane',
		local: 'sophie.lane.demo',
		domain: 'northgate-refuge.example',
		kind: 'guest',
		role: 'guest',
		admin: false,
		twoFactor: false,
		jobTitle: 'Survivor support worker, Northgate Refuge (a fictional charity)',
		bio: 'Supports adults after they leave exploitation. Invited to the modern slavery group.'
	}
} as const satisfies Record<string, DemoPerson>;

export type PersonKey = keyof typeof PEOPLE;

export interface DemoGroup {
	name: string;
	owner: PersonKey;
	visibility: GroupVisibility;
	audience: GroupAudience;
	description: string;
}

export const GROUPS = {
	slavery: {
		name: 'Modern slavery and human trafficking',
		owner: 'priya',
		visibility: 'restricted',
		audience: 'police_partner',
		description: `For investigators, safeguarding leads and partner agencies working on modern slavery and human trafficking: referrals, victim care, labour and sexual exploitation, and joint working.

**Before you post**

- Never describe a victim or survivor in a way that could identify them.
- Muster is for material up to OFFICIAL: nothing with a higher marking, and no live operational detail.
- Say what your role is when you ask to join; the moderators approve requests.`
	},
	countyLines: {
		name: 'County lines practitioners',
		owner: 'tom',
		visibility: 'open',
		audience: 'police',
		description: `Police officers and staff tackling county lines and drug-related exploitation: cuckooing, missing children, deal-line disruption, and working with children's and adult services.

Share what worked, and what did not, so the next force does not start from scratch.`
	},
	tasking: {
		name: 'Op Fictional — covert tasking',
		owner: 'tom',
		visibility: 'private',
		audience: 'police',
		description: `Tasking and coordination for Op Fictional, a made-up operation for this demonstration. Invitation only.

Keep to actions, owners and deadlines. Sources and tactics are **never** discussed here.`
	}
} as const satisfies Record<string, DemoGroup>;

export type GroupKey = keyof typeof GROUPS;

export interface DemoReply {
	by: PersonKey;
	/** Minutes after the previous post. */
	after: number;
	body: string;
	helpful?: PersonKey[];
	/** The thread's author chooses this reply as the answer. */
	answer?: boolean;
}

export interface DemoThread {
	/** How other parts of the demo (the practice entries) refer to it. */
	key: string;
	group: GroupKey;
	by: PersonKey;
	/** When the thread starts: days before today, and the time of day. */
	daysAgo: number;
	time: [hour: number, minute: number];
	title: string;
	body: string;
	pinnedBy?: PersonKey;
	replies: DemoReply[];
	/** A moderator locks it after the last reply. */
	locked?: { by: PersonKey; reason: string };
}

const HOUR = 60;
const DAY = 24 * HOUR;

export const THREADS: DemoThread[] = [
	{
		key: 'welcome',
		group: 'slavery',
		by: 'priya',
		daysAgo: 19,
		time: [10, 5],
		title: 'Read first: how this group works',
		pinnedBy: 'priya',
		body: `Welcome. A few ground rules so that everyone, police and partners, can talk freely:

1. **No identifying details.** No names, dates of birth, addresses or photographs of victims, survivors or suspects. Describe the pattern, not the person.
2. **OFFICIAL only.** If it would need a higher marking, it does not belong here: use the usual secure channels.
3. **Ask, then share back.** If a reply helped you, mark it *helpful*, and tell us how things turned out.
4. **Good practice goes in the library.** When something has worked in more than one place, @Ruth Adeyemi can help turn it into a practice entry.

The moderators are Ruth and me. Tell either of us if something needs taking down.`,
		replies: [
			{
				by: 'marcus',
				after: 2 * HOUR + 10,
				body: 'Thanks, Priya. For colleagues from national agencies: the same applies to anything from an intelligence product. Summarise the learning; never paste the product.',
				helpful: ['priya', 'claire']
			},
			{
				by: 'sophie',
				after: DAY + 3 * HOUR,
				body: 'Thank you for letting support organisations in. We work with survivors after their first contact with police, so I will mostly read, and answer questions about what happens on our side of a referral.'
			}
		]
	},
	{
		key: 'referrals',
		group: 'slavery',
		by: 'dan',
		daysAgo: 16,
		time: [8, 40],
		title: 'First-responder referrals: what does the decision maker need from us?',
		body: `Two of our referrals came back this month asking for "further information" before a decision could be made. Both were adults found working at a nail bar after a welfare visit, and in both cases the officer completed the referral on scene from their notes.

What do other forces include as a matter of routine? In particular:

- how much of the person's own account do you record, and in whose words?
- do you attach the safeguarding plan, or summarise it?
- who checks the referral before it goes?

A template or a checklist would be gratefully received.`,
		replies: [
			{
				by: 'claire',
				after: HOUR + 40,
				answer: true,
				helpful: ['dan', 'priya', 'marcus', 'ruth', 'sophie'],
				body: `We see a lot of these from the labour exploitation side. The referrals that go through first time tend to have:

1. **Each indicator tied to what was seen or said.** "Passport held by the employer (she told the officer this in the back office)" is far stronger than a ticked box.
2. **The person's account in their own words**, and who interpreted and how: telephone line, in person, or a relative (worth flagging, that last one).
3. **The consent conversation**: that it was explained, in which language, and what they said. Without consent it is a notification instead, so say which one you are making.
4. **What happened next**: where they are now and the safeguarding in place, in two or three lines. The plan itself is not needed.

A second pair of eyes before it is submitted helps more than anything. On the joint visits I have been on, the sergeant reads it back on scene.`
			},
			{
				by: 'ruth',
				after: 3 * HOUR,
				helpful: ['dan', 'claire'],
				body: `Agree with all of that. Two additions from the practice review side:

- The statutory guidance sets out what the decision maker looks for at the first stage. A short team briefing on that chapter once a year pays for itself.
- Teams where one named person reviews every referral before it goes have noticeably fewer sent back for more information.

I am drafting a practice entry on referral quality checks and would welcome examples.`
			},
			{
				by: 'priya',
				after: DAY,
				helpful: ['dan'],
				body: `@Dan Whitlock we keep a one-page checklist with our referral guidance; happy to share it. The biggest change for us was that **the sergeant reads the referral before it goes**, as Claire says. Far fewer came back afterwards.

@Ruth Adeyemi this looks like a good one for the library.`
			},
			{
				by: 'dan',
				after: 2 * HOUR + 15,
				body: "That's really useful, thank you all. I've taken Claire's list to our team briefing and marked it as the answer. @Priya Raman yes please to the checklist."
			}
		]
	},
	{
		key: 'cuckooing',
		group: 'countyLines',
		by: 'aisha',
		daysAgo: 14,
		time: [9, 20],
		title: 'Cuckooing: closure orders and keeping the tenant safe',
		body: `We keep meeting the same problem. A vulnerable tenant's flat is taken over by a line, we get a closure order to shut the address down, and the tenant is then homeless, and back in contact with the same people within weeks.

How are other forces balancing the closure with the tenant's own safety? Does anyone have an agreement with housing that the tenant is moved *before* the order is applied for?`,
		replies: [
			{
				by: 'owen',
				after: HOUR + 5,
				helpful: ['aisha', 'dan'],
				body: 'We have had some success with a **partial closure order** that lets the tenant stay but keeps everyone else out. It needs a housing officer willing to tell the court that the tenant can manage with support, so bring them in early.'
			},
			{
				by: 'tom',
				after: 3 * HOUR,
				helpful: ['aisha', 'dan', 'megan', 'owen'],
				body: `Same experience here. Three things we now do as a matter of course:

1. A **multi-agency meeting within 48 hours** of identifying the address, with housing and adult social care.
2. The tenant is referred as a potential victim *before* we apply for the order.
3. Neighbourhood visits after the order, weekly for the first month. The line usually tests the address again within a fortnight.`
			},
			{
				by: 'megan',
				after: DAY - 2 * HOUR,
				helpful: ['aisha'],
				body: 'From the analytical side: if cuckooed addresses are recorded with one consistent flag, it is much easier to spot the same tenants, or the same line, turning up somewhere else. We only saw a pattern across three addresses once the flags were consistent.'
			},
			{
				by: 'aisha',
				after: 3 * HOUR,
				body: 'Thanks all, this is really helpful. @Tom Hadley would you be happy to share the terms of reference for your 48-hour meeting?'
			},
			{
				by: 'tom',
				after: 35,
				body: "Of course. I'll post a redacted copy here this week."
			}
		]
	},
	{
		key: 'carWashes',
		group: 'slavery',
		by: 'claire',
		daysAgo: 12,
		time: [13, 15],
		title: 'Joint visits to hand car washes: what has worked?',
		body: `We are planning a series of joint visits with two forces next month, and would like to hear what has worked elsewhere, particularly:

- the **timing** of visits (mid-morning on a weekday seems to mean fewer people leaving by the back)
- getting **interpreters** on site rather than on the telephone
- what to do when workers say everything is fine but the indicators say otherwise

For anyone new to these, this is roughly who brings what:

| Agency | Usually brings |
| --- | --- |
| Police | Safeguarding, and powers of entry where they apply |
| GLAA | Labour market enforcement |
| HMRC | National Minimum Wage checks |
| Local authority | Licensing, planning, trading standards |`,
		replies: [
			{
				by: 'marcus',
				after: 2 * HOUR,
				helpful: ['claire'],
				body: "If you can, share the site list with us before the visits. We can tell you if a location is linked to something wider, and we'll say if a visit would cut across other work, without necessarily saying why."
			},
			{
				by: 'sophie',
				after: 5 * HOUR,
				helpful: ['claire', 'dan', 'priya', 'marcus'],
				body: `From the support side, a few things that make a difference to whether people accept help later, even if they say no on the day:

- **Leave something behind**: a small card in the main languages, with a number that is *not* a police number.
- Speak to people **away from the managers**, one at a time, and say clearly who you are and who you are not.
- If someone does come with you, have somewhere to go that night already arranged. Six hours waiting in a police station undoes a lot of goodwill.`
			},
			{
				by: 'dan',
				after: DAY,
				helpful: ['claire', 'sophie'],
				body: '+1 to the card. It also helped us to go back a fortnight later with the same officers: two people who said everything was fine on the first visit asked to speak to us on the second.'
			}
		]
	},
	{
		key: 'handsets',
		group: 'countyLines',
		by: 'owen',
		daysAgo: 8,
		time: [15, 5],
		title: 'Deal-line handsets: getting downloads back faster',
		body: `Our digital forensics backlog means a seized deal-line handset can take weeks to come back, by which time the line has a new number and the intelligence is stale.

What triage are others doing at the point of seizure? We are looking at a short **kiosk extraction** of contacts and messages only, with a full examination later if it is needed.`,
		replies: [
			{
				by: 'megan',
				after: 2 * HOUR,
				helpful: ['owen', 'tom'],
				body: 'The contacts and the *timings* of the messages are most of what we need in the first week: who is being sent the bulk "out now" messages, and when. If the kiosk extraction can give us that as a spreadsheet, an analyst can turn it round in a day.'
			},
			{
				by: 'dan',
				after: 4 * HOUR,
				helpful: ['owen'],
				body: 'We trialled this last year. Make sure the kiosk operators are trained and the process is written down before you start: the defence will ask.'
			},
			{
				by: 'tom',
				after: DAY,
				body: "Agree with Dan. It's worth asking your digital forensics unit which extraction they will stand behind in court, so the triage does not have to be repeated."
			}
		]
	},
	{
		key: 'tasking',
		group: 'tasking',
		by: 'tom',
		daysAgo: 5,
		time: [8, 0],
		title: 'Week 3 tasking: outstanding actions',
		body: `Actions carried over from Monday's meeting. Reply here when one is done and I will update the list.

| Action | Owner | Status |
| --- | --- | --- |
| A4: welfare plan agreed with children's services | Tom | Done |
| A7: confirm the venue for the partner briefing | Dan | Open |
| A9: update the association chart with the week 2 returns | Megan | Open |
| A11: book the debrief room for the 24th | Tom | Open |

Reminder: no source or tactic detail in this group.`,
		replies: [
			{
				by: 'dan',
				after: 3 * HOUR,
				body: 'A7 done: the briefing is in the training suite, 09:30 on Thursday.'
			},
			{
				by: 'megan',
				after: DAY,
				helpful: ['tom'],
				body: 'A9 done. The updated chart is in the week 3 folder. Nothing new of note; two associations removed as out of date.'
			},
			{
				by: 'tom',
				after: 20,
				body: 'Thanks both. A11 is booked, so nothing is outstanding for week 3. Week 4 actions will go in a new thread.'
			}
		],
		locked: { by: 'tom', reason: 'Week 3 is complete: week 4 actions are in a new thread.' }
	}
];

/** Messages people send when asking to join the restricted group. */
export const JOIN_MESSAGES: Partial<Record<PersonKey, string>> = {
	ruth: 'Good practice review lead. I would like to help turn what works here into library entries.',
	dan: 'Neighbourhood sergeant; my team are often the first responders at welfare visits.',
	marcus: 'NCA intelligence officer covering labour exploitation.',
	claire: 'GLAA labour abuse prevention officer. I join a lot of multi-agency visits.',
	owen: 'I have just become the modern slavery contact for our digital media team and would like to learn from the group.'
};
