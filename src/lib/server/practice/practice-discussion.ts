/**
 * The discussion under a published entry: a thread in the entry's group, or for a site-wide
 * entry in the open "Good practice library" group, made when the entry is first published.
 */
import { sql, type Transaction } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database, Row } from '../db/schema.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { renderMarkdown } from '../markdown/markdown.ts';
import { LOCKS } from '../db/locks.ts';
import { addMember } from '../groups/membership.service.ts';
import { createThread } from '../discussions/thread.service.ts';
import { practicePath } from './practice.schemas.ts';
import type { LoadedEntry } from '../policy/practice.access.ts';

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
export async function openDiscussion(
	ctx: AppContext,
	trx: Transaction<Database>,
	entry: LoadedEntry['entry'],
	version: Pick<Row<'practiceVersions'>, 'title' | 'summary'>,
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
