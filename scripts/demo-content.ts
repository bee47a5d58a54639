/**
 * What `npm run demo` writes: fictional people and groups, and the shape of its discussions
 * (the threads themselves are in demo-threads-*.ts). Every person, place, operation and figure
 * is made up. The e-mail addresses use the seeded organisations' domains (so each account takes
 * its organisation's kind, as a registration would) with ".demo" in the local part, which is
 * also how a later run knows the demo is already there; the guest's charity has a reserved
 * .example domain.
 */
import type { AccountKind, GroupAudience, GroupVisibility } from '../src/lib/server/db/schema.ts';

/** How the sign-in table describes an account. */
export type DemoRole = 'administrator' | 'moderator' | 'reviewer' | 'police' | 'partner' | 'guest';

export interface DemoPerson {
	name: string;
	/** Local part before "@". */
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
		bio: 'Supports adults after they leave exploitation. Invited to the modern slavery and victim care groups.'
	}
} as const satisfies Record<string, DemoPerson>;

export type PersonKey = keyof typeof PEOPLE;

/** A moment in the demo's past: days before today, and the time of day. */
export interface Moment {
	daysAgo: number;
	time: [hour: number, minute: number];
}

/**
 * When each person last looked at their groups (everything posted by then is read, as if they
 * had opened it). What others post afterwards is what their home page shows as unread.
 */
export const VISITS: Record<PersonKey, Moment[]> = {
	helen: [
		{ daysAgo: 12, time: [8, 30] },
		{ daysAgo: 4, time: [8, 45] }
	],
	priya: [
		{ daysAgo: 9, time: [18, 10] },
		{ daysAgo: 3, time: [7, 50] }
	],
	tom: [
		{ daysAgo: 8, time: [7, 40] },
		{ daysAgo: 3, time: [19, 5] }
	],
	ruth: [
		{ daysAgo: 10, time: [12, 40] },
		{ daysAgo: 4, time: [16, 20] }
	],
	dan: [
		{ daysAgo: 7, time: [21, 15] },
		{ daysAgo: 3, time: [21, 30] }
	],
	aisha: [
		{ daysAgo: 9, time: [7, 20] },
		{ daysAgo: 4, time: [20, 0] }
	],
	owen: [
		{ daysAgo: 11, time: [13, 5] },
		{ daysAgo: 5, time: [12, 35] }
	],
	megan: [
		{ daysAgo: 8, time: [8, 5] },
		{ daysAgo: 2, time: [8, 10] }
	],
	marcus: [
		{ daysAgo: 10, time: [9, 0] },
		{ daysAgo: 4, time: [9, 15] }
	],
	claire: [
		{ daysAgo: 9, time: [19, 30] },
		{ daysAgo: 3, time: [18, 0] }
	],
	sophie: [
		{ daysAgo: 11, time: [20, 45] },
		{ daysAgo: 5, time: [21, 10] }
	]
};

export interface DemoGroup {
	name: string;
	owner: PersonKey;
	visibility: GroupVisibility;
	audience: GroupAudience;
	description: string;
	/** Open groups: join at once. */
	join?: PersonKey[];
	/** Restricted groups: ask, with a message, and the owner approves. */
	ask?: Partial<Record<PersonKey, string>>;
	/** Invited by the owner (guests and private groups come in this way), and accept. */
	invite?: PersonKey[];
	/** Members the owner makes moderators, and why. */
	moderators?: Partial<Record<PersonKey, string>>;
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
- Say what your role is when you ask to join; the moderators approve requests.`,
		ask: {
			ruth: 'Good practice review lead. I would like to help turn what works here into library entries.',
			dan: 'Neighbourhood sergeant; my team are often the first responders at welfare visits.',
			marcus: 'NCA intelligence officer covering labour exploitation.',
			claire: 'GLAA labour abuse prevention officer. I join a lot of multi-agency visits.'
		},
		invite: ['sophie'],
		moderators: { ruth: 'Leads the regional referral work.' }
	},
	countyLines: {
		name: 'County lines practitioners',
		owner: 'tom',
		visibility: 'open',
		audience: 'police',
		description: `Police officers and staff tackling county lines and drug-related exploitation: cuckooing, missing children, deal-line disruption, and working with children's and adult services.

Share what worked, and what did not, so the next force does not start from scratch.`,
		join: ['aisha', 'owen', 'dan', 'megan', 'priya']
	},
	tasking: {
		name: 'Op Fictional — covert tasking',
		owner: 'tom',
		visibility: 'private',
		audience: 'police',
		description: `Tasking and coordination for Op Fictional, a made-up operation for this demonstration. Invitation only.

Keep to actions, owners and deadlines. Sources and tactics are **never** discussed here.`,
		invite: ['dan', 'megan']
	},
	help: {
		name: 'Using Muster: questions and feedback',
		owner: 'helen',
		visibility: 'open',
		audience: 'police_partner',
		description: `Ask how to do something in Muster, report something that does not work, or suggest an improvement. The service team reads every post.

For an account problem that you cannot describe without personal details, e-mail the service desk instead.`,
		join: ['priya', 'tom', 'ruth', 'dan', 'aisha', 'owen', 'megan', 'marcus', 'claire'],
		invite: ['sophie']
	},
	labour: {
		name: 'Labour exploitation and joint visits',
		owner: 'priya',
		visibility: 'open',
		audience: 'police_partner',
		description: `Police and partner agencies working on labour exploitation: agriculture, car washes, nail bars, warehouses, construction and care work. Planning joint visits, reading payslips and recruitment records, and what happens to workers afterwards.

Open to police and law-enforcement partners: join straight away.`,
		join: ['claire', 'marcus', 'dan', 'megan'],
		moderators: { claire: 'Coordinates the joint visit programme with the GLAA.' }
	},
	victimCare: {
		name: 'Victim care and survivor support',
		owner: 'ruth',
		visibility: 'restricted',
		audience: 'police_partner',
		description: `Supporting adults and children before, during and after a referral: accommodation, interpreters, keeping in touch, and survivors as witnesses. Support organisations join by invitation.

Describe situations, never people: nothing that could identify a survivor.`,
		ask: {
			priya: 'Modern slavery DS; I want our victim care to be as good as our investigations.',
			claire: 'GLAA. Workers we find on joint visits often need support the same night.',
			dan: 'My team are usually the first to meet people who need this support.'
		},
		invite: ['sophie']
	},
	sexual: {
		name: 'Sexual exploitation investigations',
		owner: 'priya',
		visibility: 'restricted',
		audience: 'police',
		description: `For officers and staff investigating the sexual exploitation of adults: adult services websites, pop-up brothels, controlling prostitution for gain, and welfare-first contact.

Police only. Requests are approved by the moderators.`,
		ask: {
			aisha: 'DC on serious organised crime; we are seeing lines diversify into this.',
			megan: 'Analyst. I look at advert data for our exploitation work.',
			owen: 'Digital media investigator: phones and adverts in these cases come to us.',
			dan: 'Neighbourhood sergeant: short-let flats on my patch keep coming up.'
		},
		moderators: { aisha: 'Leads the adult services website work.' }
	},
	partnership: {
		name: 'Wrenford anti-slavery partnership: chairs',
		owner: 'ruth',
		visibility: 'private',
		audience: 'police_partner',
		description: `The chairs and leads of the (fictional) Wrenford anti-slavery partnership: agendas, papers, the data sharing agreement and the annual report.

Invitation only. Papers posted here are drafts until the partnership has agreed them.`,
		invite: ['priya', 'marcus', 'claire', 'tom']
	},
	neighbourhood: {
		name: 'Neighbourhood first responders',
		owner: 'dan',
		visibility: 'open',
		audience: 'police',
		description: `Neighbourhood and response officers, PCSOs and sergeants: spotting exploitation on everyday calls, welfare checks, and what to do in the first hour.

Short questions welcome. Nobody here will think yours is basic.`,
		join: ['owen', 'aisha', 'megan', 'tom']
	}
} as const satisfies Record<string, DemoGroup>;

export type GroupKey = keyof typeof GROUPS;

/** Whether a person belongs to a group once the demo has set it up (owner, joined, approved or invited). */
export function belongsTo(group: GroupKey, person: PersonKey): boolean {
	const g: DemoGroup = GROUPS[group];
	return (
		g.owner === person ||
		(g.join ?? []).includes(person) ||
		person in (g.ask ?? {}) ||
		(g.invite ?? []).includes(person)
	);
}

/** Left waiting at the end: Owen's request to join the modern slavery group. */
export const PENDING_REQUEST =
	'I have just become the modern slavery contact for our digital media team and would like to learn from the group.';

export interface DemoReply {
	by: PersonKey;
	/** Minutes after the previous post, or a moment of its own. */
	after: number | Moment;
	body: string;
	helpful?: PersonKey[];
	/** The thread's author chooses this reply as the answer. */
	answer?: boolean;
	/** Quotes an earlier post of the thread, as the Quote button does: 0 is the first post, n the nth reply. */
	quotes?: number;
}

export interface DemoThread {
	/** How other parts of the demo (the practice entries) refer to it. */
	key: string;
	group: GroupKey;
	by: PersonKey;
	/** When the thread starts. */
	daysAgo: number;
	time: [hour: number, minute: number];
	title: string;
	body: string;
	pinnedBy?: PersonKey;
	replies: DemoReply[];
	/** People who add a short reply each after the written ones (from demo-chatter.ts). */
	chatter?: PersonKey[];
	/** A moderator locks it after the last reply. */
	locked?: { by: PersonKey; reason: string };
}

export const HOUR = 60;
export const DAY = 24 * HOUR;
