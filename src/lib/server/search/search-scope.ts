/**
 * The names of a search's filters, for the page: the groups the viewer may pick from, and the
 * group, thread and person a search is narrowed to. Each is read through the policy's SQL, so
 * an address naming a private group's thread does not learn its title.
 */
import type { AppContext } from '../context.ts';
import type { SessionUser } from '../auth/session.ts';
import { readableGroupIds } from '../policy/group.access.ts';
import { profileVisible } from '../policy/person.access.ts';
import { threadPath } from '../discussions/thread-paths.ts';
import type { SearchRequest } from './search.query.ts';

export interface SearchScope {
	/** The groups whose discussions the viewer may read, by name. */
	groups: Array<{ slug: string; name: string }>;
	groupName: string | null;
	thread: { id: number; title: string; href: string } | null;
	author: { id: string; name: string } | null;
}

export async function searchScope(
	ctx: AppContext,
	user: SessionUser,
	request: SearchRequest
): Promise<SearchScope> {
	const groups = await ctx.db
		.selectFrom('groups')
		.select(['groups.slug', 'groups.name'])
		.where((eb) => eb('groups.id', 'in', readableGroupIds(eb, user)))
		.orderBy('groups.name')
		.orderBy('groups.id')
		.execute();
	const thread = request.thread
		? await ctx.db
				.selectFrom('threads')
				.innerJoin('groups', 'groups.id', 'threads.groupId')
				.select(['threads.id', 'threads.title', 'groups.slug'])
				.where('threads.id', '=', request.thread)
				.where((eb) => eb('threads.groupId', 'in', readableGroupIds(eb, user)))
				.executeTakeFirst()
		: undefined;
	const author = request.author
		? await ctx.db
				.selectFrom('users')
				.select(['users.id', 'users.displayName'])
				.where('users.id', '=', request.author)
				.where((eb) => profileVisible(eb))
				.executeTakeFirst()
		: undefined;
	return {
		groups,
		groupName: groups.find((g) => g.slug === request.group)?.name ?? null,
		thread: thread
			? {
					id: Number(thread.id),
					title: thread.title,
					href: threadPath(thread.slug, { id: Number(thread.id), title: thread.title })
				}
			: null,
		author: author ? { id: author.id, name: author.displayName } : null
	};
}
