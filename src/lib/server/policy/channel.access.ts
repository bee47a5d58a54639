/**
 * Who may follow a real-time channel: the same policy that guards the pages.
 *   thread:<id>  members who may read the thread's group
 *   group:<id>   members who may read the group's discussions
 *   user:<id>    that account only
 * Anything else, or anything the account may not see, is "not found".
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import { decision, loadGroupAccess } from './group.access.ts';

const CHANNEL = /^(thread|group|user):([0-9a-f-]{1,36})$/;

export function isChannelName(channel: string): boolean {
	return CHANNEL.test(channel);
}

export async function mayFollow(
	db: Kysely<Database>,
	user: SessionUser,
	channel: string,
	now: Date
): Promise<boolean> {
	const match = CHANNEL.exec(channel);
	if (!match) return false;
	const [, kind, id] = match;
	if (kind === 'user') return id === user.id;
	// Thread and group ids are 4-byte integers: anything larger names nothing.
	if (!/^\d{1,10}$/.test(id!) || Number(id) > 2_147_483_647) return false;
	let groupId = Number(id);
	if (kind === 'thread') {
		const thread = await db
			.selectFrom('threads')
			.select('groupId')
			.where('id', '=', Number(id))
			.executeTakeFirst();
		if (!thread) return false;
		groupId = thread.groupId;
	}
	const access = await loadGroupAccess(db, user, { id: groupId }, now);
	return access !== undefined && decision(access, 'read_threads').ok;
}
