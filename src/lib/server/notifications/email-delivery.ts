/**
 * E-mail about notifications, asked of the policy again when it is sent: nothing about a post
 * hidden since, a thread moved out of reach, or a group the person has left.
 *
 * Straight away: a notification is e-mailed once the delay (NOTIFY_EMAIL_DELAY_MINUTES) has
 * passed, unless it was read in the app meanwhile (then it is dropped: a person active in the
 * app is not e-mailed). Digests: each morning (and on Mondays, the weekly one) one message per
 * person summarising what they have not read in their groups and the good practice published
 * since their last digest; nothing when there is nothing.
 *
 * Both are taken with FOR UPDATE SKIP LOCKED (or claimed by inserting the run's row), so with
 * several nodes each e-mail is sent once. A group marked "e-mails without content" is never
 * named, nor are its threads: its messages say only that there is something new.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { loadAccount, type SessionUser } from '../auth/session.ts';
import type { SecretBox } from '../auth/secret-box.ts';
import { queueMail, type Mail } from '../mail/mail.ts';
import { renderMessage, type MessageLink } from '../mail/template.ts';
import { describedNotifications, sentence, type DescribedRow } from './notification-list.service.ts';
import {
	EMAIL_CATEGORIES,
	categoryOf,
	emailPreferences,
	unsubscribeToken,
	type EmailCategory
} from './email-preferences.ts';
import { recentPractice } from '../practice/practice-list.service.ts';
import { enqueueJob, type JobHandler } from '../jobs/jobs.ts';

export interface DeliveryDeps {
	db: Kysely<Database>;
	secrets: SecretBox;
	origin: string;
	now: () => Date;
	/** How long a notification waits before it is e-mailed "straight away". */
	delayMs: number;
}

const BATCH = 50;
const CONTENT_FREE = 'There is something new for you on Muster';

function unsubscribeParts(
	deps: Pick<DeliveryDeps, 'secrets' | 'origin'>,
	user: SessionUser,
	category: EmailCategory
) {
	const token = unsubscribeToken(deps.secrets, user.id, category);
	return {
		link: {
			reason: `You get these e-mails because of your setting for ${EMAIL_CATEGORIES[category].short}.`,
			href: `${deps.origin}/unsubscribe/${token}`
		},
		headers: {
			'List-Unsubscribe': `<${deps.origin}/api/v1/unsubscribe/${token}>`,
			'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click'
		}
	};
}

/** One notification, e-mailed on its own. */
export function notificationMail(
	deps: Pick<DeliveryDeps, 'secrets' | 'origin'>,
	user: SessionUser,
	row: DescribedRow,
	category: EmailCategory
): Mail {
	const hidden = row.emailWithoutContent === true;
	const subject = hidden ? CONTENT_FREE : sentence(row);
	const unsubscribe = unsubscribeParts(deps, user, category);
	const { text, html } = renderMessage(subject, {
		greeting: `Hello ${user.displayName},`,
		paragraphs: hidden
			? ['There is something new for you in one of your groups. Sign in to Muster to see it.']
			: [`${sentence(row)}.`],
		action: { text: 'Open it on Muster', href: `${deps.origin}/notifications/${row.id}` },
		unsubscribe: unsubscribe.link,
		origin: deps.origin
	});
	return { to: user.email, subject, text, html, headers: unsubscribe.headers };
}

/**
 * Sends the e-mails now due, a batch at a time: returns how many it sent. Every notification
 * it looks at leaves the queue (sent, or dropped: read meanwhile, no longer wanted straight
 * away, or no longer something the person may see).
 */
export async function sendDueEmails(deps: DeliveryDeps): Promise<number> {
	let sent = 0;
	for (;;) {
		const batch = await sendDueBatch(deps);
		sent += batch.sent;
		if (batch.looked < BATCH) return sent;
	}
}

async function sendDueBatch(deps: DeliveryDeps): Promise<{ looked: number; sent: number }> {
	const cutoff = new Date(deps.now().getTime() - deps.delayMs);
	return deps.db.transaction().execute(async (trx) => {
		const due = await trx
			.selectFrom('notifications')
			.select(['id', 'userId'])
			.where('emailDueAt', '<=', cutoff)
			.orderBy('emailDueAt')
			.limit(BATCH)
			.forUpdate()
			.skipLocked()
			.execute();
		if (due.length === 0) return { looked: 0, sent: 0 };
		let sent = 0;
		const sentIds: number[] = [];
		const byUser = new Map<string, number[]>();
		for (const d of due) byUser.set(d.userId, [...(byUser.get(d.userId) ?? []), d.id]);
		for (const [userId, ids] of byUser) {
			const user = await loadAccount(trx, userId);
			if (!user || user.status !== 'active' || !user.emailVerified) continue;
			const preferences = await emailPreferences(trx, userId);
			const rows = (await describedNotifications(trx, user)
				.where('notifications.id', 'in', ids)
				.where('notifications.readAt', 'is', null)
				.orderBy('notifications.id')
				.execute()) as DescribedRow[];
			for (const row of rows) {
				const category = categoryOf(row.kind);
				if (!category || preferences[category] !== 'immediately') continue;
				await queueMail(trx, notificationMail(deps, user, row, category));
				sentIds.push(row.id);
				sent++;
			}
		}
		if (sentIds.length > 0)
			await trx
				.updateTable('notifications')
				.set({ emailedAt: deps.now() })
				.where('id', 'in', sentIds)
				.execute();
		await trx
			.updateTable('notifications')
			.set({ emailDueAt: null })
			.where(
				'id',
				'in',
				due.map((d) => d.id)
			)
			.execute();
		return { looked: due.length, sent };
	});
}

// ── Digests ─────────────────────────────────────────────────────────────────────────────

export const DIGEST_HOUR = 7;
const DIGEST_BATCH = 200;
const DIGEST_ITEMS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

const londonParts = new Intl.DateTimeFormat('en-GB', {
	timeZone: 'Europe/London',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	hourCycle: 'h23',
	weekday: 'short'
});

/** The digest runs due at `now` (UK time): daily from 7am, weekly from 7am on Mondays. */
export function dueDigestRuns(now: Date): Array<{ cadence: 'daily' | 'weekly'; period: string }> {
	const parts = Object.fromEntries(londonParts.formatToParts(now).map((p) => [p.type, p.value]));
	if (Number(parts.hour) < DIGEST_HOUR) return [];
	const day = `${parts.year}-${parts.month}-${parts.day}`;
	const runs: Array<{ cadence: 'daily' | 'weekly'; period: string }> = [{ cadence: 'daily', period: day }];
	if (parts.weekday === 'Mon') runs.push({ cadence: 'weekly', period: day });
	return runs;
}

/**
 * Starts the digest runs now due, each once across every node (the run's row is claimed by
 * inserting it): a job per batch of active accounts. Returns the runs it started.
 */
export async function startDueDigests(deps: Pick<DeliveryDeps, 'db' | 'now'>): Promise<string[]> {
	const started: string[] = [];
	for (const run of dueDigestRuns(deps.now())) {
		await deps.db.transaction().execute(async (trx) => {
			const claimed = await trx
				.insertInto('digestRuns')
				.values({ cadence: run.cadence, period: run.period, startedAt: deps.now() })
				.onConflict((oc) => oc.columns(['cadence', 'period']).doNothing())
				.returning('period')
				.executeTakeFirst();
			if (!claimed) return;
			started.push(`${run.cadence} ${run.period}`);
			const users = await trx
				.selectFrom('users')
				.select('id')
				.where('status', '=', 'active')
				.where('emailVerifiedAt', 'is not', null)
				.orderBy('id')
				.execute();
			for (let i = 0; i < users.length; i += DIGEST_BATCH) {
				await enqueueJob(
					trx,
					'digest.batch',
					{ cadence: run.cadence, userIds: users.slice(i, i + DIGEST_BATCH).map((u) => u.id) },
					deps.now()
				);
			}
		});
	}
	return started;
}

/** The digest for one person, or nothing when there is nothing new for them. */
export async function digestFor(
	deps: Pick<DeliveryDeps, 'secrets' | 'origin'>,
	trx: Kysely<Database>,
	user: SessionUser,
	cadence: 'daily' | 'weekly',
	since: Date,
	now: Date
): Promise<Mail | undefined> {
	const preferences = await emailPreferences(trx, user.id);
	const categories = (Object.keys(preferences) as EmailCategory[]).filter((c) => preferences[c] === cadence);
	// Nobody who chose no summary at this pace gets one, good practice or not.
	if (categories.length === 0) return undefined;
	const kinds = categories.flatMap((c) => [...EMAIL_CATEGORIES[c].kinds]);
	const rows = kinds.length
		? ((await describedNotifications(trx, user)
				.where('notifications.readAt', 'is', null)
				.where('notifications.kind', 'in', kinds)
				.where('notifications.createdAt', '>', since)
				.where('notifications.createdAt', '<=', now)
				.orderBy('notifications.id', 'desc')
				.limit(DIGEST_ITEMS + 1)
				.execute()) as DescribedRow[])
		: [];
	const practice = await recentPractice({ db: trx }, user, 10, since);
	if (rows.length === 0 && practice.length === 0) return undefined;

	const shown = rows.slice(0, DIGEST_ITEMS);
	const open = shown.filter((r) => !r.emailWithoutContent);
	const withheld = shown.length - open.length;
	const items: MessageLink[] = open.map((r) => ({
		text: sentence(r),
		href: `${deps.origin}/notifications/${r.id}`
	}));
	if (withheld > 0)
		items.push({
			text:
				withheld === 1
					? '1 new item in a group you belong to'
					: `${withheld} new items in groups you belong to`,
			href: `${deps.origin}/notifications`
		});
	for (const entry of practice)
		items.push({ text: `New good practice: ${entry.title}`, href: `${deps.origin}${entry.path}` });
	const period = cadence === 'daily' ? 'today' : 'this week';
	const subject = `Your ${cadence} summary from Muster`;
	const category = categories[0] ?? 'watching';
	const unsubscribe = unsubscribeParts(deps, user, category);
	const { text, html } = renderMessage(subject, {
		greeting: `Hello ${user.displayName},`,
		paragraphs: [
			`Here is what is new for you on Muster ${period}` +
				(rows.length > DIGEST_ITEMS ? ` (the ${DIGEST_ITEMS} most recent; there is more on Muster).` : '.'),
			`To choose what Muster e-mails you, and how often: ${deps.origin}/settings/notifications`
		],
		items,
		action: { text: 'See all your notifications', href: `${deps.origin}/notifications` },
		unsubscribe: unsubscribe.link,
		origin: deps.origin
	});
	return { to: user.email, subject, text, html, headers: unsubscribe.headers };
}

/** The job: the digests of one batch of accounts, each covering what came since their last. */
export function digestBatch(deps: Pick<DeliveryDeps, 'secrets' | 'origin' | 'now'>): JobHandler {
	return async (trx: Transaction<Database>, payload) => {
		const cadence = payload.cadence === 'weekly' ? 'weekly' : 'daily';
		const userIds = Array.isArray(payload.userIds) ? payload.userIds.map(String) : [];
		if (userIds.length === 0) return;
		const now = deps.now();
		const fallback = new Date(now.getTime() - (cadence === 'daily' ? DAY_MS : 7 * DAY_MS));
		const last = new Map(
			(
				await trx
					.selectFrom('digestsSent')
					.select(['userId', 'sentThrough'])
					.where('cadence', '=', cadence)
					.where('userId', 'in', userIds)
					.execute()
			).map((r) => [r.userId, r.sentThrough])
		);
		for (const userId of userIds) {
			const user = await loadAccount(trx, userId);
			if (!user || user.status !== 'active' || !user.emailVerified) continue;
			const mail = await digestFor(deps, trx, user, cadence, last.get(userId) ?? fallback, now);
			if (mail) await queueMail(trx, mail);
			await trx
				.insertInto('digestsSent')
				.values({ userId, cadence, sentThrough: now })
				.onConflict((oc) => oc.columns(['userId', 'cadence']).doUpdateSet({ sentThrough: now }))
				.execute();
		}
	};
}
