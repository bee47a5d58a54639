/**
 * The demo's discussions in the modern slavery, victim care and partnership chairs' groups.
 * Fictional throughout: no real person, case or operation.
 */
import { DAY, HOUR, type DemoThread } from './demo-content.ts';

export const SLAVERY_THREADS: DemoThread[] = [
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
		key: 'dutyToNotify',
		group: 'slavery',
		by: 'ruth',
		daysAgo: 8,
		time: [10, 30],
		title: 'Duty to notify: adults who do not consent to a referral',
		body: `A reminder prompted by two recent cases, and a question.

When an adult we believe is a potential victim does not consent to a referral, the duty to notify still applies: the Home Office must be told, without the person's details. In both cases the officer thought that declining consent meant nothing further was needed.

How are other forces making sure the notification still happens? We are thinking of adding it to the same checklist as the referral, so that the sergeant who reads one back also checks the other.`,
		replies: [
			{
				by: 'priya',
				after: 55,
				helpful: ['ruth', 'dan'],
				body: `We had exactly this. What worked for us: the notification form sits beside the referral in the same folder, and the last line of the checklist reads *"Consent given? If not, notification sent (reference)."* Supervisors will not close the incident without one or the other.`
			},
			{
				by: 'claire',
				after: 2 * HOUR,
				helpful: ['ruth', 'sophie', 'priya'],
				body: "From the partner side: it is worth recording *why* consent was declined, in the person's own words if they are willing. Fear of removal and fear of the exploiters look the same in a tick box, and need different responses."
			},
			{
				by: 'sophie',
				after: DAY,
				helpful: ['claire', 'dan'],
				body: 'Agree with Claire. And people change their minds: about a third of the women we support said no the first time. A card with a non-police number left with them, and a follow-up visit, matter more than the form.'
			},
			{
				by: 'dan',
				after: 3 * HOUR,
				body: "Useful, thank you. @Ruth Adeyemi I'll take the checklist line to our sergeants' meeting on Thursday."
			}
		],
		chatter: ['marcus']
	},
	{
		key: 'recoveryPeriod',
		group: 'slavery',
		by: 'dan',
		daysAgo: 6,
		time: [9, 30],
		title: 'What do we tell someone on day one about what happens next?',
		body: `A question from one of my response officers, and I realised I could not answer it well either.

When we make a referral, what exactly should the officer on scene say about what happens next: support, somewhere to stay, how long it lasts, and what it means for their immigration status? We do not want to promise things we cannot deliver, but "someone will be in touch" is not good enough.

Does anyone have a short script or leaflet they are happy with?`,
		replies: [
			{
				by: 'sophie',
				after: HOUR + 30,
				answer: true,
				helpful: ['dan', 'priya', 'ruth', 'claire'],
				body: `From our side, the things people most want to know on day one are simple:

1. **Where they will sleep tonight**, and whether they can bring anything with them.
2. **Whether they are in trouble.** Say plainly that they are being treated as a possible victim.
3. **Who will contact them next, and when.** A name and a day, if you can.
4. **That they can say no later.** Support does not depend on helping an investigation.

Leave the detail of the support system to the support provider. Officers who try to explain all of it at the roadside often get it wrong, and people remember the wrong version.`
			},
			{
				by: 'priya',
				after: 2 * HOUR,
				quotes: 1,
				helpful: ['dan'],
				body: "This is the key point for me. We brief officers to say less, and to say it accurately. I'll share our one-page version, which follows Sophie's four points almost exactly."
			},
			{
				by: 'ruth',
				after: DAY,
				body: 'If anyone has a version in other languages, please say. A translated leaflet that a support organisation has checked is worth far more than an officer reading an English one through a telephone interpreter.'
			},
			{
				by: 'dan',
				after: 40,
				body: "Thank you all. I've marked Sophie's reply as the answer: it is going into our briefing as written."
			}
		]
	},
	{
		key: 'statutoryDefence',
		group: 'slavery',
		by: 'priya',
		daysAgo: 4,
		time: [14, 0],
		title: 'The statutory defence raised late: how early are you looking for it?',
		body: `We have had two cases this year where the statutory defence for victims of slavery was raised only at the first hearing, by which time the person had been charged and remanded. In both, the indicators were in our own records: a referral after an earlier arrest in one, a missing-person report in the other.

What are others doing to look for this **before** a charging decision? A prompt in custody, a check by the investigating officer, a note on the file for the prosecutor?`,
		replies: [
			{
				by: 'marcus',
				after: 2 * HOUR,
				helpful: ['priya', 'ruth'],
				body: "Two things help, from what we see: a check for earlier referrals as part of the custody process, and a line in the file for the prosecutor saying whether the defence has been considered and why. Even 'considered: no indicators found' is better than silence."
			},
			{
				by: 'ruth',
				after: 3 * HOUR,
				helpful: ['priya'],
				body: 'The prosecution guidance on this sets out what they expect from us. It is worth ten minutes of anyone who makes charging decisions in these cases.'
			},
			{
				by: 'dan',
				after: DAY,
				body: 'We found one in custody last month only because the detention officer recognised the address from a closure order. Pure luck. A records prompt would have found it without luck.'
			}
		],
		chatter: ['claire']
	},
	{
		key: 'nailBars',
		group: 'slavery',
		by: 'claire',
		daysAgo: 2,
		time: [13, 30],
		title: 'Nail bars: spotting debt bondage when the paperwork looks fine',
		body: `On three recent joint visits the paperwork was in order: contracts, payslips at the minimum wage, right to work checked. At each, workers later told support staff they were paying back a "travel debt" in cash every week, out of wages that were, on paper, perfectly lawful.

What has helped others spot this on the day? We are looking at questions about accommodation and transport, since that is where the deductions seem to hide.`,
		replies: [
			{
				by: 'priya',
				after: HOUR + 10,
				helpful: ['claire', 'dan'],
				body: 'Accommodation is the giveaway for us: who owns it, who pays, and whether the rent goes to the employer or a relative of theirs. Ask each worker on their own where they live and how they get to work. In our cases the same car dropped everyone off.'
			},
			{
				by: 'marcus',
				after: 3 * HOUR,
				helpful: ['claire'],
				body: 'If it becomes an investigation, look at cash withdrawals on payday, with the bank. A withdrawal within an hour of the wages landing, every week, for every worker, is hard to explain away.'
			},
			{
				by: 'dan',
				after: 17 * HOUR,
				body: '@Claire Dunmore could we add nail bars to the next round of joint visits on my patch? Two keep coming up in neighbourhood calls.'
			},
			{ by: 'claire', after: HOUR, body: "Yes, let's. I'll message you with dates." }
		]
	},
	{
		key: 'firstNight',
		group: 'victimCare',
		by: 'sophie',
		daysAgo: 17,
		time: [9, 40],
		title: 'Somewhere safe at 2am: what works for the first night?',
		body: `The hardest night for the people we support is often the first one. Recent examples we have heard about: two women waiting in a police station front office until the morning; a man placed in a hotel that turned out to be next door to the car wash he had just left.

For those who have got this right: who do you call out of hours, and what is agreed in advance? We would rather help set it up than pick up the pieces.`,
		replies: [
			{
				by: 'dan',
				after: 2 * HOUR,
				helpful: ['sophie'],
				body: "Honest answer: we improvise, and it shows. Our out-of-hours route is the council's emergency housing line, which does not know what a referral is."
			},
			{
				by: 'ruth',
				after: 3 * HOUR,
				helpful: ['sophie', 'dan', 'priya', 'claire'],
				body: `What I have seen work elsewhere is a short written agreement between the police, the council and one support provider, covering three things:

- **a number that answers at night**;
- **two or three beds that can be used the same night**;
- **who pays for the first 72 hours**, until longer-term support starts.

It is not expensive. The cost of not having it is a night in a police station.`
			},
			{
				by: 'claire',
				after: DAY,
				body: 'Agree. On joint visits we now check the accommodation route before the visit, not during it.'
			},
			{
				by: 'sophie',
				after: 2 * HOUR,
				quotes: 2,
				helpful: ['ruth'],
				body: "This, exactly. We'd be glad to be the support provider in an agreement like that for our area."
			}
		],
		chatter: ['priya']
	},
	{
		key: 'interpreters',
		group: 'victimCare',
		by: 'claire',
		daysAgo: 13,
		time: [10, 15],
		title: 'Interpreters: dialect, gender and trust',
		body: `On a recent visit the only interpreter available spoke the right language but the wrong dialect, and came from the same town as the site manager. The workers said very little.

We now ask three things when booking: the dialect, whether the person would prefer a man or a woman, and whether the interpreter has any connection to the community involved. Does anyone have a better checklist, or an agency that handles this well?`,
		replies: [
			{
				by: 'sophie',
				after: HOUR + 30,
				helpful: ['claire', 'ruth'],
				body: 'Ask the person, once they are safe, whether they were comfortable with the interpreter. Several people have told us afterwards that they held back because of who was translating.'
			},
			{
				by: 'priya',
				after: 4 * HOUR,
				body: 'We keep a short list of interpreters who have done this work before and understand why it matters. It took a year to build, and it saves a lot.'
			},
			{
				by: 'dan',
				after: DAY,
				helpful: ['claire'],
				body: 'A telephone interpreter is better than nothing at the roadside, but for the account itself we now wait for someone in person. It has never cost us a case.'
			}
		],
		chatter: ['ruth']
	},
	{
		key: 'keepingInTouch',
		group: 'victimCare',
		by: 'ruth',
		daysAgo: 10,
		time: [10, 0],
		title: 'Keeping in touch after the decision: whose job is it?',
		body: `Once a decision is made, and especially once formal support ends, contact with the police often stops altogether. Months later the same person is needed as a witness, and nobody knows where they are.

Who keeps in touch in your area, and how? I'd like to hear from support organisations as much as from forces.`,
		replies: [
			{
				by: 'sophie',
				after: 2 * HOUR,
				helpful: ['ruth'],
				body: 'We keep in touch for as long as people want us to, which is often a year or more. What helps is a named officer we can call, who remembers the case. What does not help is a new officer each time.'
			},
			{
				by: 'priya',
				after: 3 * HOUR,
				helpful: ['ruth', 'sophie'],
				body: 'We give each case a named officer in the team until the trial, or until the case is closed, and tell the support worker who it is. It is not always possible when people move on, but it has kept most witnesses with us.'
			},
			{
				by: 'claire',
				after: DAY,
				body: 'On the labour side, workers often move for work and lose touch with everyone. A phone number that stays the same, theirs or ours, matters more than anything.'
			}
		],
		chatter: ['dan']
	},
	{
		key: 'specialMeasures',
		group: 'victimCare',
		by: 'priya',
		daysAgo: 6,
		time: [11, 0],
		title: 'Special measures for survivors: ask at the first meeting',
		body: `Last month a survivor gave evidence in open court because special measures were applied for late. She coped, but it was much harder than it needed to be.

We are going to make special measures part of the first meeting with the witness care unit, rather than something the officer in the case remembers later. Has anyone else done this, and did the courts support it?`,
		replies: [
			{
				by: 'ruth',
				after: 2 * HOUR,
				helpful: ['priya', 'sophie'],
				body: 'Yes: we added it to the witness needs assessment at the first meeting. Applications went in weeks earlier, and none has been refused since. The key was telling the witness care unit why it matters in these cases.'
			},
			{
				by: 'sophie',
				after: 3 * HOUR,
				helpful: ['priya', 'ruth', 'claire'],
				body: 'Please also tell the person what special measures are, early and more than once. People often assume they will have to stand in a room with the person who exploited them, and that alone stops some from going on.'
			},
			{ by: 'dan', after: DAY, body: 'Good to know. Adding it to our file checklist.' }
		],
		chatter: ['claire']
	},
	{
		key: 'navigator',
		group: 'victimCare',
		by: 'ruth',
		daysAgo: 3,
		time: [12, 0],
		title: 'A jointly funded survivor navigator: has anyone done it?',
		body: `The partnership is looking at funding one post between the force, the council and the health board: someone who stays with a survivor from the first night to the end of the case, whichever agency they are dealing with.

Has anyone set up something similar? The questions I am being asked: who employs them, who they report to, and how we would know it was worth it.`,
		replies: [
			{
				by: 'sophie',
				after: 2 * HOUR,
				helpful: ['ruth', 'priya'],
				body: 'We employ two navigators under an arrangement like that: employed by us (so survivors trust them), funded by the partners, and reporting to a small steering group. Measure contact kept, how many people stay with the case to the end, and what survivors say themselves.'
			},
			{
				by: 'priya',
				after: 19 * HOUR,
				body: '@Ruth Adeyemi happy to help write the business case. The witness attrition figures alone make most of the argument.'
			},
			{
				by: 'claire',
				after: 3 * HOUR,
				body: 'If it helps, the GLAA can say how often labour exploitation cases fall away because we lose contact with the workers. It is a lot.'
			},
			{ by: 'ruth', after: DAY, body: "Thank you both. I'll put a draft in the chairs' group next week." }
		]
	},
	{
		key: 'agenda',
		group: 'partnership',
		by: 'ruth',
		daysAgo: 15,
		time: [16, 0],
		title: 'Partnership meeting on the 14th: agenda and papers',
		pinnedBy: 'ruth',
		body: `Agenda for the next meeting (times approximate):

| Time | Item | Lead |
| --- | --- | --- |
| 10:00 | Actions from the last meeting | Ruth |
| 10:15 | Referral figures, second quarter | Priya |
| 10:40 | Joint visits: results and the next round | Claire |
| 11:10 | Data sharing agreement: the redraft | Marcus |
| 11:40 | Survivor navigator: options | Ruth |

Papers as replies to this thread, please, by the 10th. Nothing above OFFICIAL.`,
		replies: [
			{
				by: 'priya',
				after: 2 * DAY,
				helpful: ['ruth', 'marcus'],
				body: `Second-quarter summary (figures made up for this demonstration):

| | Q1 | Q2 |
| --- | --- | --- |
| Referrals made | 31 | 44 |
| Of which adults | 22 | 35 |
| Notifications (no consent) | 6 | 9 |
| Returned for more information | 7 | 4 |

Up on the first quarter, mostly from the joint visits. Fewer returned, since sergeants started reading referrals back.`
			},
			{
				by: 'claire',
				after: DAY,
				body: 'Joint visits: 14 sites visited with three agencies, 9 workers referred, 2 sites passed to HMRC for minimum wage enforcement. Full paper to follow.'
			},
			{
				by: 'marcus',
				after: 5 * HOUR,
				body: 'The data sharing redraft has its own thread, for comments before the meeting.'
			},
			{
				by: 'tom',
				after: DAY,
				body: "Apologies: I'm on a course on the 14th. My detective sergeant will attend for county lines."
			}
		]
	},
	{
		key: 'dataSharing',
		group: 'partnership',
		by: 'marcus',
		daysAgo: 10,
		time: [14, 0],
		title: 'Data sharing agreement: redraft for comment',
		body: `The redraft of the partnership's data sharing agreement is ready for comment. The main changes:

- a **named purpose** for each kind of information we share, instead of one general purpose;
- **retention periods** that match each partner's own policy, with the shortest applying;
- a **review every year**, not "as needed", which in practice meant never.

Comments by Friday, please. If your legal team needs to see it, say so and I'll allow more time.`,
		replies: [
			{
				by: 'priya',
				after: 3 * HOUR,
				helpful: ['marcus'],
				body: 'Looks good. Our information management team asked whether the retention table can say what happens to records we receive from partners once a case is closed.'
			},
			{
				by: 'claire',
				after: DAY,
				body: 'GLAA legal are content in principle; they will send two small wording changes.'
			},
			{ by: 'ruth', after: 2 * HOUR, body: 'Thank you, Marcus. A clear improvement.' },
			{
				by: 'marcus',
				after: DAY,
				body: "Both changes made, and Priya's point about closed cases added. I'll circulate the final version with the meeting papers."
			}
		]
	},
	{
		key: 'annualReport',
		group: 'partnership',
		by: 'ruth',
		daysAgo: 6,
		time: [9, 0],
		title: 'Annual report: figures needed by the end of the month',
		body: `For the partnership's annual report I need each partner's figures for the year, by the end of the month:

- referrals made (adults and children separately);
- joint visits carried out;
- people supported after a referral (support organisations);
- training delivered, and to whom.

One reply each, please, so that I can find them.`,
		replies: [
			{
				by: 'priya',
				after: 2 * HOUR,
				body: 'Police: 164 referrals (121 adults, 43 children), 38 joint visits, and 11 training sessions for 290 officers and staff. All made up for this demonstration.'
			},
			{
				by: 'claire',
				after: 4 * HOUR,
				body: 'GLAA: 41 joint visits with the police, 57 workers spoken to away from their managers, and 6 licence actions.'
			},
			{
				by: 'marcus',
				after: DAY,
				body: 'NCA: figures sent to you separately, as they need clearing first.'
			},
			{
				by: 'ruth',
				after: 30,
				body: "Thank you all, that's everything. Locking this so that the figures stay as submitted."
			}
		],
		locked: { by: 'ruth', reason: 'The figures for the annual report are in.' }
	},
	{
		key: 'trainingSurvey',
		group: 'partnership',
		by: 'claire',
		daysAgo: 2,
		time: [10, 0],
		title: 'Training needs survey: the results',
		body: `The partnership's training needs survey closed with 212 responses. The headlines:

1. **Spotting labour exploitation** was the topic most asked for, especially by neighbourhood officers and housing staff.
2. Most people want **short sessions** (under an hour), in person, built round a case study.
3. Very few had heard of the **duty to notify**.

I suggest we discuss it at the next meeting. @Ruth Adeyemi could we have twenty minutes on the agenda?`,
		replies: [
			{
				by: 'ruth',
				after: 3 * HOUR,
				body: 'Yes, added. The duty to notify result is a surprise, and an easy one to put right.'
			},
			{
				by: 'tom',
				after: 21 * HOUR,
				body: 'Our county lines input could be folded into the same session: the indicators overlap more than people think.'
			},
			{
				by: 'priya',
				after: 2 * HOUR,
				helpful: ['claire'],
				body: 'Happy to deliver the duty to notify part. It takes ten minutes.'
			}
		]
	}
];
