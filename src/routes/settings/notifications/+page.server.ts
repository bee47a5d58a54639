import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import {
	CADENCES,
	CADENCE_LABELS,
	CATEGORY_NAMES,
	EMAIL_CATEGORIES,
	cadenceFrom,
	emailPreferences,
	setEmailPreference,
	type EmailCategory
} from '$lib/server/notifications/email-preferences';
import type { EmailCadence } from '$lib/server/db/schema';
import { DomainError } from '$lib/server/errors';
import { formValues } from '$lib/server/forms';
import { invalid } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals }) => {
	const chosen = await emailPreferences(locals.ctx.db, locals.user!.id);
	return {
		delayMinutes: locals.ctx.config.notifyEmailDelayMinutes,
		cadences: CADENCES.map((value) => ({ value, label: CADENCE_LABELS[value] })),
		categories: CATEGORY_NAMES.map((name) => ({
			name,
			label: EMAIL_CATEGORIES[name].label,
			chosen: chosen[name]
		}))
	};
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const form = await request.formData();
		const values = formValues(form);
		// Every choice is checked before any is saved: a bad one changes nothing.
		const chosen: Array<{ name: EmailCategory; cadence: EmailCadence }> = [];
		const errors: Record<string, string> = {};
		for (const name of CATEGORY_NAMES) {
			try {
				chosen.push({ name, cadence: cadenceFrom(form.get(name), name) });
			} catch (err) {
				if (!(err instanceof DomainError)) throw err;
				errors[name] = err.message;
			}
		}
		if (Object.keys(errors).length > 0) return invalid(values, errors);
		await locals.ctx.db.transaction().execute(async (trx) => {
			for (const { name, cadence } of chosen)
				await setEmailPreference(trx, locals.user!.id, name, cadence, locals.ctx.now());
		});
		redirect(303, '/settings/notifications?notice=email-settings-saved');
	}
};
