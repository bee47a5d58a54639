/**
 * How each person wants to be e-mailed, by kind of notification: immediately (after a short
 * delay, and not at all when they read it in the app meanwhile), in a daily or weekly digest,
 * or never. Join requests, decisions on them and invitations are not here: each is its own
 * e-mail, sent by the action itself, whatever these settings say.
 */
import { sql, type Expression, type Kysely } from 'kysely';
import type { Database, EmailCadence } from '../db/schema.ts';
import type { SecretBox } from '../auth/secret-box.ts';
import { DomainError } from '../errors.ts';
import type { NotificationKind } from './notify.ts';

export const EMAIL_CATEGORIES = {
	addressed: {
		label:
			'Replies to you, mentions, quotes, answers, helpful marks, changes to your role and files found to contain a virus',
		short: 'replies to you and mentions',
		kinds: ['mention', 'quote', 'reply', 'answer', 'helpful', 'role_changed', 'file_quarantined'],
		cadence: 'immediately'
	},
	watching: {
		label:
			'New posts in threads you watch, new threads in groups you watch, and new good practice in topics you follow',
		short: 'what you watch and follow',
		kinds: ['watching_post', 'watching_thread', 'practice_topic'],
		cadence: 'daily'
	}
} as const satisfies Record<
	string,
	{ label: string; short: string; kinds: readonly NotificationKind[]; cadence: EmailCadence }
>;

export type EmailCategory = keyof typeof EMAIL_CATEGORIES;
export const CATEGORY_NAMES = Object.keys(EMAIL_CATEGORIES) as EmailCategory[];
export const CADENCES: readonly EmailCadence[] = ['immediately', 'daily', 'weekly', 'never'];
export const CADENCE_LABELS: Record<EmailCadence, string> = {
	immediately: 'Straight away',
	daily: 'In a daily summary',
	weekly: 'In a weekly summary',
	never: 'Never'
};

export function categoryOf(kind: string): EmailCategory | undefined {
	return CATEGORY_NAMES.find((c) => (EMAIL_CATEGORIES[c].kinds as readonly string[]).includes(kind));
}

export function isCategory(value: unknown): value is EmailCategory {
	return typeof value === 'string' && (CATEGORY_NAMES as string[]).includes(value);
}

/** Each category's cadence for a person, defaults filled in. */
export async function emailPreferences(
	db: Kysely<Database>,
	userId: string
): Promise<Record<EmailCategory, EmailCadence>> {
	const rows = await db
		.selectFrom('emailPreferences')
		.select(['category', 'cadence'])
		.where('userId', '=', userId)
		.execute();
	const chosen = new Map(rows.map((r) => [r.category, r.cadence]));
	return Object.fromEntries(
		CATEGORY_NAMES.map((c) => [c, chosen.get(c) ?? EMAIL_CATEGORIES[c].cadence])
	) as Record<EmailCategory, EmailCadence>;
}

export async function setEmailPreference(
	db: Kysely<Database>,
	userId: string,
	category: EmailCategory,
	cadence: EmailCadence,
	now: Date
): Promise<void> {
	await db
		.insertInto('emailPreferences')
		.values({ userId, category, cadence, updatedAt: now })
		.onConflict((oc) => oc.columns(['userId', 'category']).doUpdateSet({ cadence, updatedAt: now }))
		.execute();
}

export function cadenceFrom(value: unknown, field: string): EmailCadence {
	if (typeof value === 'string' && (CADENCES as readonly string[]).includes(value))
		return value as EmailCadence;
	throw new DomainError('invalid', 'Choose how often to be e-mailed.', field);
}

/**
 * When an e-mail about a new notification falls due, as SQL for the insert: its creation time
 * when the recipient wants this kind straight away (the sender waits the delay after it), and
 * null otherwise (a digest, or nothing).
 */
export function emailDue(kind: NotificationKind, userId: Expression<unknown>, createdAt: Date) {
	const category = categoryOf(kind);
	if (!category) return sql<Date | null>`null::timestamptz`;
	return sql<Date | null>`case when coalesce(
		(select ep.cadence from email_preferences ep where ep.user_id = ${userId} and ep.category = ${category}),
		${EMAIL_CATEGORIES[category].cadence}) = 'immediately' then ${createdAt}::timestamptz end`;
}

// ── One-click unsubscribe ───────────────────────────────────────────────────────────────
// A link names one person and one category and is signed with SECRET_KEY, so it changes
// only that person's setting for that kind, and cannot be edited into another.

const PURPOSE = 'unsubscribe';

export function unsubscribeToken(secrets: SecretBox, userId: string, category: EmailCategory): string {
	return `${userId}.${category}.${secrets.sign(PURPOSE, `${userId}:${category}`)}`;
}

export function readUnsubscribeToken(
	secrets: SecretBox,
	token: string
): { userId: string; category: EmailCategory } | undefined {
	const match = /^([0-9a-f-]{36})\.([a-z]{1,20})\.([A-Za-z0-9_-]{43})$/.exec(token);
	if (!match) return undefined;
	const [, userId, category, signature] = match;
	if (!isCategory(category) || !secrets.verify(PURPOSE, `${userId}:${category}`, signature!))
		return undefined;
	return { userId: userId!, category };
}

/** Follows an unsubscribe link: that person's setting for that kind becomes Never. */
export async function unsubscribeWith(
	db: Kysely<Database>,
	secrets: SecretBox,
	token: string,
	now: Date
): Promise<{ userId: string; category: EmailCategory } | undefined> {
	const read = readUnsubscribeToken(secrets, token);
	if (!read) return undefined;
	const exists = await db.selectFrom('users').select('id').where('id', '=', read.userId).executeTakeFirst();
	if (!exists) return undefined;
	await setEmailPreference(db, read.userId, read.category, 'never', now);
	return read;
}
