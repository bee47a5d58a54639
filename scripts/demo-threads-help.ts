/**
 * The demo's discussions in the group for questions about Muster itself. What the replies say
 * Muster does is what it does: keep them true when the app changes.
 */
import { DAY, HOUR, type DemoThread } from './demo-content.ts';

export const HELP_THREADS: DemoThread[] = [
	{
		key: 'gettingStarted',
		group: 'help',
		by: 'helen',
		daysAgo: 19,
		time: [9, 30],
		title: 'Read first: getting started with Muster',
		pinnedBy: 'helen',
		body: `Welcome to Muster. A few things that help:

- **Your home page** shows your groups, with how many of their discussions have posts you have not read.
- **Groups** are open (join straight away), restricted (ask to join) or private (invitation only). Some are for police only; others admit law-enforcement partners too.
- **Mention someone** by typing @ and their name: they are told by e-mail.
- **Mark a reply helpful** when it helped you. Whoever started a thread can choose one reply as its answer.
- **The good-practice library** holds what has worked, reviewed before it is published.

Questions about using Muster go in this group. The service team reads every post.`,
		replies: [
			{
				by: 'priya',
				after: 3 * HOUR,
				helpful: ['helen', 'ruth'],
				body: "Thanks, Helen. A tip for moderators: requests to join wait on the group's Manage page, and your home page tells you when there are any."
			},
			{
				by: 'sophie',
				after: DAY + 2 * HOUR,
				body: 'Thank you for inviting us in. Guests like me see only the groups we are invited to, which makes sense.'
			}
		]
	},
	{
		key: 'twoFactor',
		group: 'help',
		by: 'claire',
		daysAgo: 16,
		time: [14, 20],
		title: "Two-factor codes when my work phone can't install apps",
		body: `I've been made a moderator of the labour exploitation group, and Muster asks me to set up two-factor authentication before I can manage it. Our work phones are locked down, and I can't install an authenticator app.

What are others doing?`,
		replies: [
			{
				by: 'helen',
				after: HOUR,
				answer: true,
				helpful: ['claire', 'owen', 'priya'],
				body: `Your IT team may be able to add an approved authenticator app to work phones; many organisations already allow one. Any standard authenticator app works with Muster: you add the key it shows you, and type the six-digit code when you sign in.

Muster uses codes from an app rather than text messages, because texts can be intercepted or redirected. When you set it up, keep the recovery codes it shows you somewhere safe.`
			},
			{
				by: 'tom',
				after: 2 * HOUR,
				body: 'Our IT team approved one after I explained what it was for. It took a week.'
			},
			{
				by: 'claire',
				after: DAY,
				body: "Thank you both. Our IT team said yes, so I'm set up now."
			}
		]
	},
	{
		key: 'missingGroups',
		group: 'help',
		by: 'marcus',
		daysAgo: 11,
		time: [10, 0],
		title: "Why can't I find some groups?",
		body: 'A police colleague mentioned the county lines practitioners group, but I cannot find it in the directory. Is something wrong with my account?',
		replies: [
			{
				by: 'helen',
				after: 40,
				answer: true,
				helpful: ['marcus', 'claire'],
				body: `Nothing is wrong. Each group says who it is for: police only, or police and law-enforcement partners. Police-only groups do not appear in the directory for partner accounts. Private groups do not appear for anyone who is not a member: they are invitation only.

If you think a police-only group should admit partners, ask its owner: they can change who it is for.`
			},
			{
				by: 'tom',
				after: 2 * HOUR,
				body: "That's my group. It is police only because of what gets discussed, but I'm happy to post a summary in the modern slavery group when something matters to partners."
			},
			{ by: 'marcus', after: HOUR, body: 'That makes sense. Thank you both.' }
		]
	},
	{
		key: 'printing',
		group: 'help',
		by: 'megan',
		daysAgo: 7,
		time: [16, 0],
		title: 'Can I save a thread as a PDF for a briefing pack?',
		body: "I'd like to include a discussion in a briefing pack. Is there a way to export a thread as a PDF?",
		replies: [
			{
				by: 'helen',
				after: 2 * HOUR,
				helpful: ['megan', 'dan'],
				body: "Use your browser's Print, and choose Save as PDF. Threads print cleanly, without menus or buttons, with each post's author and date. Anything you take out of Muster needs the same care as anything else marked OFFICIAL."
			},
			{ by: 'megan', after: 30, body: 'Perfect, thank you.' }
		],
		locked: { by: 'helen', reason: 'Answered: print the thread and save it as a PDF.' }
	},
	{
		key: 'threadOrEntry',
		group: 'help',
		by: 'ruth',
		daysAgo: 4,
		time: [10, 0],
		title: 'A thread or a practice entry? When to use which',
		body: `A question I'm often asked. A rule of thumb:

- **A thread** is for a question, a problem, or something you are trying. It can be short and unfinished.
- **A practice entry** is for something that has been done, with some evidence of what happened: what the problem was, what was done, what changed, and what it cost.

Many good entries start as threads. A thread's author, or a moderator, can write it up as practice: the draft starts from the thread, and the two link to each other.

Entries are reviewed before they are published. I review the site-wide ones; a group's moderators review its own.`,
		replies: [
			{
				by: 'dan',
				after: 2 * HOUR,
				body: 'Useful. That is how the return visits from the car wash thread became an entry.'
			},
			{
				by: 'claire',
				after: DAY,
				body: 'Can partners write site-wide entries? I wrote one in the labour exploitation group, which was easy, and wondered.'
			},
			{
				by: 'ruth',
				after: HOUR,
				quotes: 2,
				helpful: ['claire', 'priya'],
				body: "Not site-wide: those are written by police officers and staff. But a group's entries are reviewed by its moderators and read by its members, so the labour exploitation group is exactly the right place for yours."
			}
		]
	},
	{
		key: 'digest',
		group: 'help',
		by: 'aisha',
		daysAgo: 2,
		time: [15, 0],
		title: 'Could Muster send a daily digest instead of separate e-mails?',
		body: "I get an e-mail each time someone mentions me, which is fine, but on a busy day it's a lot. Is a daily digest possible?",
		replies: [
			{
				by: 'helen',
				after: 2 * HOUR,
				helpful: ['aisha'],
				body: 'Not yet, but it is on the list. For now you are e-mailed only when someone mentions you or something needs you (an invitation, a decision on your request to join). Everything else waits on your home page.'
			},
			{ by: 'megan', after: 16 * HOUR, body: '+1 for a digest.' },
			{ by: 'tom', after: 2 * HOUR, body: 'Yes please. Weekly would suit me.' }
		]
	}
];
