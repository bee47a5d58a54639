import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createGroup } from '$lib/server/groups/group.service';
import { groupSettingsSchema } from '$lib/server/groups/group.schemas';
import { mayCreateGroup } from '$lib/server/policy/group.policy';
import { policyActor } from '$lib/server/policy/group.access';
import { parseForm } from '$lib/server/forms';
import { failWith, invalid, requestMeta } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals }) => {
	if (!mayCreateGroup(policyActor(locals.user)))
		error(403, 'Only police accounts and administrators can create groups.');
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const parsed = parseForm(groupSettingsSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		let slug: string;
		try {
			slug = await createGroup(event.locals.ctx, event.locals.user!, parsed.data, requestMeta(event));
		} catch (err) {
			return failWith(err, parsed.values);
		}
		redirect(303, `/groups/${slug}?notice=group-created`);
	}
};
