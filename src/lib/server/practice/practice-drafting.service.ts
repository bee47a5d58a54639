/**
 * Writing good practice: a new draft (site-wide, in a group, or from a thread), saving the
 * working version, and starting a revision of a published entry.
 *
 * An entry has at most one working version (a draft, a submission in review, or one
 * returned with comments) beside its published version, so a revision goes through review
 * while readers keep seeing what was published. Every change is one transaction, checked
 * by the practice policy and audited.
 */
import type { AppContext } from '../context.ts';
import type { SessionUser } from '../auth/session.ts';
import { DomainError } from '../errors.ts';
import { renderMarkdown } from '../markdown/markdown.ts';
import type { RequestMeta } from '../request-meta.ts';
import { type ContactScope, resolveContact } from './practice-contact.ts';
import { findGroup, type GroupAccess, policyActor, writeUpDecision } from '../policy/group.access.ts';
import { loadThread } from '../discussions/thread.service.ts';
import { mayCreateIn, type PracticeScope } from '../policy/practice.policy.ts';
import { missingForReview, type PracticeDraftInput, SECTIONS } from './practice.schemas.ts';
import { inTransaction } from '../db/transaction.ts';
import { type Db, loadEntry, scopeOf } from '../policy/practice.access.ts';
import { audit } from './practice-notices.ts';
import { submitted } from './practice-review.service.ts';

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
	const allowed = writeUpDecision(ta.access, ta.thread.authorId);
	if (!allowed.ok) throw new DomainError(allowed.code, allowed.message);
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
			search: _search,
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
