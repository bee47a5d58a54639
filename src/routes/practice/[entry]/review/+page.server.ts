import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getEntry } from '$lib/server/practice/practice-entry.service';
import { loadEntry } from '$lib/server/policy/practice.access';
import { review } from '$lib/server/practice/practice-review.service';
import { reviewSchema } from '$lib/server/practice/practice.schemas';
import { parseForm } from '$lib/server/forms';
import { DomainError } from '$lib/server/errors';
import { practiceIdParam } from '$lib/server/web/post-params';
import { failWith, invalid, pageError, requestMeta } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals, params }) => {
	const id = practiceIdParam(params.entry);
	try {
		await loadEntry(locals.ctx, locals.ctx.db, locals.user!, id, 'review');
		const view = await getEntry(locals.ctx, locals.user!, id, { working: true });
		return { view: { ...view, form: undefined } };
	} catch (err) {
		// Another reviewer got there first: back to the queue, saying so.
		if (err instanceof DomainError && err.code === 'conflict')
			redirect(303, '/practice/review?notice=practice-already-reviewed');
		pageError(err);
	}
};

export const actions: Actions = {
	default: async (event) => {
		const id = practiceIdParam(event.params.entry);
		const parsed = parseForm(reviewSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			await review(event.locals.ctx, event.locals.user!, id, parsed.data, requestMeta(event));
		} catch (err) {
			return failWith(err, parsed.values, 'decision');
		}
		redirect(
			303,
			`/practice/review?notice=practice-${parsed.data.decision === 'publish' ? 'published' : 'returned'}`
		);
	}
};
