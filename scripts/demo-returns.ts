/**
 * The demo's long thread: a week of daily returns from four (fictional) areas during a county
 * lines intensification week, with the digital triage figures, an analyst's evening summary
 * and the conversation around them. Over fifty posts, so it has several pages. The figures are
 * made up, and the summaries add up the returns they follow.
 */
import type { DemoReply, DemoThread, PersonKey } from './demo-content.ts';

/** Addresses (cuckooed), referrals (children), deal lines disrupted, arrests. */
type Figures = [
	addresses: number,
	cuckooed: number,
	referrals: number,
	children: number,
	lines: number,
	arrests: number
];

interface Area {
	by: PersonKey;
	name: string;
	/** One row a day, and what to say about it. */
	days: [Figures, string][];
}

const AREAS: Area[] = [
	{
		by: 'aisha',
		name: 'Caldmoor',
		days: [
			[[4, 1, 3, 2, 1, 1], 'Two young people from out of the area at the first address (see above).'],
			[[5, 2, 2, 0, 0, 2], 'One tenant wants to leave her flat; we are looking for somewhere safe for her.'],
			[
				[3, 1, 1, 0, 0, 0],
				"Two addresses empty. Yesterday's tenant moved to one of the Marrowgate placements."
			],
			[[7, 3, 4, 2, 2, 3], 'Busy. The line seems to have moved here for the week.'],
			[[2, 0, 1, 0, 0, 0], 'Return visits found both addresses still clear.']
		]
	},
	{
		by: 'dan',
		name: 'Kestley',
		days: [
			[
				[6, 2, 2, 0, 1, 1],
				'Housing officer with us all day, which made the conversations with tenants much easier.'
			],
			[[4, 1, 1, 0, 1, 2], 'The dogs found cash hidden in a meter cupboard.'],
			[[5, 1, 2, 1, 0, 1], 'One tenant asked for help herself after our first visit.'],
			[[2, 0, 0, 0, 0, 0], 'Quiet. Neighbours say the line has gone elsewhere.'],
			[[2, 0, 1, 0, 0, 0], "Return visits: both of day 1's addresses clear, and the tenants engaging."]
		]
	},
	{
		by: 'tom',
		name: 'Wrenford',
		days: [
			[[5, 2, 1, 0, 1, 2], "Closure order application started for one address, with the tenant's support."],
			[[4, 1, 2, 1, 0, 1], 'One 16-year-old found; referral made, and his parents collected him.'],
			[[3, 1, 1, 0, 1, 0], 'Partial closure order granted: the tenant stays, visitors are barred.'],
			[[4, 2, 2, 1, 1, 2], "Joint visit with Caldmoor on the address from Owen's triage."],
			[[3, 0, 0, 0, 0, 1], 'Quiet finish.']
		]
	},
	{
		by: 'priya',
		name: 'Marrowgate',
		days: [
			[[3, 1, 2, 0, 0, 0], 'Safeguarding hub on standby all week; two adults seen today.'],
			[
				[4, 1, 3, 0, 1, 1],
				'A referral for an adult at a cuckooed address, reported missing by her family last month.'
			],
			[[2, 0, 2, 0, 0, 0], 'Two emergency placements agreed with housing (see above).'],
			[
				[3, 1, 2, 0, 0, 1],
				'Safeguarding at the joint visit: one adult referred; one declined and was given the card.'
			],
			[[2, 0, 1, 0, 0, 0], 'Two of the tenants moved on day 3 are engaging with support.']
		]
	}
];

/** Handsets triaged at the kiosk, deal lines identified from them, and a note. */
const TRIAGE: [number, number, string][] = [
	[6, 2, 'Contacts and message timings back within the hour for all of them.'],
	[7, 1, 'One handset was still in use by the line when it was seized.'],
	[5, 1, 'A spare handset is in use: see above.'],
	[8, 2, "Two handsets linked to the line in Megan's chart."],
	[4, 0, 'Five full downloads requested; nothing more needed on the rest.']
];

/** The conversation during each day: time, who, what, and who found it helpful. */
const TALK: [hour: number, minute: number, by: PersonKey, body: string, helpful?: PersonKey[]][][] = [
	[
		[
			8,
			10,
			'dan',
			'Kestley team briefed and out by 08:00. The housing officer is with us all week, which should help with the cuckooed addresses.'
		],
		[
			8,
			45,
			'owen',
			'The kiosk is set up in the custody suite. Anything seized comes to us first; contacts and message timings back within the hour.',
			['tom']
		],
		[
			12,
			30,
			'aisha',
			'Two young people found at the first Caldmoor address, both from out of the area. Safeguarding in hand.'
		],
		[
			13,
			10,
			'priya',
			'@Aisha Khan have both been reported missing at home? If so their home force will want to know today.'
		],
		[
			20,
			15,
			'aisha',
			"Both were. Their home force's missing-person coordinator is on it, and we have made referrals for both.",
			['priya']
		]
	],
	[
		[
			8,
			5,
			'tom',
			'Good first day, all. A reminder: every child found at an address gets a referral, even if they say they are fine.',
			['priya', 'dan']
		],
		[8, 40, 'megan', "Three of yesterday's addresses link to the same deal line. They are on the chart."],
		[12, 15, 'dan', 'Kestley would welcome the dogs this afternoon if they are free.'],
		[12, 40, 'tom', '@Dan Whitlock the dogs are yours from 14:00.'],
		[20, 20, 'owen', 'Queue clear for tonight. Anything seized after 21:00 will be triaged by 09:00.']
	],
	[
		[
			8,
			15,
			'priya',
			'Marrowgate housing have offered two emergency placements for the rest of the week, for anyone we move out of a cuckooed address.',
			['aisha', 'tom', 'dan']
		],
		[8, 50, 'aisha', 'Very helpful. We have one tenant in Caldmoor who may need one tonight.'],
		[
			12,
			20,
			'megan',
			'Halfway: more safeguarding referrals than the last intensification week, with fewer arrests. That is the right way round.',
			['tom']
		],
		[
			13,
			0,
			'owen',
			"The line Megan linked yesterday sent an 'out now' message at 11:02 today, from a number we seized last night. Someone has a spare handset. Details to Tom.",
			['tom', 'megan']
		],
		[20, 30, 'tom', "Thanks, Owen. We'll take it at tomorrow's morning briefing."]
	],
	[
		[
			8,
			0,
			'tom',
			"From the briefing: Caldmoor and Wrenford to do joint visits on the two addresses from Owen's triage. @Priya Raman could your team handle the safeguarding?"
		],
		[8, 30, 'priya', "Yes, we'll be there from 10:00."],
		[
			12,
			45,
			'dan',
			"Kestley quiet this morning. A neighbour told us the line 'had gone to Caldmoor for the week'. Nice to be noticed."
		],
		[13, 20, 'aisha', 'They have. Caldmoor is busy.'],
		[
			20,
			10,
			'megan',
			"The chart now shows one line behind four of this week's addresses, across three areas. I'll brief the intelligence meeting tomorrow.",
			['tom', 'aisha']
		]
	],
	[
		[
			8,
			10,
			'owen',
			'Final kiosk figures tonight. Full downloads are needed on five handsets; the rest need nothing more.'
		],
		[
			8,
			40,
			'dan',
			"Our last day is return visits to day 1's addresses. The same officers as on day 1, on purpose."
		],
		[
			12,
			30,
			'priya',
			'Two of the tenants we moved on day 3 have engaged with support. Early days, but a good sign.',
			['tom', 'aisha']
		],
		[13, 5, 'aisha', "Caldmoor's last visit is at 15:00; return in by 19:00 as usual."]
	]
];

const RETURN_TIMES: [number, number][] = [
	[17, 5],
	[17, 40],
	[18, 10],
	[18, 35]
];

const FIRST_DAY = 9;

function areaReturn(area: Area, day: number): string {
	const [[addresses, cuckooed, referrals, children, lines, arrests], note] = area.days[day]!;
	return `**${area.name}, day ${day + 1}**

- Addresses visited: ${addresses} (${cuckooed} cuckooed)
- Safeguarding referrals: ${referrals} (${children === 1 ? '1 child' : `${children} children`})
- Deal lines disrupted: ${lines}
- Arrests: ${arrests}

${note}`;
}

function summary(day: number): string {
	const total = (upTo: number) => {
		const sum = [0, 0, 0, 0, 0, 0, 0];
		for (let d = 0; d <= upTo; d++) {
			for (const area of AREAS) area.days[d]![0].forEach((n, i) => (sum[i]! += n));
			sum[6]! += TRIAGE[d]![0];
		}
		return sum;
	};
	const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
	const words = ([a, c, r, k, l, x, h]: number[]) =>
		`${count(a!, 'address', 'addresses')} visited (${c} cuckooed), ${count(r!, 'safeguarding referral')} ` +
		`(${count(k!, 'child', 'children')}), ${count(l!, 'deal line')} disrupted, ${count(x!, 'arrest')} and ` +
		`${count(h!, 'handset')} triaged`;
	const today = words(total(day).map((n, i) => n - (day > 0 ? total(day - 1)[i]! : 0)));
	return `**Summary, day ${day + 1}**

Across the four areas today: ${today}.

Week so far: ${words(total(day))}.`;
}

function replies(): DemoReply[] {
	const out: DemoReply[] = [];
	const at = (day: number, hour: number, minute: number) => ({
		daysAgo: FIRST_DAY - day,
		time: [hour, minute] as [number, number]
	});
	for (let day = 0; day < 5; day++) {
		const talk = TALK[day]!;
		for (const [hour, minute, by, body, helpful] of talk.filter(([hour]) => hour < 17)) {
			out.push({ by, after: at(day, hour, minute), body, helpful });
		}
		AREAS.forEach((area, i) => {
			const [hour, minute] = RETURN_TIMES[i]!;
			out.push({ by: area.by, after: at(day, hour, minute), body: areaReturn(area, day) });
		});
		const [handsets, lines, note] = TRIAGE[day]!;
		out.push({
			by: 'owen',
			after: at(day, 18, 55),
			body: `**Digital triage, day ${day + 1}**\n\n- Handsets triaged at the kiosk: ${handsets}\n- Deal lines identified from them: ${lines}\n\n${note}`
		});
		out.push({ by: 'megan', after: at(day, 19, 40), body: summary(day), helpful: ['tom', 'priya'] });
		for (const [hour, minute, by, body, helpful] of talk.filter(([hour]) => hour >= 17)) {
			out.push({ by, after: at(day, hour, minute), body, helpful });
		}
	}
	out.push({
		by: 'tom',
		after: at(4, 21, 0),
		helpful: ['aisha', 'dan', 'priya', 'megan', 'owen'],
		body: `That's the week. Thank you, all. **The figures go to the chief officers' meeting on Monday**, and I'll start a thread on what we would do differently.

This stays pinned for a fortnight so people can find the figures.`
	});
	return out;
}

export const RETURNS_THREAD: DemoThread = {
	key: 'returns',
	group: 'countyLines',
	by: 'tom',
	daysAgo: FIRST_DAY,
	time: [7, 30],
	title: 'Intensification week: daily returns (running thread)',
	pinnedBy: 'tom',
	body: `Intensification week starts today. To keep everyone in the picture without another meeting, please post your area's **daily return here by 19:00**, in this format:

- Addresses visited (and how many were cuckooed)
- Safeguarding referrals (and how many were children)
- Deal lines disrupted
- Arrests

If you need something from another team, say so here and mention them. @Megan Hollis will post a summary each evening, and @Owen Price the digital triage figures.`,
	replies: replies()
};
