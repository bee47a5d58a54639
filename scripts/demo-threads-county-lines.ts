/**
 * The demo's discussions in the county lines, covert tasking and neighbourhood groups
 * (the long running thread of daily returns is in demo-returns.ts).
 * Fictional throughout: no real person, case or operation.
 */
import { DAY, HOUR, type DemoThread } from './demo-content.ts';

export const COUNTY_LINES_THREADS: DemoThread[] = [
	{
		key: 'trapHouse',
		group: 'countyLines',
		by: 'dan',
		daysAgo: 15,
		time: [9, 10],
		title: 'Children found in a trap house: arrest, referral, or both?',
		body: `Last night my team found two 15-year-olds in a flat being used to deal from, with drugs and cash. One officer wanted to arrest for possession with intent to supply; another wanted to treat them as victims and make a referral.

We did both, which felt right but confused everyone, the boys included. What do other forces do, and who makes the call?`,
		replies: [
			{
				by: 'aisha',
				after: HOUR,
				answer: true,
				helpful: ['dan', 'tom', 'megan', 'priya'],
				body: `Both is often right, and the order matters less than how it is framed. What we do:

1. **Safeguard first.** They are children, whatever else they are. Custody if you must, with an appropriate adult, and a referral made that day.
2. **A referral for every child found in those circumstances**, as the statutory guidance expects.
3. **The investigation carries on**, with the statutory defence considered before any charging decision.

The supervising officer makes the call, after speaking to the child exploitation team.`
			},
			{
				by: 'tom',
				after: 2 * HOUR,
				helpful: ['dan'],
				body: "Agree with Aisha. Our mistake in the past was treating it as either/or. The arrest can be the moment someone finally takes the child's situation seriously."
			},
			{
				by: 'priya',
				after: DAY,
				body: 'And make sure the referral says what the children told you about how they came to be there. That is what the decision maker needs.'
			},
			{
				by: 'dan',
				after: HOUR,
				body: "Thanks all. I've marked Aisha's reply as the answer and shared the thread with the team."
			}
		],
		chatter: ['owen']
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
		key: 'returnInterviews',
		group: 'countyLines',
		by: 'megan',
		daysAgo: 11,
		time: [11, 20],
		title: 'Return home interviews: getting answers that help',
		body: `Return home interviews after a child has been missing are our best source of information about where children go and who they are with. Most of ours record very little: "did not want to talk".

Which forces or councils get useful answers, and how? Who does the interview, where, and how soon after the child comes back?`,
		replies: [
			{
				by: 'aisha',
				after: 2 * HOUR,
				helpful: ['megan', 'tom'],
				body: 'Ours improved when the interview was done by someone the child already knew (often a youth worker) rather than whoever was free, and within three days rather than ten.'
			},
			{
				by: 'priya',
				after: 3 * HOUR,
				helpful: ['megan', 'aisha', 'dan'],
				body: 'Ask about places and journeys rather than people. Children who will not name anyone will often tell you which station they got off at.'
			},
			{
				by: 'tom',
				after: DAY,
				body: "We now send the answers to the analyst every week. @Megan Hollis I imagine that's where you are going with this?"
			},
			{ by: 'megan', after: HOUR, body: 'Exactly that. Thank you, this is useful.' }
		],
		chatter: ['owen', 'dan']
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
		key: 'railway',
		group: 'countyLines',
		by: 'owen',
		daysAgo: 7,
		time: [9, 0],
		title: 'Children stopped on the railway far from home',
		body: `We keep seeing children from our area stopped at stations a long way from home, carrying drugs or cash. By the time we hear about it they are back home, and the moment has passed.

How are other forces sharing information with the transport police quickly enough to help? A single point of contact, a shared flag, a daily call?`,
		replies: [
			{
				by: 'tom',
				after: HOUR + 30,
				helpful: ['owen'],
				body: 'We have a daily call during intensification weeks and a shared inbox the rest of the time. The transport police team are keen; the difficulty is usually on our side, getting it to the right team quickly.'
			},
			{
				by: 'megan',
				after: 3 * HOUR,
				body: "The stations and train times are gold for the analysis. Record them consistently and the lines' routes show up quickly."
			},
			{
				by: 'aisha',
				after: DAY,
				helpful: ['owen', 'dan'],
				body: 'We send a neighbourhood officer to see the child within 24 hours of them getting home, with the missing-person coordinator. It has helped.'
			}
		],
		chatter: ['dan']
	},
	{
		key: 'closureWording',
		group: 'countyLines',
		by: 'aisha',
		daysAgo: 4,
		time: [9, 15],
		title: 'Closure order applications: wording that protects the tenant',
		body: `Following the cuckooing discussion a couple of weeks ago, we've redrafted our closure order application. The main change is a paragraph setting out the tenant's vulnerability and the support arranged, so that the court can see the order protects them rather than punishes them.

Would anyone be willing to look at the wording before it goes to our legal team? Happy to post it here.`,
		replies: [
			{ by: 'tom', after: HOUR, body: "Yes please. Post it and I'll comment." },
			{
				by: 'aisha',
				after: 2 * HOUR,
				body: `Here it is (details invented):

> The tenant of the premises is believed to be a victim of exploitation. A referral was made on [date]. Adult social care and the housing provider have agreed a support plan, and the tenant supports this application, which is intended to prevent further use of the premises by those exploiting them.`
			},
			{
				by: 'tom',
				after: DAY,
				quotes: 2,
				helpful: ['aisha'],
				body: 'This reads well. I would add a line on what happens if the tenant breaches the order: courts ask.'
			},
			{
				by: 'owen',
				after: 3 * HOUR,
				body: 'Agree with Tom. Also worth saying whether the tenant was asked about a partial order.'
			}
		]
	},
	{
		key: 'bulkMessages',
		group: 'countyLines',
		by: 'megan',
		daysAgo: 3,
		time: [10, 40],
		title: "Bulk 'out now' messages as evidence of who controls a line",
		body: `One thing stands out from the handsets triaged this year: the bulk messages a line sends to its customers ("out now", "back on") are often sent when the children running the line were somewhere else entirely.

In two cases this helped to show that the children were not running the line: someone else held the phone that sent the messages. Is anyone else using message timings like this?`,
		replies: [
			{
				by: 'owen',
				after: HOUR + 30,
				helpful: ['megan', 'tom'],
				body: 'Yes. The timings from the kiosk extraction are enough for this; there is no need to wait for the full download.'
			},
			{
				by: 'tom',
				after: DAY,
				body: 'Very useful for the statutory defence assessment too, in both directions.'
			},
			{
				by: 'aisha',
				after: 3 * HOUR,
				helpful: ['megan'],
				body: 'We used exactly this in a case last month. The prosecutor found it persuasive.'
			},
			{
				by: 'dan',
				after: DAY - 2 * HOUR,
				body: "Sharing with our neighbourhood team: they're the ones who find the children."
			}
		]
	},
	{
		key: 'briefingPack',
		group: 'tasking',
		by: 'tom',
		daysAgo: 10,
		time: [8, 30],
		title: "Thursday's partner briefing: pack and running order",
		body: `Running order for Thursday's partner briefing (training suite, 09:30):

1. Op Fictional in outline: what partners need to know, and no more (Tom)
2. Safeguarding arrangements for the action days (Dan)
3. The association chart, partner version (Megan)
4. Questions

The pack is finalised by Wednesday midday. Reply with anything that should not be in it.`,
		replies: [
			{
				by: 'megan',
				after: 2 * HOUR,
				helpful: ['tom'],
				body: 'The partner version of the chart is ready: names replaced by roles, addresses removed.'
			},
			{
				by: 'dan',
				after: 3 * HOUR,
				body: "Safeguarding slides done. Children's services would like ten minutes of their own; I've said yes, subject to you."
			},
			{ by: 'tom', after: HOUR, body: 'Fine by me. The pack closes at 12:00 on Wednesday.' }
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
	},
	{
		key: 'week4',
		group: 'tasking',
		by: 'tom',
		daysAgo: 2,
		time: [8, 0],
		title: 'Week 4 tasking: actions',
		body: `Actions from this morning's meeting.

| Action | Owner | Status |
| --- | --- | --- |
| A12: safeguarding visits to the two addresses from the week 3 returns | Dan | Open |
| A13: refresh the association chart after Tuesday's arrests | Megan | Open |
| A14: debrief room and invitations for the 24th | Tom | Open |

Reply here when one is done, as before.`,
		replies: [
			{
				by: 'megan',
				after: DAY + 2 * HOUR,
				helpful: ['tom'],
				body: 'A13 done. Two new associations, one removed. The chart is in the week 4 folder.'
			},
			{
				by: 'dan',
				after: 5 * HOUR,
				body: "A12: one visit done. The other address was empty; we'll try again tomorrow with the housing officer."
			}
		]
	},
	{
		key: 'debrief',
		group: 'tasking',
		by: 'tom',
		daysAgo: 1,
		time: [9, 40],
		title: 'Debrief on the 24th: agenda',
		body: `Debrief for the first phase of Op Fictional, 10:00 on the 24th in the debrief room.

1. What went well
2. What we would change
3. Safeguarding outcomes so far
4. The next phase

Please come with one thing for each of the first two. Partners are invited for item 3 only.`,
		replies: [
			{
				by: 'megan',
				after: 4 * HOUR,
				body: 'Could I have ten minutes under item 2 for what the analysis would have needed earlier?'
			}
		]
	},
	{
		key: 'whatTippedYouOff',
		group: 'neighbourhood',
		by: 'dan',
		daysAgo: 18,
		time: [8, 15],
		title: 'What tipped you off? Exploitation spotted on a routine call',
		body: `A thread for stories (anonymised, please) of exploitation spotted on a call about something else. I'll start.

A noise complaint at a terraced house. Eight mattresses in two rooms, one bathroom, and a rota on the fridge with shift times at a factory forty minutes away. Nobody in the house had a key to the front door. The officer noticed the lock, not the mattresses.

What tipped you off?`,
		replies: [
			{
				by: 'aisha',
				after: 2 * HOUR,
				helpful: ['dan', 'tom'],
				body: 'A shoplifting call: a young lad stealing food, with two phones and no coat in December. He had been sent from another city and had not eaten for two days.'
			},
			{
				by: 'owen',
				after: 4 * HOUR,
				body: 'A lost phone handed in at the front counter, with hundreds of messages in the same format. It was a deal line; its owner was 14.'
			},
			{
				by: 'tom',
				after: DAY,
				helpful: ['dan', 'megan'],
				body: "A domestic at a flat. The 'boyfriend' was controlling three other women in the same block. It was a neighbour who mentioned the visitors at all hours."
			},
			{
				by: 'megan',
				after: 3 * HOUR,
				body: 'These are brilliant for training. @Dan Whitlock could we use some of them (anonymised again) in the response briefing?'
			},
			{ by: 'dan', after: HOUR, body: 'Of course.' }
		]
	},
	{
		key: 'hmoChecks',
		group: 'neighbourhood',
		by: 'owen',
		daysAgo: 12,
		time: [9, 45],
		title: 'Joining licensing inspections of shared houses',
		body: `Our council's licensing team have asked us to join some inspections of houses in multiple occupation where they suspect an employer is housing workers.

For those who have done this: what is our role on the day, and what should officers look for that licensing officers might not?`,
		replies: [
			{
				by: 'dan',
				after: HOUR + 30,
				helpful: ['owen', 'aisha'],
				body: 'Mostly to be there if someone discloses, and to spot what licensing are not looking for: who holds the keys and the documents, whether people can come and go, and who collects the rent.'
			},
			{
				by: 'megan',
				after: 4 * HOUR,
				body: "Check the address against earlier calls before you go. Ours often had a history of 'concern for welfare' calls that nobody had linked up."
			},
			{
				by: 'tom',
				after: DAY,
				body: "Take the GLAA if you can. They'll spot the employment side far faster than we will."
			}
		],
		chatter: ['aisha']
	},
	{
		key: 'shiftBriefing',
		group: 'neighbourhood',
		by: 'dan',
		daysAgo: 7,
		time: [13, 0],
		title: 'Ten minutes on modern slavery at shift briefing: slides to share',
		body: `I've put together a ten-minute input for response shift briefings: three indicators, one case study (from the "what tipped you off" thread, anonymised), and what to do in the first hour.

Happy to share it. Does anyone have a good short video to go with it? Our e-learning ones are far too long for a briefing.`,
		replies: [
			{
				by: 'tom',
				after: 2 * HOUR,
				body: 'Very happy to use this. Agree about the videos: ours run to 40 minutes.'
			},
			{
				by: 'aisha',
				after: 3 * HOUR,
				helpful: ['dan'],
				body: 'A two-minute clip of a survivor speaking, if a support organisation has one (with consent), would be more powerful than anything else.'
			},
			{
				by: 'owen',
				after: DAY,
				helpful: ['dan', 'tom'],
				body: 'Used it at our briefing this morning. Short enough that nobody switched off, and two officers asked questions afterwards.'
			}
		],
		chatter: ['megan']
	},
	{
		key: 'bodyWorn',
		group: 'neighbourhood',
		by: 'owen',
		daysAgo: 3,
		time: [8, 50],
		title: 'Body-worn video at welfare visits: on or off?',
		body: `A debate on our team: should body-worn video be on during welfare visits where exploitation is suspected? It protects officers and records what is said, but people may say less on camera.

What do other forces' policies say, and what happens in practice?`,
		replies: [
			{
				by: 'dan',
				after: 2 * HOUR,
				helpful: ['owen'],
				body: 'Our policy is on, with the person told why. In practice officers turn it off when someone clearly will not talk on camera, and record why. Both can be justified.'
			},
			{
				by: 'aisha',
				after: DAY,
				body: 'For the account itself we prefer a proper interview later. On the doorstep, camera on, for everyone.'
			},
			{
				by: 'tom',
				after: 3 * HOUR,
				body: 'Agree with both. The key is recording the decision and the reason.'
			},
			{
				by: 'megan',
				after: 20 * HOUR,
				body: 'Does anyone know whether footage from a welfare visit has been used as evidence of control in a prosecution? I would be interested.'
			}
		]
	}
];
