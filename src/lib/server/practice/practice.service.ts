/**
 * Good-practice entries: drafting, review, publication, revision and archiving.
 *
 * An entry has at most one working version (a draft, a submission in review, or one
 * returned with comments) beside its published version, so a revision goes through review
 * while readers keep seeing what was published. Every change is one transaction, checked
 * by the practice policy, audited, and e-mailed to the entry's authors (not the person who
 * made it); submissions are e-mailed to the scope's reviewers.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database, PracticeVersionStatus } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import { DomainError } from '../errors.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { mailFooter, queueMail } from '../mail/mail.ts';
import { renderMarkdown } from '../markdown/markdown.ts';
import type { RequestMeta } from '../request-meta.ts';
import { resolveContact, type ContactScope } from './practice-contact.ts';
import { LOCKS } from '../db/locks.ts';
import {
	decision,
	findGroup,
	loadGroupAccess,
	policyActor,
	type GroupAccess
} from '../policy/group.access.ts';
import { addMember } from '../groups/membership.service.ts';
import { createThread, loadThread } from '../discussions/thread.service.ts';
import {
	decidePractice,
	mayCreateIn,
	mayReadScope,
	mayReviewScope,
	type PracticeAction,
	type PracticeActor,
	type PracticeFacts,
	type PracticeScope
} from '../policy/practice.policy.ts';
import { missingForReview, practicePath, SECTIONS, type PracticeDraftInput } from './practice.schemas.ts';
import { inTransaction } from '../db/transaction.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function practiceActor(db: Db, user: SessionUser): Promise<PracticeActor> {
	const row = await db
		.selectFrom('users')
		.select('practiceReviewer')
		.where('id', '=', user.id)
		.executeTakeFirst();
	return { ...policyActor(user)!, practiceReviewer: row?.practiceReviewer ?? false };
}

export function scopeOf(access: GroupAccess | undefined): PracticeScope {
	if (!access) return { kind: 'site' };
	return {
		kind: 'group',
		group: { ...access.group, archived: access.group.archivedAt !== null },
		standing: access.standing
	};
}

const ENTRY_COLUMNS = [
	'practices.id',
	'practices.groupId',
	'practices.authorId',
	'practices.publishedVersionId',
	'practices.workingVersionId',
	'practices.sourceThreadId',
	'practices.discussionThreadId',
	'practices.firstPublishedAt',
	'practices.lastPublishedAt',
	'practices.archivedAt',
	'practices.archivedReason'
] as const;

export interface LoadedEntry {
	entry: {
		id: number;
		groupId: number | null;
		authorId: string;
		publishedVersionId: number | null;
		workingVersionId: number | null;
		sourceThreadId: number | null;
		discussionThreadId: number | null;
		firstPublishedAt: Date | null;
		lastPublishedAt: Date | null;
		archivedAt: Date | null;
		archivedReason: string | null;
	};
	access?: GroupAccess;
	actor: PracticeActor;
	facts: PracticeFacts;
	workingStatus: PracticeVersionStatus | null;
	/** What else this viewer may do, for the page to offer. */
	may: Record<PracticeAction, boolean>;
}

/** Loads an entry and decides; throws not_found (or the refusal) when `action` is not allowed. */
export async function loadEntry(
	ctx: AppContext,
	db: Db,
	user: SessionUser,
	id: number,
	action: PracticeAction = 'read',
	options: { forUpdate?: boolean } = {}
): Promise<LoadedEntry> {
	let query = db
		.selectFrom('practices')
		.leftJoin('practiceVersions as working', 'working.id', 'practices.workingVersionId')
		.select(ENTRY_COLUMNS)
		.select(['working.status as workingStatus'])
		.select((eb) =>
			eb
				.exists(
					eb
						.selectFrom('practiceCoauthors')
						.select(sql`1`.as('x'))
						.whereRef('practiceCoauthors.practiceId', '=', 'practices.id')
						.where('practiceCoauthors.userId', '=', user.id)
				)
				.as('coauthor')
		)
		.where('practices.id', '=', id);
	if (options.forUpdate) query = query.forUpdate('practices');
	const row = await query.executeTakeFirst();
	if (!row) throw new DomainError('not_found', 'Page not found');
	const { workingStatus, coauthor, ...entry } = row;
	const access = entry.groupId
		? await loadGroupAccess(db, user, { id: entry.groupId }, ctx.now())
		: undefined;
	if (entry.groupId && !access) throw new DomainError('not_found', 'Page not found');
	const actor = await practiceActor(db, user);
	const working =
		workingStatus === 'draft' || workingStatus === 'in_review' || workingStatus === 'returned'
			? workingStatus
			: null;
	const facts: PracticeFacts = {
		scope: scopeOf(access),
		authorId: entry.authorId,
		coauthor: Boolean(coauthor),
		published: entry.publishedVersionId !== null,
		archived: entry.archivedAt !== null,
		working
	};
	const result = decidePractice(actor, action, facts);
	if (!result.ok) throw new DomainError(result.code, result.message);
	const may = Object.fromEntries(
		(['read', 'read_working', 'edit', 'submit', 'review', 'revise', 'archive', 'add_coauthor'] as const).map(
			(a) => [a, decidePractice(actor, a, facts).ok]
		)
	) as Record<PracticeAction, boolean>;
	return { entry, access, actor, facts, workingStatus: workingStatus ?? null, may };
}

/** The fields of a version, rendered: what a draft save writes. */
async function versionValues(db: Db, input: PracticeDraftInput, scope: ContactScope) {
	const contactId = await resolveContact(db, scope, {
		name: input.contact,
		chosenId: input.contactId
	});
	if (input.leadOrganisation !== null) {
		const org = await db
			.selectFrom('organisations')
			.select('id')
			.where('id', '=', input.leadOrganisation)
			.executeTakeFirst();
		if (!org) throw new DomainError('invalid', 'Choose the lead organisation', 'leadOrganisation');
	}
	const topics = [...new Set(input.topics)];
	if (topics.length) {
		const known = await db
			.selectFrom('practiceTopics')
			.select('id')
			.where('id', 'in', topics)
			.where('retiredAt', 'is', null)
			.execute();
		if (known.length !== topics.length)
			throw new DomainError('invalid', 'Choose topics from the list', 'topics');
	}
	const sections = Object.fromEntries(
		SECTIONS.flatMap(([name]) => [
			[name, input[name]],
			[`${name}Html`, input[name] ? renderMarkdown(input[name]) : '']
		])
	) as Record<(typeof SECTIONS)[number][0] | `${(typeof SECTIONS)[number][0]}Html`, string>;
	return {
		title: input.title,
		summary: input.summary,
		...sections,
		effectiveness: input.effectiveness,
		stage: input.stage,
		scale: input.scale,
		region: input.region,
		leadOrganisationId: input.leadOrganisation,
		partners: input.partners,
		targetGroup: input.targetGroup,
		startDate: input.startDate,
		endDate: input.endDate,
		contactId,
		links: input.links.join('\n'),
		topicIds: topics
	};
}

function target(id: number, title: string) {
	return { type: 'practice', id: String(id), label: title };
}

async function audit(
	trx: Db,
	user: SessionUser,
	action: string,
	entry: { id: number; title: string },
	meta: RequestMeta,
	details: Record<string, string> = {}
) {
	await appendAudit(trx, {
		actor: { id: user.id, label: user.email },
		action,
		target: target(entry.id, entry.title),
		details,
		ipAddress: meta.ip
	});
}

/**
 * Tells the entry's authors (not the person acting) what happened to it: only those who may
 * still read its scope (a co-author removed or banned from the entry's group hears nothing).
 */
async function tellAuthors(
	ctx: AppContext,
	trx: Db,
	practiceId: number,
	actorId: string,
	subject: string,
	text: string
) {
	const authors = await trx
		.selectFrom('users')
		.select('email')
		.where('status', '=', 'active')
		.where('emailVerifiedAt', 'is not', null)
		.where('id', '!=', actorId)
		.where((eb) =>
			eb.or([
				eb('id', '=', eb.selectFrom('practices').select('authorId').where('id', '=', practiceId)),
				eb(
					'id',
					'in',
					eb.selectFrom('practiceCoauthors').select('userId').where('practiceId', '=', practiceId)
				)
			])
		)
		.where((eb) =>
			eb.or([
				eb('isAdmin', '=', true),
				eb.and([
					eb(eb.selectFrom('practices').select('groupId').where('id', '=', practiceId), 'is', null),
					eb('kind', 'in', ['police', 'partner'])
				]),
				eb(
					'id',
					'in',
					eb
						.selectFrom('groupMembers')
						.innerJoin('practices', 'practices.groupId', 'groupMembers.groupId')
						.select('groupMembers.userId')
						.where('practices.id', '=', practiceId)
				)
			])
		)
		.execute();
	for (const { email } of authors) {
		await queueMail(trx, { to: email, subject, text: text + mailFooter(ctx.config.origin) });
	}
}

async function scopeForNew(
	ctx: AppContext,
	user: SessionUser,
	groupSlug: string | undefined
): Promise<{ access?: GroupAccess; scope: PracticeScope }> {
	if (!groupSlug) return { scope: { kind: 'site' } };
	const access = await findGroup(ctx.db, user, groupSlug, 'view_group', ctx.now());
	return { access, scope: scopeOf(access) };
}

/** May this person start an entry (site-wide, or in the group)? Throws the refusal if not. */
export async function checkMayCreate(ctx: AppContext, user: SessionUser, groupSlug?: string) {
	const { access, scope } = await scopeForNew(ctx, user, groupSlug);
	const result = mayCreateIn(policyActor(user), scope);
	if (!result.ok) throw new DomainError(result.code, result.message);
	return access;
}

/** The thread an entry is promoted from: its author or a moderator of its group may. */
export async function promotableThread(
	ctx: AppContext,
	user: SessionUser,
	groupSlug: string,
	threadId: number
) {
	const ta = await loadThread(ctx, user, groupSlug, threadId);
	const moderator = decision(ta.access, 'moderate_posts').ok;
	if (ta.thread.authorId !== user.id && !moderator) {
		throw new DomainError(
			'forbidden',
			'Only the thread’s author or a moderator can write it up as practice.'
		);
	}
	const first = await ctx.db
		.selectFrom('posts')
		.select(['source'])
		.where('threadId', '=', threadId)
		.where('number', '=', 1)
		.where('deletedAt', 'is', null)
		.where('hiddenAt', 'is', null)
		.executeTakeFirst();
	return { ta, firstPost: first?.source ?? '' };
}

export async function createDraft(
	ctx: AppContext,
	user: SessionUser,
	options: { groupSlug?: string; fromThread?: number },
	input: PracticeDraftInput,
	meta: RequestMeta
): Promise<{ id: number; title: string }> {
	let access: GroupAccess | undefined;
	let sourceThreadId: number | null = null;
	if (options.fromThread !== undefined) {
		if (!options.groupSlug) throw new DomainError('not_found', 'Page not found');
		const { ta } = await promotableThread(ctx, user, options.groupSlug, options.fromThread);
		access = ta.access;
		sourceThreadId = ta.thread.id;
	} else {
		access = await checkMayCreate(ctx, user, options.groupSlug);
	}
	const scope = scopeOf(access);
	const allowed = mayCreateIn(policyActor(user), scope);
	if (!allowed.ok) throw new DomainError(allowed.code, allowed.message);
	return inTransaction(ctx.db, async (trx) => {
		const now = ctx.now();
		const values = await versionValues(trx, input, {
			actorId: user.id,
			groupId: access?.group.id ?? null,
			entryId: null
		});
		const practice = await trx
			.insertInto('practices')
			.values({
				groupId: access?.group.id ?? null,
				authorId: user.id,
				sourceThreadId,
				createdAt: now,
				updatedAt: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const version = await trx
			.insertInto('practiceVersions')
			.values({
				practiceId: practice.id,
				status: 'draft',
				...values,
				editedBy: user.id,
				createdAt: now,
				updatedAt: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx
			.updateTable('practices')
			.set({ workingVersionId: version.id })
			.where('id', '=', practice.id)
			.execute();
		await audit(trx, user, 'practice.drafted', { id: practice.id, title: input.title }, meta, {
			scope: access ? access.group.name : 'site-wide',
			...(sourceThreadId ? { fromThread: String(sourceThreadId) } : {})
		});
		return { id: practice.id, title: input.title };
	});
}

/** Saves the working version; with `submit`, checks it is complete and sends it for review. */
export async function saveDraft(
	ctx: AppContext,
	user: SessionUser,
	id: number,
	input: PracticeDraftInput,
	meta: RequestMeta,
	options: { submit?: boolean } = {}
): Promise<void> {
	await inTransaction(ctx.db, async (trx) => {
		const loaded = await loadEntry(ctx, trx, user, id, options.submit ? 'submit' : 'edit', {
			forUpdate: true
		});
		const values = await versionValues(trx, input, {
			actorId: user.id,
			groupId: loaded.entry.groupId,
			entryId: id
		});
		if (options.submit) {
			const missing = missingForReview(values);
			const first = Object.entries(missing)[0];
			if (first) throw new DomainError('invalid', first[1], first[0]);
		}
		const now = ctx.now();
		await trx
			.updateTable('practiceVersions')
			.set({
				...values,
				editedBy: user.id,
				updatedAt: now,
				...(options.submit ? { status: 'in_review' as const, submittedAt: now } : {})
			})
			.where('id', '=', loaded.entry.workingVersionId!)
			.execute();
		await trx.updateTable('practices').set({ updatedAt: now }).where('id', '=', id).execute();
		if (options.submit) await submitted(ctx, trx, user, loaded, input.title, meta);
	});
}

/** Sends a complete working version for review, as it is. */
export async function submitForReview(ctx: AppContext, user: SessionUser, id: number, meta: RequestMeta) {
	await inTransaction(ctx.db, async (trx) => {
		const loaded = await loadEntry(ctx, trx, user, id, 'submit', { forUpdate: true });
		const version = await trx
			.selectFrom('practiceVersions')
			.selectAll()
			.where('id', '=', loaded.entry.workingVersionId!)
			.executeTakeFirstOrThrow();
		const missing = missingForReview(version);
		if (Object.keys(missing).length) {
			throw new DomainError(
				'invalid',
				`This entry is not ready for review yet: ${Object.values(missing)
					.map((m) => m.charAt(0).toLowerCase() + m.slice(1))
					.join('; ')}. Edit the entry, then submit it.`
			);
		}
		const now = ctx.now();
		await trx
			.updateTable('practiceVersions')
			.set({ status: 'in_review', submittedAt: now })
			.where('id', '=', version.id)
			.execute();
		await trx.updateTable('practices').set({ updatedAt: now }).where('id', '=', id).execute();
		await submitted(ctx, trx, user, loaded, version.title, meta);
	});
}

async function submitted(
	ctx: AppContext,
	trx: Transaction<Database>,
	user: SessionUser,
	loaded: LoadedEntry,
	title: string,
	meta: RequestMeta
) {
	const { entry } = loaded;
	const revision = entry.publishedVersionId !== null;
	await audit(
		trx,
		user,
		'practice.submitted',
		{ id: entry.id, title },
		meta,
		revision ? { revision: 'yes' } : {}
	);
	const link = `${ctx.config.origin}/practice/review`;
	await tellAuthors(
		ctx,
		trx,
		entry.id,
		user.id,
		`“${title}” was sent for review`,
		`${user.displayName} sent “${title}” for review. A reviewer will publish it or return it with comments.`
	);
	// Nobody who wrote it reviews it, so no author or co-author is asked to.
	const coauthors = await trx
		.selectFrom('practiceCoauthors')
		.select('userId')
		.where('practiceId', '=', entry.id)
		.execute();
	const writers = [entry.authorId, user.id, ...coauthors.map((c) => c.userId)];
	for (const email of await reviewerAddresses(trx, entry.groupId, writers)) {
		await queueMail(trx, {
			to: email,
			subject: `Good practice to review: “${title}”`,
			text:
				`${user.displayName} sent “${title}” for review${revision ? ' (a revision of a published entry)' : ''}.\n\n` +
				`Review it at ${link}` +
				mailFooter(ctx.config.origin)
		});
	}
}

/** The people who review a scope: site reviewers, or the group's moderators and owners. */
async function reviewerAddresses(trx: Db, groupId: number | null, except: string[]): Promise<string[]> {
	const rows =
		groupId === null
			? await trx
					.selectFrom('users')
					.select('email')
					.where('practiceReviewer', '=', true)
					.where('status', '=', 'active')
					.where('id', 'not in', except)
					.execute()
			: await trx
					.selectFrom('groupMembers')
					.innerJoin('users', 'users.id', 'groupMembers.userId')
					.select('users.email')
					.where('groupMembers.groupId', '=', groupId)
					.where('groupMembers.role', 'in', ['owner', 'moderator'])
					.where('users.status', '=', 'active')
					.where('users.id', 'not in', except)
					.execute();
	return rows.map((r) => r.email);
}

/** A reviewer publishes the working version or returns it with comments. */
export async function review(
	ctx: AppContext,
	user: SessionUser,
	id: number,
	input: { decision: 'publish' | 'return'; comment: string },
	meta: RequestMeta
): Promise<void> {
	await inTransaction(ctx.db, async (trx) => {
		const loaded = await loadEntry(ctx, trx, user, id, 'review', { forUpdate: true });
		const { entry } = loaded;
		const now = ctx.now();
		const version = await trx
			.selectFrom('practiceVersions')
			.select(['id', 'title', 'summary'])
			.where('id', '=', entry.workingVersionId!)
			.executeTakeFirstOrThrow();
		const path = `${ctx.config.origin}${practicePath({ id, title: version.title })}`;
		await trx
			.insertInto('practiceReviews')
			.values({
				practiceId: id,
				versionId: version.id,
				reviewerId: user.id,
				decision: input.decision === 'publish' ? 'published' : 'returned',
				comment: input.comment,
				decidedAt: now
			})
			.execute();
		if (input.decision === 'return') {
			await trx
				.updateTable('practiceVersions')
				.set({ status: 'returned', reviewedBy: user.id, reviewedAt: now, reviewComment: input.comment })
				.where('id', '=', version.id)
				.execute();
			await trx.updateTable('practices').set({ updatedAt: now }).where('id', '=', id).execute();
			await audit(trx, user, 'practice.returned', { id, title: version.title }, meta, {
				comment: input.comment
			});
			await tellAuthors(
				ctx,
				trx,
				id,
				user.id,
				`“${version.title}” was returned with comments`,
				`${user.displayName} returned “${version.title}” with these comments:\n\n${input.comment}\n\n` +
					`Edit the entry and submit it again at ${path}`
			);
			return;
		}
		if (entry.publishedVersionId !== null) {
			await trx
				.updateTable('practiceVersions')
				.set({ status: 'superseded' })
				.where('id', '=', entry.publishedVersionId)
				.execute();
		}
		await trx
			.updateTable('practiceVersions')
			.set({
				status: 'published',
				reviewedBy: user.id,
				reviewedAt: now,
				reviewComment: input.comment || null
			})
			.where('id', '=', version.id)
			.execute();
		let discussionThreadId = entry.discussionThreadId;
		if (discussionThreadId === null) {
			discussionThreadId = await openDiscussion(ctx, trx, entry, version, now);
		}
		await trx
			.updateTable('practices')
			.set({
				publishedVersionId: version.id,
				workingVersionId: null,
				firstPublishedAt: entry.firstPublishedAt ?? now,
				lastPublishedAt: now,
				updatedAt: now,
				discussionThreadId
			})
			.where('id', '=', id)
			.execute();
		await audit(trx, user, 'practice.published', { id, title: version.title }, meta, {
			...(entry.publishedVersionId !== null ? { revision: 'yes' } : {}),
			...(input.comment ? { comment: input.comment } : {})
		});
		await tellAuthors(
			ctx,
			trx,
			id,
			user.id,
			`“${version.title}” is published`,
			`${user.displayName} published “${version.title}”${entry.publishedVersionId !== null ? ' (your revision)' : ''}.` +
				`${input.comment ? `\n\nTheir comments:\n\n${input.comment}` : ''}\n\nRead it at ${path}`
		);
	});
	void ctx.mail.flush();
}

export const LIBRARY_GROUP_SLUG = 'good-practice';

/** The open group that holds the discussions of site-wide entries (made when first needed). */
async function libraryGroupId(trx: Transaction<Database>, now: Date): Promise<number> {
	await sql`select pg_advisory_xact_lock(${LOCKS.libraryGroup})`.execute(trx);
	const found = await trx
		.selectFrom('groups')
		.select('id')
		.where('slug', '=', LIBRARY_GROUP_SLUG)
		.executeTakeFirst();
	if (found) return found.id;
	const description =
		'Comments on the entries in Muster’s good-practice library. Open to every police and partner account: join to read and add comments.';
	const created = await trx
		.insertInto('groups')
		.values({
			slug: LIBRARY_GROUP_SLUG,
			name: 'Good practice library',
			description,
			descriptionHtml: renderMarkdown(description),
			visibility: 'open',
			audience: 'police_partner',
			createdBy: null,
			createdAt: now,
			updatedAt: now,
			lastActivityAt: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return created.id;
}

/** The discussion under an entry: a thread in the entry's group, or in the library group. */
async function openDiscussion(
	ctx: AppContext,
	trx: Transaction<Database>,
	entry: LoadedEntry['entry'],
	version: { title: string; summary: string },
	now: Date
): Promise<number> {
	const groupId = entry.groupId ?? (await libraryGroupId(trx, now));
	const author = await trx
		.selectFrom('users')
		.select(['id', 'displayName', 'email'])
		.where('id', '=', entry.authorId)
		.executeTakeFirstOrThrow();
	const path = practicePath({ id: entry.id, title: version.title });
	const body = `Discussion of the good-practice entry [${version.title.replace(/[[\]]/g, '')}](${path}).\n\n> ${version.summary.replace(/\n/g, ' ')}`;
	const thread = await createThread(ctx, trx, groupId, author, { title: version.title, body }, now);
	if (entry.groupId === null) {
		// The author takes part in their entry's discussion (unless banned from the library group).
		const banned = await trx
			.selectFrom('groupBans')
			.select('userId')
			.where('groupId', '=', groupId)
			.where('userId', '=', author.id)
			.executeTakeFirst();
		if (!banned && (await addMember(trx, groupId, author.id, 'member', now))) {
			await appendAudit(trx, {
				actor: { id: author.id, label: author.email },
				action: 'group.joined',
				target: { type: 'group', id: String(groupId), label: 'Good practice library' },
				details: { reason: 'Author of a published library entry' }
			});
		}
	}
	return thread.id;
}

/** Starts a revision of a published entry: a copy of it to edit, while readers see the original. */
export async function startRevision(ctx: AppContext, user: SessionUser, id: number, meta: RequestMeta) {
	await inTransaction(ctx.db, async (trx) => {
		const loaded = await loadEntry(ctx, trx, user, id, 'revise', { forUpdate: true });
		const now = ctx.now();
		const {
			id: _id,
			status: _s,
			createdAt: _c,
			updatedAt: _u,
			...published
		} = await trx
			.selectFrom('practiceVersions')
			.selectAll()
			.where('id', '=', loaded.entry.publishedVersionId!)
			.executeTakeFirstOrThrow();
		const copy = await trx
			.insertInto('practiceVersions')
			.values({
				...published,
				status: 'draft',
				editedBy: user.id,
				createdAt: now,
				updatedAt: now,
				submittedAt: null,
				reviewedBy: null,
				reviewedAt: null,
				reviewComment: null
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx
			.updateTable('practices')
			.set({ workingVersionId: copy.id, updatedAt: now })
			.where('id', '=', id)
			.execute();
		await audit(trx, user, 'practice.revision_started', { id, title: published.title }, meta);
	});
}

export async function archiveEntry(
	ctx: AppContext,
	user: SessionUser,
	id: number,
	reason: string,
	meta: RequestMeta
) {
	await inTransaction(ctx.db, async (trx) => {
		await loadEntry(ctx, trx, user, id, 'archive', { forUpdate: true });
		const now = ctx.now();
		const { title } = await trx
			.selectFrom('practices')
			.innerJoin('practiceVersions', 'practiceVersions.id', 'practices.publishedVersionId')
			.select('practiceVersions.title')
			.where('practices.id', '=', id)
			.executeTakeFirstOrThrow();
		await trx
			.updateTable('practices')
			.set({ archivedAt: now, archivedBy: user.id, archivedReason: reason, updatedAt: now })
			.where('id', '=', id)
			.execute();
		await audit(trx, user, 'practice.archived', { id, title }, meta, { reason });
		await tellAuthors(
			ctx,
			trx,
			id,
			user.id,
			`“${title}” was archived`,
			`${user.displayName} archived “${title}”. The reason given:\n\n${reason}\n\n` +
				`It can still be read, marked as archived, but it is no longer listed in the library by default.`
		);
	});
	void ctx.mail.flush();
}

export async function addCoauthor(
	ctx: AppContext,
	user: SessionUser,
	id: number,
	email: string,
	meta: RequestMeta
): Promise<string> {
	return inTransaction(ctx.db, async (trx) => {
		const loaded = await loadEntry(ctx, trx, user, id, 'add_coauthor', { forUpdate: true });
		const person = await trx
			.selectFrom('users')
			.select(['id', 'displayName', 'email', 'kind', 'isAdmin', 'status', 'emailVerifiedAt'])
			.where(sql<boolean>`lower(email) = lower(${email.trim()})`)
			.executeTakeFirst();
		const refuse = () =>
			new DomainError(
				'invalid',
				loaded.entry.groupId
					? 'Enter the e-mail address of a member of this group'
					: 'Enter the e-mail address of a police or partner account on Muster',
				'email'
			);
		if (!person || person.status !== 'active' || !person.emailVerifiedAt) throw refuse();
		if (person.id === loaded.entry.authorId)
			throw new DomainError('invalid', 'You are already the author.', 'email');
		// A co-author must be able to read the entry's scope, or the draft would leak.
		const access = loaded.entry.groupId
			? await loadGroupAccess(
					trx,
					{ ...person, emailVerified: true, organisationId: null, twoFactorEnabled: false },
					{ id: loaded.entry.groupId },
					ctx.now()
				)
			: undefined;
		const personActor = {
			id: person.id,
			kind: person.kind,
			isAdmin: person.isAdmin,
			status: person.status,
			emailVerified: true,
			twoFactorEnabled: false
		};
		if (!mayReadScope(personActor, scopeOf(access))) throw refuse();
		const added = await trx
			.insertInto('practiceCoauthors')
			.values({ practiceId: id, userId: person.id, addedAt: ctx.now() })
			.onConflict((oc) => oc.doNothing())
			.returning('userId')
			.executeTakeFirst();
		if (!added) throw new DomainError('conflict', `${person.displayName} is already a co-author.`, 'email');
		const title = await currentTitle(trx, id);
		await audit(trx, user, 'practice.coauthor_added', { id, title }, meta, { coauthor: person.email });
		await queueMail(trx, {
			to: person.email,
			subject: `You are now a co-author of “${title}”`,
			text:
				`${user.displayName} added you as a co-author of the good-practice entry “${title}”.\n\n` +
				`You can read and edit it at ${ctx.config.origin}${practicePath({ id, title })}` +
				mailFooter(ctx.config.origin)
		});
		return person.displayName;
	});
}

async function currentTitle(db: Db, id: number): Promise<string> {
	const row = await db
		.selectFrom('practices')
		.innerJoin('practiceVersions', (join) =>
			join.on((eb) =>
				eb(
					'practiceVersions.id',
					'=',
					eb.fn.coalesce('practices.workingVersionId', 'practices.publishedVersionId')
				)
			)
		)
		.select('practiceVersions.title')
		.where('practices.id', '=', id)
		.executeTakeFirstOrThrow();
	return row.title;
}

export { mayReviewScope };
