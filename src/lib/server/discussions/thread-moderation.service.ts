/**
 * What moderators decide about a whole thread: pinning it to the top of its group, locking it
 * against replies, and moving it to another group they moderate. Each is audited with its
 * reason and published to the pages following the thread (and its group, for a pin).
 */
import type { AppContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import type { SessionUser } from '../auth/session.ts';
import { publishEvent } from '../events/publish.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { findGroup, moderatedGroupIds } from '../policy/group.access.ts';
import { groupTarget } from '../groups/group.service.ts';
import type { RequestMeta } from '../request-meta.ts';
import { assertWritable, loadThread } from './thread.service.ts';
import { inTransaction } from '../db/transaction.ts';
import type { GroupEvents, ThreadEvents } from '../../realtime/protocol.ts';

export async function setPinned(
	ctx: AppContext,
	user: SessionUser,
	groupSlug: string,
	threadId: number,
	decision: { pinned: boolean; reason: string },
	meta: RequestMeta
) {
	const { pinned, reason } = decision;
	const ta = await loadThread(ctx, user, groupSlug, threadId, 'moderate_posts');
	assertWritable(ta);
	await inTransaction(ctx.db, async (trx) => {
		// The group as it is now, read under the row's lock (a move may have just committed).
		const { groupId } = await trx
			.updateTable('threads')
			.set({ pinned })
			.where('id', '=', threadId)
			.returning('groupId')
			.executeTakeFirstOrThrow();
		// The thread's page shows its marker; the group's page moves it to or from the top.
		await publishEvent(trx, {
			channel: `thread:${threadId}`,
			type: 'thread.pinned',
			data: { pinned } satisfies ThreadEvents['thread.pinned']
		});
		await publishEvent(trx, {
			channel: `group:${groupId}`,
			type: 'thread.pinned',
			data: { threadId, pinned } satisfies GroupEvents['thread.pinned']
		});
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: pinned ? 'group.thread_pinned' : 'group.thread_unpinned',
			target: groupTarget(ta.access.group),
			details: { thread: ta.thread.title, reason },
			ipAddress: meta.ip
		});
	});
	return ta;
}

export async function setLocked(
	ctx: AppContext,
	user: SessionUser,
	groupSlug: string,
	threadId: number,
	decision: { lock: boolean; reason: string },
	meta: RequestMeta
) {
	const lock = decision.lock;
	const ta = await loadThread(ctx, user, groupSlug, threadId, 'moderate_posts');
	assertWritable(ta);
	await inTransaction(ctx.db, async (trx) => {
		await trx
			.updateTable('threads')
			.set(lock ? { lockedAt: ctx.now(), lockReason: decision.reason } : { lockedAt: null, lockReason: null })
			.where('id', '=', threadId)
			.execute();
		await publishEvent(trx, {
			channel: `thread:${threadId}`,
			type: lock ? 'thread.locked' : 'thread.unlocked',
			data: lock ? { reason: decision.reason } : {}
		});
		await appendAudit(trx, {
			actor: { id: user.id, label: user.email },
			action: lock ? 'group.thread_locked' : 'group.thread_unlocked',
			target: groupTarget(ta.access.group),
			details: { thread: ta.thread.title, reason: decision.reason },
			ipAddress: meta.ip
		});
	});
	return ta;
}

/** Groups this person moderates, where a thread could be moved. */
export async function moveTargets(ctx: AppContext, user: SessionUser, exceptGroupId: number) {
	return ctx.db
		.selectFrom('groups')
		.select(['groups.slug', 'groups.name'])
		.where('groups.id', '!=', exceptGroupId)
		.where('groups.id', 'in', (eb) => moderatedGroupIds(eb, user))
		.orderBy('groups.name')
		.limit(200)
		.execute();
}

/** Moves a thread to another group; the mover must moderate both. */
export async function moveThread(
	ctx: AppContext,
	user: SessionUser,
	fromSlug: string,
	threadId: number,
	toSlug: string,
	reason: string,
	meta: RequestMeta
) {
	const ta = await loadThread(ctx, user, fromSlug, threadId, 'moderate_posts');
	assertWritable(ta);
	let target;
	try {
		target = await findGroup(ctx.db, user, toSlug, 'moderate_posts', ctx.now());
	} catch {
		throw new DomainError('invalid', 'Choose a group you moderate', 'group');
	}
	if (target.group.archivedAt)
		throw new DomainError('invalid', 'That group is archived. Choose another', 'group');
	if (target.group.id === ta.thread.groupId)
		throw new DomainError('invalid', 'The thread is already in that group', 'group');
	await inTransaction(ctx.db, async (trx) => {
		await trx.updateTable('threads').set({ groupId: target.group.id }).where('id', '=', threadId).execute();
		await trx
			.updateTable('groups')
			.set({ lastActivityAt: ctx.now() })
			.where('id', '=', target.group.id)
			.execute();
		// Readers of the old group lose the thread: their pages are told to reload. (Published
		// after the row writes: see events/publish.ts.)
		await publishEvent(trx, { channel: `thread:${threadId}`, type: 'thread.moved', data: {} });
		// Each group's log is read by its own moderators: a private group is not named in another's.
		const named = (g: { name: string; visibility: string }) =>
			g.visibility === 'private' ? 'a private group' : g.name;
		for (const [group, direction] of [
			[ta.access.group, `to ${named(target.group)}`],
			[target.group, `from ${named(ta.access.group)}`]
		] as const) {
			await appendAudit(trx, {
				actor: { id: user.id, label: user.email },
				action: 'group.thread_moved',
				target: groupTarget(group),
				details: { thread: ta.thread.title, moved: direction, reason },
				ipAddress: meta.ip
			});
		}
	});
	return { thread: ta.thread, to: target.group };
}
