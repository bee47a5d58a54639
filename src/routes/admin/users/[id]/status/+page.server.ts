import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getUserForAdmin, setSuspended } from '$lib/server/accounts/admin.service';
import { reasonSchema } from '$lib/server/accounts/account.schemas';
import { parseForm } from '$lib/server/forms';
import { DomainError } from '$lib/server/errors';
import { failWith, invalid, requestMeta } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals, params }) => {
	try {
		const u = await getUserForAdmin(locals.ctx, params.id);
		if (u.id === locals.user!.id) error(404, 'Page not found');
		return {
			account: { id: u.id, displayName: u.displayName, email: u.email, suspended: u.status === 'suspended' }
		};
	} catch (err) {
		if (err instanceof DomainError && err.code === 'not_found') error(404, 'Page not found');
		throw err;
	}
};

export const actions: Actions = {
	default: async (event) => {
		const { locals, params } = event;
		const form = await event.request.formData();
		const parsed = parseForm(reasonSchema, form);
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		const suspend = form.get('suspend') === 'true';
		try {
			await setSuspended(
				locals.ctx,
				locals.user!,
				params.id,
				suspend,
				parsed.data.reason,
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, parsed.values, 'reason');
		}
		redirect(303, `/admin/users/${params.id}`);
	}
};
