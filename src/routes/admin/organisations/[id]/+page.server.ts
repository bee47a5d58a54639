import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import {
	addDomain,
	domainSchema,
	getOrganisation,
	organisationSchema,
	removeDomain,
	renameOrganisation
} from '$lib/server/organisations/organisation.service';
import { parseForm } from '$lib/server/forms';
import { DomainError } from '$lib/server/errors';
import { failWith, invalid, requestMeta } from '$lib/server/web/actions';

function orgId(raw: string): number {
	const id = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isInteger(id)) error(404, 'Page not found');
	return id;
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	try {
		return {
			organisation: await getOrganisation(locals.ctx, orgId(params.id)),
			joined: Number(url.searchParams.get('joined') ?? '') || 0
		};
	} catch (err) {
		if (err instanceof DomainError && err.code === 'not_found') error(404, 'Page not found');
		throw err;
	}
};

const renameSchema = organisationSchema.pick({ name: true });
const removeSchema = z.object({ domain: z.string().max(253) });

export const actions: Actions = {
	rename: async (event) => {
		const id = orgId(event.params.id);
		const parsed = parseForm(renameSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			await renameOrganisation(
				event.locals.ctx,
				event.locals.user!,
				id,
				parsed.data.name,
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, parsed.values);
		}
		redirect(303, `/admin/organisations/${id}?notice=organisation-saved`);
	},
	addDomain: async (event) => {
		const id = orgId(event.params.id);
		const parsed = parseForm(domainSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		let joined: number;
		try {
			({ guestsJoined: joined } = await addDomain(
				event.locals.ctx,
				event.locals.user!,
				id,
				parsed.data.domain,
				requestMeta(event)
			));
		} catch (err) {
			return failWith(err, parsed.values);
		}
		redirect(303, `/admin/organisations/${id}?notice=domain-added&joined=${joined}`);
	},
	removeDomain: async (event) => {
		const id = orgId(event.params.id);
		const parsed = parseForm(removeSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			await removeDomain(event.locals.ctx, event.locals.user!, id, parsed.data.domain, requestMeta(event));
		} catch (err) {
			return failWith(err, {}, 'domain');
		}
		redirect(303, `/admin/organisations/${id}?notice=domain-removed`);
	}
};
