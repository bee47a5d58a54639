import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { findGroup } from '$lib/server/policy/group.access';
import { leaveGroup } from '$lib/server/groups/membership.service';
import { failWith, pageError, requestMeta } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals, params }) => {
	try {
		const access = await findGroup(locals.ctx.db, locals.user!, params.slug, 'leave', locals.ctx.now());
		return {
			group: { slug: access.group.slug, name: access.group.name, visibility: access.group.visibility }
		};
	} catch (err) {
		pageError(err);
	}
};

export const actions: Actions = {
	default: async (event) => {
		try {
			await leaveGroup(event.locals.ctx, event.locals.user!, event.params.slug, requestMeta(event));
		} catch (err) {
			return failWith(err, {});
		}
		redirect(303, '/groups?notice=left');
	}
};
