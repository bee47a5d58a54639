import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getEntry } from '$lib/server/practice/practice-entry.service';
import { saveDraft } from '$lib/server/practice/practice-drafting.service';
import { loadEntry } from '$lib/server/policy/practice.access';
import { parsePracticeForm, practiceFormOptions } from '$lib/server/web/practice-form';
import { practiceIdParam } from '$lib/server/web/post-params';
import { failWith, invalid, pageError, requestMeta } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals, params }) => {
	const id = practiceIdParam(params.entry);
	try {
		const { ctx } = locals;
		await loadEntry(ctx, ctx.db, locals.user!, id, 'edit');
		const view = await getEntry(ctx, locals.user!, id, { working: true });
		return {
			path: view.path,
			title: view.version.title,
			scope: view.scope,
			status: view.status,
			returned:
				view.version.status === 'returned'
					? { comment: view.version.reviewComment, by: view.version.reviewerName }
					: null,
			values: view.form!,
			options: await practiceFormOptions(ctx)
		};
	} catch (err) {
		pageError(err);
	}
};

async function save(event: Parameters<Actions[string]>[0], submit: boolean) {
	const id = practiceIdParam(event.params.entry);
	const parsed = parsePracticeForm(await event.request.formData());
	if (!parsed.ok) return invalid(parsed.values, parsed.errors);
	try {
		await saveDraft(event.locals.ctx, event.locals.user!, id, parsed.data, requestMeta(event), { submit });
	} catch (err) {
		return failWith(err, parsed.values, 'title');
	}
	const path = event.url.pathname.replace(/\/edit$/, '');
	redirect(303, `${path}?notice=${submit ? 'practice-submitted' : 'practice-saved'}`);
}

export const actions: Actions = {
	save: (event) => save(event, false),
	submit: (event) => save(event, true)
};
