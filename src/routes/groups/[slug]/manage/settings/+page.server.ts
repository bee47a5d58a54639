import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { membersOutsideAudience, setArchived, updateSettings } from '$lib/server/groups/group.service';
import { findGroup } from '$lib/server/policy/group.access';
import { groupSettingsSchema } from '$lib/server/groups/group.schemas';
import { parseForm } from '$lib/server/forms';
import { failWith, invalid, pageError, requestMeta } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals, params }) => {
	try {
		const { group } = await findGroup(locals.ctx.db, locals.user!, params.slug, 'archive', locals.ctx.now());
		return {
			group: {
				slug: group.slug,
				name: group.name,
				description: group.description,
				visibility: group.visibility,
				audience: group.audience,
				emailWithoutContent: group.emailWithoutContent,
				membersMayUpload: group.membersMayUpload,
				archived: group.archivedAt !== null
			},
			// Changing the audience never removes anyone silently: those who no longer fit are listed.
			outside: await membersOutsideAudience(locals.ctx, group.id, group.audience)
		};
	} catch (err) {
		pageError(err);
	}
};

export const actions: Actions = {
	save: async (event) => {
		const parsed = parseForm(groupSettingsSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			await updateSettings(
				event.locals.ctx,
				event.locals.user!,
				event.params.slug,
				parsed.data,
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, parsed.values);
		}
		redirect(303, `/groups/${event.params.slug}/manage/settings?notice=settings-saved`);
	},
	archive: async (event) => {
		const archive = (await event.request.formData()).get('archive') === 'true';
		try {
			await setArchived(event.locals.ctx, event.locals.user!, event.params.slug, archive, requestMeta(event));
		} catch (err) {
			return failWith(err, {});
		}
		redirect(303, `/groups/${event.params.slug}?notice=${archive ? 'archived' : 'unarchived'}`);
	}
};
