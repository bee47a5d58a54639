/**
 * Writes the demo (scripts/demo-content.ts) through Muster's own services, so every row,
 * counter, event and audit entry is what the app itself would write. Accounts are made
 * directly, as an administrator's tooling would: verified, with argon2 password hashes.
 *
 * A clock runs from about three weeks ago towards the present and moves on between
 * actions, so dates look natural and the posting limit (one post per 5 s) never refuses.
 */
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import type { AppContext } from '../src/lib/server/context.ts';
import type { SessionUser } from '../src/lib/server/auth/session.ts';
import { hashPassword } from '../src/lib/server/auth/password.ts';
import { generateTotpKey } from '../src/lib/server/auth/totp.ts';
import { findOrganisationForEmail } from '../src/lib/server/organisations/organisation.repository.ts';
import { createGroup } from '../src/lib/server/groups/group.service.ts';
import { answerInvitation, askToJoin, joinGroup } from '../src/lib/server/groups/membership.service.ts';
import { changeRole, decideRequest, invite } from '../src/lib/server/groups/moderation.service.ts';
import { reply, startThread } from '../src/lib/server/discussions/thread.service.ts';
import {
	setAnswer,
	setLocked,
	setPinned,
	toggleHelpful
} from '../src/lib/server/discussions/post.service.ts';
import type { RequestMeta } from '../src/lib/server/request-meta.ts';
import {
	GROUPS,
	JOIN_MESSAGES,
	PEOPLE,
	THREADS,
	type DemoPerson,
	type DemoRole,
	type GroupKey,
	type PersonKey
} from './demo-content.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A clock that only moves forward, from some weeks ago, and never reaches the present. */
export class DemoClock {
	private time: number;
	private steps = 0;
	constructor(private readonly today: Date) {
		this.time = this.dayAt(30, 0, 0);
	}

	now(): Date {
		return new Date(this.time);
	}

	private dayAt(daysAgo: number, hour: number, minute: number): number {
		const midnight = new Date(this.today);
		midnight.setHours(0, 0, 0, 0);
		return midnight.getTime() - daysAgo * DAY + (hour * 60 + minute) * MINUTE;
	}

	/** Moves to a time of day some days ago (or, if the clock is past it, a little on). */
	at(daysAgo: number, hour: number, minute = 0): void {
		this.set(Math.max(this.dayAt(daysAgo, hour, minute), this.time + 7_000));
	}

	/** Moves on some minutes, give or take a few seconds so times do not look machine-made. */
	after(minutes: number): void {
		this.steps += 1;
		this.set(this.time + Math.max(minutes * MINUTE, 7_000) + ((this.steps * 37) % 50) * 1000);
	}

	private set(time: number): void {
		if (time > this.today.getTime() - MINUTE) throw new Error('the demo timeline ran into the present');
		this.time = time;
	}
}

export interface DemoAccount {
	key: PersonKey;
	person: DemoPerson;
	user: SessionUser;
	totpKey: Uint8Array | undefined;
	organisation: string | null;
}

export interface DemoGroupResult {
	key: GroupKey;
	slug: string;
	name: string;
}

export interface DemoWorld {
	/** The context with the demo clock as its `now()`. */
	ctx: AppContext;
	clock: DemoClock;
	meta: RequestMeta;
	people: Record<PersonKey, DemoAccount>;
	groups: Record<GroupKey, DemoGroupResult>;
	/** Outbox rows after `since` that the demo caused; see holdDemoMail. */
	mail: { since: number; subjects: Set<string> };
	/** The threads made, by their key in demo-content.ts. */
	threads: Record<string, { id: number; title: string; group: GroupKey }>;
}

export interface SignInDetail {
	email: string;
	password: string;
	role: DemoRole;
	name: string;
	organisation: string;
	/** Base32, as an authenticator app takes it; absent for accounts without two-factor. */
	totpSecret: string | undefined;
}

export interface DemoTally {
	threads: number;
	replies: number;
	helpful: number;
	answers: number;
	pinned: number;
	locked: number;
	mentions: number;
}

/** What the audit log records as the demo's request: no address, and this command. */
export const META: RequestMeta = { ip: null, userAgent: 'npm run demo' };

/**
 * The number to add to every demo address so none is taken ("" for the first demo in a
 * database; 2, 3... beside earlier ones).
 */
export async function freeSuffix(ctx: AppContext): Promise<string> {
	for (let n = 1; n < 1000; n++) {
		const suffix = n === 1 ? '' : String(n);
		const taken = await ctx.db
			.selectFrom('users')
			.select('id')
			.where(
				'email',
				'in',
				Object.values(PEOPLE).map((p) => `${p.local}${suffix}@${p.domain}`)
			)
			.limit(1)
			.executeTakeFirst();
		if (!taken) return suffix;
	}
	throw new Error('could not find free demo e-mail addresses');
}

/** Each address must still give the organisation kind the content was written for. */
export async function checkOrganisations(ctx: AppContext): Promise<void> {
	for (const person of Object.values(PEOPLE)) {
		const organisation = await findOrganisationForEmail(ctx.db, `x@${person.domain}`);
		const kind = organisation?.kind ?? 'guest';
		if (kind !== person.kind) {
			throw new Error(
				`the demo needs ${person.domain} to be a ${person.kind} organisation's domain, but here it gives a ${kind} account (organisations were edited?)`
			);
		}
	}
}

export async function createAccounts(
	ctx: AppContext,
	clock: DemoClock,
	suffix: string,
	password: string
): Promise<Record<PersonKey, DemoAccount>> {
	const accounts = {} as Record<PersonKey, DemoAccount>;
	clock.at(24, 9, 0);
	for (const [key, person] of Object.entries(PEOPLE) as [PersonKey, DemoPerson][]) {
		clock.after(17);
		const now = clock.now();
		const email = `${person.local}${suffix}@${person.domain}`;
		const organisation = await findOrganisationForEmail(ctx.db, email);
		const totpKey = person.twoFactor ? generateTotpKey() : undefined;
		const row = await ctx.db
			.insertInto('users')
			.values({
				email,
				displayName: person.name,
				jobTitle: person.jobTitle,
				bio: person.bio,
				organisationId: organisation?.id ?? null,
				kind: organisation?.kind ?? 'guest',
				isAdmin: person.admin,
				passwordHash: await hashPassword(password),
				passwordChangedAt: now,
				emailVerifiedAt: now,
				totpKeyEncrypted: totpKey ? ctx.secrets.seal(totpKey) : null,
				totpEnabledAt: totpKey ? now : null,
				createdAt: now,
				updatedAt: now
			})
			.returning(['id', 'kind', 'organisationId'])
			.executeTakeFirstOrThrow();
		accounts[key] = {
			key,
			person,
			totpKey,
			organisation: organisation?.name ?? null,
			user: {
				id: row.id,
				email,
				displayName: person.name,
				kind: row.kind,
				isAdmin: person.admin,
				status: 'active',
				organisationId: row.organisationId,
				emailVerified: true,
				twoFactorEnabled: totpKey !== undefined
			}
		};
	}
	return accounts;
}

/** A group name not already in use (a group of that name may exist beside an earlier demo). */
async function freeGroupName(ctx: AppContext, name: string): Promise<string> {
	for (let n = 1; n < 1000; n++) {
		const candidate = n === 1 ? name : `${name} (demo ${n})`;
		const taken = await ctx.db
			.selectFrom('groups')
			.select('id')
			.where('name', '=', candidate)
			.executeTakeFirst();
		if (!taken) return candidate;
	}
	throw new Error(`could not find a free name for the group ${name}`);
}

/** Groups, and who is in them: joined, asked and approved, or invited. */
export async function createGroups(
	world: Omit<DemoWorld, 'groups' | 'threads'>
): Promise<Record<GroupKey, DemoGroupResult>> {
	const { ctx, clock, people: p, meta } = world;
	const user = (key: PersonKey) => p[key].user;
	const groups = {} as Record<GroupKey, DemoGroupResult>;
	const create = async (key: GroupKey) => {
		const group = GROUPS[key];
		const name = await freeGroupName(ctx, group.name);
		const settings = {
			name,
			description: group.description,
			visibility: group.visibility,
			audience: group.audience
		};
		groups[key] = { key, slug: await createGroup(ctx, user(group.owner), settings, meta), name };
		return groups[key].slug;
	};

	clock.at(21, 9, 0);
	const slavery = await create('slavery');
	clock.at(21, 9, 40);
	const county = await create('countyLines');
	// The open group: people join at once.
	clock.at(21, 10, 15);
	for (const key of ['aisha', 'owen', 'dan', 'megan', 'priya'] as const) {
		clock.after(55);
		await joinGroup(ctx, user(key), county, meta);
	}
	clock.at(21, 16, 0);
	const tasking = await create('tasking');

	// The restricted group: people ask, the owner approves; the reviewer becomes a moderator.
	clock.at(20, 8, 50);
	for (const key of ['ruth', 'dan', 'marcus', 'claire'] as const) {
		clock.after(25);
		await askToJoin(ctx, user(key), slavery, JOIN_MESSAGES[key] ?? '', meta);
	}
	clock.at(20, 11, 30);
	const requests = await ctx.db
		.selectFrom('membershipRequests')
		.innerJoin('groups', 'groups.id', 'membershipRequests.groupId')
		.select(['membershipRequests.id'])
		.where('groups.slug', '=', slavery)
		.where('membershipRequests.status', '=', 'pending')
		.orderBy('membershipRequests.id')
		.execute();
	for (const request of requests) {
		clock.after(4);
		await decideRequest(ctx, user('priya'), slavery, request.id, { approve: true }, meta);
	}
	clock.after(10);
	await changeRole(
		ctx,
		user('priya'),
		slavery,
		user('ruth').id,
		'moderator',
		'Leads the regional referral work.',
		meta
	);
	// A guest (a support charity) can join a group that admits partners only by invitation.
	clock.at(20, 16, 0);
	await invite(ctx, user('priya'), slavery, { email: user('sophie').email, days: 14 }, meta);

	// The private group: invitation only, and invisible to everyone else.
	clock.at(20, 17, 30);
	for (const key of ['dan', 'megan'] as const) {
		clock.after(3);
		await invite(ctx, user('tom'), tasking, { email: user(key).email, days: 14 }, meta);
	}
	clock.at(20, 18, 45);
	await answerInvitation(ctx, user('dan'), tasking, true, meta);
	clock.at(19, 8, 10);
	await answerInvitation(ctx, user('megan'), tasking, true, meta);
	clock.after(22);
	await answerInvitation(ctx, user('sophie'), slavery, true, meta);
	return groups;
}

/** Threads with replies, helpful marks, an answer, a pinned and a locked thread. */
export async function createThreads(world: DemoWorld): Promise<DemoTally> {
	const { ctx, clock, people: p, groups } = world;
	const tally: DemoTally = {
		threads: 0,
		replies: 0,
		helpful: 0,
		answers: 0,
		pinned: 0,
		locked: 0,
		mentions: 0
	};
	const mentionsIn = (body: string) =>
		Object.values(PEOPLE).filter((person) => body.includes(`@${person.name}`)).length;
	for (const spec of THREADS) {
		const slug = groups[spec.group].slug;
		clock.at(spec.daysAgo, ...spec.time);
		const thread = await startThread(ctx, p[spec.by].user, slug, { title: spec.title, body: spec.body });
		world.threads[spec.key] = { id: thread.id, title: thread.title, group: spec.group };
		tally.threads += 1;
		tally.mentions += mentionsIn(spec.body);
		if (spec.pinnedBy) {
			clock.after(2);
			await setPinned(
				ctx,
				p[spec.pinnedBy].user,
				slug,
				thread.id,
				{ pinned: true, reason: 'Read this first.' },
				world.meta
			);
			tally.pinned += 1;
		}
		let answer: number | undefined;
		for (const item of spec.replies) {
			clock.after(item.after);
			const post = await reply(ctx, p[item.by].user, slug, thread.id, item.body);
			tally.replies += 1;
			tally.mentions += mentionsIn(item.body);
			if (item.answer) answer = post.id;
			for (const key of item.helpful ?? []) {
				clock.after(6);
				await toggleHelpful(ctx, p[key].user, slug, post.id);
				tally.helpful += 1;
			}
		}
		if (answer !== undefined) {
			clock.after(3);
			await setAnswer(ctx, p[spec.by].user, slug, answer, true);
			tally.answers += 1;
		}
		if (spec.locked) {
			clock.after(5);
			await setLocked(
				ctx,
				p[spec.locked.by].user,
				slug,
				thread.id,
				{ lock: true, reason: spec.locked.reason },
				world.meta
			);
			tally.locked += 1;
		}
	}
	return tally;
}

/** Left waiting, so a moderator and an invitee each have something to act on. */
export async function createPending(world: DemoWorld): Promise<void> {
	const { ctx, clock, people: p, groups } = world;
	clock.at(1, 9, 5);
	await askToJoin(ctx, p.owen.user, groups.slavery.slug, JOIN_MESSAGES.owen ?? '', world.meta);
	clock.after(20);
	await invite(ctx, p.tom.user, groups.tasking.slug, { email: p.aisha.user.email, days: 14 }, world.meta);
}

/**
 * The services queue e-mail (mentions, invitations, decisions, reviews) to the demo's
 * fictional people at real organisations' domains. Marked as handled so that no mail
 * dispatcher, now or later, ever sends one; they stay readable at /dev/outbox. Mail the
 * demo causes to anyone else (the site's practice reviewers) is named by its subject.
 */
export async function holdDemoMail(world: Pick<DemoWorld, 'ctx' | 'people' | 'mail'>): Promise<void> {
	const addresses = Object.values(world.people).map((a) => a.user.email);
	const subjects = [...world.mail.subjects];
	await world.ctx.db
		.updateTable('outbox')
		.set({ sentAt: new Date() })
		.where('sentAt', 'is', null)
		.where('id', '>', world.mail.since)
		.where((eb) =>
			eb.or([
				eb('toAddress', 'in', addresses),
				...(subjects.length > 0 ? [eb('subject', 'in', subjects)] : [])
			])
		)
		.execute();
}

/** The newest outbox row before the demo writes anything. */
export async function outboxMark(ctx: AppContext): Promise<number> {
	const row = await ctx.db
		.selectFrom('outbox')
		.select((eb) => eb.fn.max('id').as('max'))
		.executeTakeFirst();
	return Number(row?.max ?? 0);
}

export function signInDetails(people: Record<PersonKey, DemoAccount>, password: string): SignInDetail[] {
	return Object.values(people).map((a) => ({
		email: a.user.email,
		password,
		role: a.person.role,
		name: a.person.name,
		organisation: a.organisation ?? 'guest, no organisation',
		totpSecret: a.totpKey ? encodeBase32UpperCaseNoPadding(a.totpKey) : undefined
	}));
}
