/**
 * The demo's good-practice entries: what each says, who wrote it, where it belongs and where it
 * ends up (published, in review, returned with comments, or a draft), and when. All figures are
 * made up for the demonstration.
 */
import type { GroupKey, Moment, PersonKey } from './demo-content.ts';

export interface DemoEntry {
	by: PersonKey;
	/** Topics by name, from the list the migration seeds. */
	topics: string[];
	/** Form fields, as the entry form posts them (the contact and lead organisation are the author's). */
	fields: Record<string, string>;
	/** A group's entry, read by its members and reviewed by its moderators; otherwise site-wide. */
	group?: GroupKey;
	/** Written up from this thread of the group (its key in the demo's threads). */
	fromThread?: string;
	outcome: 'published' | 'in_review' | 'returned' | 'draft';
	drafted: Moment;
	/** When it is published or returned, by whom, and what they said. */
	review?: { at: Moment; by: PersonKey; comment: string };
}

export const ENTRIES: DemoEntry[] = [
	{
		by: 'megan',
		topics: ['Prevention', 'Sexual exploitation'],
		outcome: 'published',
		drafted: { daysAgo: 16, time: [10, 0] },
		review: {
			at: { daysAgo: 15, time: [14, 0] },
			by: 'ruth',
			comment: 'Thank you for sharing something that did not work: it is as useful as what did.'
		},
		fields: {
			title: 'Helpline posters in service station toilets: no calls in a year',
			summary:
				'Posters with a helpline number were put up in the toilets of twelve service stations. In twelve months the number received no calls that could be traced to them. Shared so others can put the money elsewhere.',
			aim: 'To reach people being moved along the motorway for sexual exploitation, at one of the few places they might be alone for a moment.',
			done: '- Posters in six languages in the toilets of twelve service stations, with a free number and a text service.\n- Each poster carried its own reference, so that calls could be traced to it.',
			outcome:
				'Calls or texts from people being exploited, or from members of the public, traceable to the posters.',
			results:
				'None of the calls to the number in the year could be traced to the posters (made-up figures for this demonstration). Several posters were removed within weeks, and the service station staff did not know why they were there.',
			lessons:
				'Posters without anyone behind them did not work here. The hotel staff training in the sexual exploitation group, which puts a person behind the number, has done far better. Cost: about £2,400 for printing and fitting.',
			effectiveness: 'did_not_work',
			stage: 'ended',
			scale: 'regional',
			region: 'east_of_england',
			partners: 'Service station operators',
			targetGroup: 'People moved along the motorway network for sexual exploitation',
			startDate: '2025-01-06',
			endDate: '2025-12-31'
		}
	},
	{
		by: 'tom',
		topics: ['County lines', 'Criminal exploitation', 'Victim care'],
		outcome: 'published',
		drafted: { daysAgo: 14, time: [11, 0] },
		review: {
			at: { daysAgo: 13, time: [9, 0] },
			by: 'ruth',
			comment: 'Good to see the young people asked what they thought.'
		},
		fields: {
			title: 'Youth workers in custody for children arrested on a county line',
			summary:
				'A youth worker sees every child arrested in connection with a county line while they are still in custody, and stays in touch afterwards. More children accepted support, and fewer were arrested again within six months.',
			aim: 'Children arrested for running drugs were released with nothing changed, and were often back on a line within weeks.',
			done: '- A youth worker from a local charity is called for every child arrested in connection with a county line, day or night.\n- They see the child in custody, away from the investigation, and arrange to meet again within a week.\n- The custody sergeant records the referral on the custody record.',
			outcome: 'Children accept support at the moment they are most likely to; fewer are exploited again.',
			results:
				'In the first year (made-up figures for this demonstration), 71 of 96 children seen in custody accepted support, and 18 were arrested again within six months, against 37 of a similar number the year before.',
			lessons:
				'It works only if the youth worker comes at night too. The charity needed a year of funding up front to recruit.',
			effectiveness: 'promising',
			stage: 'established',
			scale: 'force',
			region: 'london',
			partners: "Local youth charity; children's services",
			targetGroup: 'Children arrested in connection with county lines',
			startDate: '2025-02-01'
		}
	},
	{
		by: 'tom',
		topics: ['County lines', 'Criminal exploitation', 'Partnership working'],
		outcome: 'published',
		drafted: { daysAgo: 12, time: [10, 0] },
		review: {
			at: { daysAgo: 11, time: [11, 0] },
			by: 'ruth',
			comment: 'Clear and repeatable. Thank you for including the cost.'
		},
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
	},
	{
		by: 'megan',
		topics: ['County lines', 'Investigation'],
		outcome: 'published',
		drafted: { daysAgo: 10, time: [9, 15] },
		review: { at: { daysAgo: 9, time: [10, 0] }, by: 'ruth', comment: '' },
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
	},
	{
		by: 'aisha',
		topics: ['Sexual exploitation', 'Prevention', 'Partnership working'],
		group: 'sexual',
		fromThread: 'hotels',
		outcome: 'published',
		drafted: { daysAgo: 10, time: [10, 0] },
		review: {
			at: { daysAgo: 8, time: [12, 0] },
			by: 'priya',
			comment: 'Thank you, Aisha. The quarterly refresher is the part others will miss.'
		},
		fields: {
			title: 'Hotel staff trained to spot sexual exploitation, with a quarterly refresher',
			summary:
				'Staff at 14 hotels near motorway junctions were trained to spot sexual exploitation and given a direct number. Calls led to safeguarding, and a short refresher every quarter stopped them tailing off.',
			aim: 'Hotels near motorway junctions were being used to exploit women, and staff noticed things but did not know who to tell.',
			done: '- A 30-minute session for reception, housekeeping and night staff at each hotel.\n- A poster for the staff room with a direct number to the team.\n- A ten-minute refresher every quarter from the neighbourhood team, who also call in for other reasons.',
			outcome: 'Calls from hotel staff that lead to safeguarding and disruption.',
			results:
				'In the first six months (made-up figures for this demonstration) 9 calls, of which 3 led to safeguarding. Calls tailed off after four months, and came back after the first refresher.',
			lessons:
				'Staff turnover is high, so training once is not enough. Staff ring people they know, so the same neighbourhood officers should deliver it.',
			effectiveness: 'promising',
			stage: 'established',
			scale: 'local',
			region: 'north_west',
			partners: 'Hotel operators',
			targetGroup: 'Hotel staff',
			startDate: '2025-09-01'
		}
	},
	{
		by: 'priya',
		topics: ['Victim care', 'Modern slavery'],
		outcome: 'published',
		drafted: { daysAgo: 8, time: [16, 0] },
		review: { at: { daysAgo: 7, time: [10, 0] }, by: 'ruth', comment: '' },
		fields: {
			title: 'A card with a non-police number, left at every welfare visit',
			summary:
				'At every welfare visit where exploitation is suspected, officers leave a small card, in the main languages, with the number of a support organisation rather than the police. Several people called weeks later.',
			aim: 'People who said everything was fine at a visit had no safe way to ask for help afterwards, and many would not call the police.',
			done: '- A credit-card-sized card in eight languages, with a support organisation\'s free number and the words "you are not in trouble".\n- Officers hand one to each person, out of sight of managers where possible.',
			outcome: 'People ask for help later, on their own terms.',
			results:
				'Over nine months (made-up figures for this demonstration) the support organisation received 23 calls from people given a card, of whom 8 were later referred.',
			lessons:
				'Checking the translations with the support organisation mattered: the first print run had two wrong. Cost: about £600 a year.',
			effectiveness: 'worked',
			stage: 'established',
			scale: 'force',
			region: 'south_east',
			partners: 'Survivor support organisation',
			targetGroup: 'People met at welfare visits who do not disclose on the day',
			startDate: '2025-03-01'
		}
	},
	{
		by: 'dan',
		topics: ['Labour exploitation', 'Partnership working'],
		outcome: 'published',
		drafted: { daysAgo: 6, time: [14, 0] },
		review: {
			at: { daysAgo: 4, time: [9, 30] },
			by: 'ruth',
			comment: 'A simple idea, clearly evidenced.'
		},
		fields: {
			title: 'Return visits to hand car washes a fortnight later, by the same officers',
			summary:
				'After joint visits to hand car washes, the same officers and partners went back to selected sites two weeks later. A third of the referrals came from the second visit, from workers who had said everything was fine the first time.',
			aim: 'Workers at hand car washes rarely disclosed at a first visit, with managers nearby and strangers asking questions.',
			done: '- Sites where indicators were seen but nobody disclosed were chosen for a return visit.\n- The same officers, GLAA officer and interpreter went back two weeks later.\n- A card with a non-police number was left on both visits.',
			outcome: 'More workers disclose, once they have seen the same people twice.',
			results:
				'Of six referrals in the operation, two came from return visits to four sites (made-up figures for this demonstration).',
			lessons:
				'It needs the same people, which means planning rotas a month ahead. Cost: about half a day of three officers per site.',
			effectiveness: 'promising',
			stage: 'pilot',
			scale: 'local',
			region: 'west_midlands',
			partners: 'Gangmasters and Labour Abuse Authority',
			targetGroup: 'Workers at hand car washes',
			startDate: '2026-09-01'
		}
	},
	{
		by: 'claire',
		topics: ['Labour exploitation', 'Victim care'],
		group: 'labour',
		outcome: 'published',
		drafted: { daysAgo: 4, time: [15, 0] },
		review: { at: { daysAgo: 3, time: [9, 0] }, by: 'priya', comment: 'Thank you, Claire.' },
		fields: {
			title: 'Interpreters booked before joint visits, with three questions asked',
			summary:
				'Interpreters for joint visits are booked in person, in advance, after asking about dialect, whether a man or a woman is preferred, and any connection to the community involved. Workers said far more.',
			aim: 'Telephone interpreters from the scene, or interpreters with links to the site, meant that workers said little.',
			done: '- Interpreters booked at least three days before a visit.\n- Three questions asked at booking: the dialect; whether a man or a woman is preferred; any connection to the community or the business.\n- After the visit, workers who were referred are asked whether they were comfortable with the interpreter.',
			outcome: 'Fuller accounts on the day, and more referrals.',
			results:
				'On the visits where interpreters were booked this way, workers spoke with officers for three times as long on average (made-up figures for this demonstration).',
			lessons: 'Costs more than the telephone line, but less than a second visit.',
			effectiveness: 'promising',
			stage: 'established',
			scale: 'regional',
			region: 'west_midlands',
			partners: 'Police forces in the region; interpreting agency',
			targetGroup: 'Workers met on joint visits',
			startDate: '2026-01-15'
		}
	},
	{
		by: 'dan',
		topics: ['Training', 'Modern slavery'],
		outcome: 'published',
		drafted: { daysAgo: 5, time: [9, 0] },
		review: { at: { daysAgo: 3, time: [11, 0] }, by: 'ruth', comment: '' },
		fields: {
			title: 'Ten minutes on modern slavery at every response shift briefing',
			summary:
				'A ten-minute input at response shift briefings, given by a neighbourhood sergeant: three indicators, one real (anonymised) case, and what to do in the first hour. Referrals from response officers rose in the following months.',
			aim: 'Response officers had done the e-learning but could not say what to do when they suspected exploitation.',
			done: '- A ten-minute input, with slides, delivered at each response shift briefing over a month.\n- One case study, drawn from calls where exploitation was spotted on a routine call.\n- A pocket card with the first-hour actions.',
			outcome: 'Response officers recognise exploitation and know what to do in the first hour.',
			results:
				'Referrals made by response officers rose from 4 in the three months before to 13 in the three months after (made-up figures for this demonstration).',
			lessons: 'Short and local beats long and national. Sergeants delivering it themselves made it stick.',
			effectiveness: 'promising',
			stage: 'established',
			scale: 'local',
			region: 'west_midlands',
			partners: '',
			targetGroup: 'Response officers',
			startDate: '2026-05-01'
		}
	},
	{
		by: 'owen',
		topics: ['County lines', 'Victim care'],
		outcome: 'returned',
		drafted: { daysAgo: 5, time: [13, 0] },
		review: {
			at: { daysAgo: 3, time: [15, 0] },
			by: 'ruth',
			comment:
				"Thank you, Owen. Please add what happened: how many tenants were checked on, and what changed. 'It seemed to work' is not enough for readers to judge."
		},
		fields: {
			title: 'PCSO welfare checks on tenants after a cuckooed address is closed',
			summary:
				'After a closure order, a PCSO visits the tenant weekly for a month, to check on their welfare and spot the line returning.',
			aim: 'Tenants of closed addresses were left alone, and lines came back.',
			done: 'PCSOs visit weekly for a month after a closure order, and record each visit.',
			outcome: 'Tenants supported; lines that return spotted early.',
			results: 'It seemed to work.',
			lessons: 'PCSOs need to know the background before the first visit.',
			effectiveness: 'untested',
			stage: 'pilot',
			scale: 'local',
			region: 'wales',
			partners: 'Housing provider',
			targetGroup: 'Tenants of closed cuckooed addresses',
			startDate: '2026-07-01'
		}
	},
	{
		by: 'aisha',
		topics: ['County lines', 'Victim care', 'Investigation'],
		outcome: 'in_review',
		drafted: { daysAgo: 2, time: [9, 30] },
		fields: {
			title: "Closure order applications that set out the tenant's support",
			summary:
				"Closure order applications for cuckooed addresses include a paragraph on the tenant's vulnerability, the referral made and the support agreed, so that the court sees the order protecting the tenant.",
			aim: 'Courts, and tenants, saw closure orders as a punishment of the tenant, which made tenants less willing to support them.',
			done: "- A standard paragraph in every application: the referral, the support plan, and the tenant's view.\n- A line on what happens if the tenant breaches the order.\n- Wording agreed with legal services.",
			outcome: 'Orders granted with the tenant supporting them; tenants engaging with support.',
			results:
				'In the first two months (made-up figures for this demonstration) all five applications were granted, and four tenants supported them.',
			lessons: 'Ask the tenant about a partial order first.',
			effectiveness: 'untested',
			stage: 'pilot',
			scale: 'force',
			region: 'north_west',
			partners: 'Legal services; housing provider; adult social care',
			targetGroup: 'Tenants of cuckooed addresses',
			startDate: '2026-10-01'
		}
	},
	{
		by: 'priya',
		topics: ['Modern slavery', 'Victim care', 'Investigation'],
		group: 'slavery',
		fromThread: 'referrals',
		outcome: 'in_review',
		drafted: { daysAgo: 2, time: [14, 0] },
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
	},
	{
		by: 'owen',
		topics: ['County lines'],
		outcome: 'draft',
		drafted: { daysAgo: 2, time: [16, 40] },
		fields: {
			title: 'Kiosk triage of deal-line handsets at the point of seizure',
			summary:
				'A short kiosk extraction of contacts and message timings when a deal-line handset is seized, with a full examination later only if needed.',
			aim: 'Downloads of seized deal-line handsets took weeks, by which time the line had a new number.'
		}
	}
];
