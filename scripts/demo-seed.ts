/**
 * Writes the demo's people and groups (scripts/demo-content.ts) through Muster's own services,
 * so every row, counter, event and audit entry is what the app itself would write; the
 * discussions, visits and practice entries follow on a timeline (demo-timeline.ts). Accounts
 * are made directly, as an administrator's tooling would: verified, with argon2 password hashes.
 *
 * A clock runs from about four weeks ago towards the present and moves on between actions, so
 * dates look natural and the posting limit (one post per 5 s, 60 an hour) never refuses.
 */
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { sql, type Kysely } from 'kysely';
import type { AppContext } from '../src/lib/server/context.ts';
import type { Database } from '../src/lib/server/db/schema.ts';
import type { SessionUser } from '../src/lib/server/auth/session.ts';
import { hashPassword } from '../src/lib/server/auth/password.ts';
import { generateTotpKey } from '../src/lib/server/auth/totp.ts';
import { findOrganisationForEmail } from '../src/lib/server/organisations/organisation.repository.ts';
import { createGroup } from '../src/lib/server/groups/group.service.ts';
import { answerInvitation, askToJoin, joinGroup } from '../src/lib/server/groups/membership.service.ts';
import { changeRole, decideRequest, invite } from '../src/lib/server/groups/moderation.service.ts';
import type { RequestMeta } from '../src/lib/server/request-meta.ts';
import {
	GROUPS,
	PEOPLE,
	type DemoGroup,
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
		this.time = this.moment(30, 0, 0);
	}

	now(): Date {
		return new Date(this.time);
	}

	/** A time of day some days ago, in milliseconds. */
	moment(daysAgo: number, hour: number, minute: number): number {
		const midnight = new Date(this.today);
		midnight.setHours(0, 0, 0, 0);
		return midnight.getTime() - daysAgo * DAY + (hour * 60 + minute) * MINUTE;
	}

	/** The time, or the next morning's if it falls in the night (people post in the day). */
	daytime(time: number): number {
		const date = new Date(time);
		const hour = date.getHours();
		if (hour >= 7 && hour < 22) return time;
		if (hour >= 22) date.setDate(date.getDate() + 1);
		date.setHours(7, date.getMinutes(), date.getSeconds());
		return date.getTime();
	}

	/** Moves to a time of day some days ago (or, if the clock is past it, a little on). */
	at(daysAgo: number, hour: number, minute = 0): void {
		this.to(this.moment(daysAgo, hour, minute));
	}

	/** Moves to a time (or, if the clock is past it, a little on). */
	to(time: number): void {
		this.set(Math.max(time, this.time + 7_000));
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
	/** The threads made so far, by their key in demo-threads-*.ts. */
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
	quotes: number;
}

/** What the audit log records as the demo's request: no address, and this command. */
export const META: RequestMeta = { ip: null, userAgent: 'npm run demo' };

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether the demo is already in this database: one of its accounts (or a numbered copy of one,
 * as earlier versions of the demo made beside it), or one of its groups. False when the schema
 * is not there yet.
 */
export async function demoPresent(db: Kysely<Database>): Promise<boolean> {
	const { rows } = await sql<{
		users: string | null;
		groups: string | null;
	}>`select to_regclass('users')::text as users, to_regclass('groups')::text as groups`.execute(db);
	if (rows[0]?.users) {
		const addresses = Object.values(PEOPLE).map(
			(p) => `${escapeRegex(p.local)}[0-9]*@${escapeRegex(p.domain)}`
		);
		const account = await db
			.selectFrom('users')
			.select('id')
			.where(sql<boolean>`email ~* ${`^(${addresses.join('|')})$`}`)
			.limit(1)
			.executeTakeFirst();
		if (account) return true;
	}
	if (rows[0]?.groups) {
		const descriptions = Object.values(GROUPS).map((g) => g.description);
		const group = await db
			.selectFrom('groups')
			.select('id')
			.where('description', 'in', descriptions)
			.limit(1)
			.executeTakeFirst();
		if (group) return true;
	}
	return false;
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
	password: string
): Promise<Record<PersonKey, DemoAccount>> {
	const accounts = {} as Record<PersonKey, DemoAccount>;
	const people = Object.entries(PEOPLE) as [PersonKey, DemoPerson][];
	// Hashing is the slow part: argon2 runs off the main thread, so hash them all at once.
	const hashes = await Promise.all(people.map(() => hashPassword(password)));
	clock.at(24, 9, 0);
	for (const [i, [key, person]] of people.entries()) {
		clock.after(17);
		const now = clock.now();
		const email = `${person.local}@${person.domain}`;
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
				passwordHash: hashes[i]!,
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

/**
 * A group name not already in use. The demo is never added twice, but with --force it goes
 * beside other people's groups, and one of those may have the same name.
 */
async function freeGroupName(ctx: AppContext, name: string): Promise<string> {
	for (let n = 1; n < 100; n++) {
		const candidate = n === 1 ? name : n === 2 ? `${name} (demo)` : `${name} (demo ${n - 1})`;
		const taken = await ctx.db
			.selectFrom('groups')
			.select('id')
			.where('name', '=', candidate)
			.executeTakeFirst();
		if (!taken) return candidate;
	}
	throw new Error(`could not find a free name for the group ${name}`);
}

/**
 * The groups, and who is in them: each is created by its owner, then people join (open
 * groups), ask and are approved (restricted ones), or are invited and accept; last, the
 * owners make some members moderators. Spread over a few days, before the first discussion.
 */
export async function createGroups(
	world: Omit<DemoWorld, 'groups' | 'threads'>
): Promise<Record<GroupKey, DemoGroupResult>> {
	const { ctx, clock, people: p, meta } = world;
	const user = (key: PersonKey) => p[key].user;
	const groups = {} as Record<GroupKey, DemoGroupResult>;
	const specs = Object.entries(GROUPS) as [GroupKey, DemoGroup][];

	clock.at(23, 9, 0);
	for (const [key, group] of specs) {
		clock.after(70);
		const name = await freeGroupName(ctx, group.name);
		const settings = {
			name,
			description: group.description,
			visibility: group.visibility,
			audience: group.audience
		};
		groups[key] = { key, slug: await createGroup(ctx, user(group.owner), settings, meta), name };
	}

	clock.at(22, 8, 30);
	for (const [key, group] of specs) {
		const slug = groups[key].slug;
		for (const person of group.join ?? []) {
			clock.after(15);
			await joinGroup(ctx, user(person), slug, meta);
		}
		for (const [person, message] of Object.entries(group.ask ?? {}) as [PersonKey, string][]) {
			clock.after(20);
			await askToJoin(ctx, user(person), slug, message, meta);
		}
		for (const person of group.invite ?? []) {
			clock.after(5);
			await invite(ctx, user(group.owner), slug, { email: user(person).email, days: 14 }, meta);
		}
	}

	// The owners decide the requests, and the people invited accept, over the next day or so.
	clock.at(21, 9, 0);
	for (const [key, group] of specs) {
		const slug = groups[key].slug;
		const requests = await ctx.db
			.selectFrom('membershipRequests')
			.innerJoin('groups', 'groups.id', 'membershipRequests.groupId')
			.select(['membershipRequests.id'])
			.where('groups.slug', '=', slug)
			.where('membershipRequests.status', '=', 'pending')
			.orderBy('membershipRequests.id')
			.execute();
		for (const request of requests) {
			clock.after(6);
			await decideRequest(ctx, user(group.owner), slug, request.id, { approve: true }, meta);
		}
	}
	clock.at(20, 8, 0);
	for (const [key, group] of specs) {
		for (const person of group.invite ?? []) {
			clock.after(45);
			await answerInvitation(ctx, user(person), groups[key].slug, true, meta);
		}
	}
	clock.at(20, 16, 0);
	for (const [key, group] of specs) {
		for (const [person, reason] of Object.entries(group.moderators ?? {}) as [PersonKey, string][]) {
			clock.after(10);
			await changeRole(ctx, user(group.owner), groups[key].slug, user(person).id, 'moderator', reason, meta);
		}
	}
	return groups;
}

/**
 * How many discussions, in the groups each person belongs to, have posts they have not read
 * (as their home page counts them). The demo promises every account some.
 */
export async function unreadThreads(
	world: Pick<DemoWorld, 'ctx' | 'people'>
): Promise<Record<PersonKey, number>> {
	const ids = Object.values(world.people).map((a) => a.user.id);
	const rows = await world.ctx.db
		.selectFrom('groupMembers as m')
		.innerJoin('threads as t', 't.groupId', 'm.groupId')
		.leftJoin('threadReads as r', (join) =>
			join.onRef('r.threadId', '=', 't.id').onRef('r.userId', '=', 'm.userId')
		)
		.select(['m.userId', (eb) => eb.fn.countAll<number>().as('n')])
		.where('m.userId', 'in', ids)
		.where(sql<boolean>`t.post_count > coalesce(r.last_read_number, 0)`)
		.groupBy('m.userId')
		.execute();
	const counts = {} as Record<PersonKey, number>;
	for (const account of Object.values(world.people)) {
		counts[account.key] = Number(rows.find((r) => r.userId === account.user.id)?.n ?? 0);
	}
	return counts;
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
