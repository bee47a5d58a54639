import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { findGroup } from '$lib/server/policy/group.access';
import { suggestMembers } from '$lib/server/discussions/mentions';
import { DomainError } from '$lib/server/errors';
import { searchText } from '$lib/server/forms';

/**
 * Names offered after "@" while someone writes in this group: only to people who may post
 * here, only the group's own members, a handful at a time.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const typed = searchText(url.searchParams, 'q', 40);
	try {
		const access = await findGroup(locals.ctx.db, locals.user, params.slug, 'reply', locals.ctx.now());
		const members = await suggestMembers(locals.ctx.db, access.group.id, typed, locals.user!.id);
		return json({ members });
	} catch (err) {
		if (err instanceof DomainError) return json({ members: [] }, { status: 404 });
		throw err;
	}
};
