import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import {
	createOrganisation,
	listOrganisations,
	organisationSchema
} from '$lib/server/organisations/organisation.service';
import { parseForm } from '$lib/server/forms';
import { failWith, invalid, requestMeta } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals }) => ({
	organisations: await listOrganisations(locals.ctx)
});

export const actions: Actions = {
	create: async (event) => {
		const parsed = parseForm(organisationSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		let id: number;
		try {
			id = await createOrganisation(event.locals.ctx, event.locals.user!, parsed.data, requestMeta(event));
		} catch (err) {
			return failWith(err, parsed.values);
		}
		redirect(303, `/admin/organisations/${id}?notice=organisation-created`);
	}
};
