import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { editPost, postForEdit } from '$lib/server/discussions/post.service';
import { postBodySchema } from '$lib/server/discussions/discussion.schemas';
import { pageOf, threadPath } from '$lib/server/discussions/thread-paths';
import { renderMarkdown } from '$lib/server/markdown/markdown';
import { formValues, parseForm } from '$lib/server/forms';
import { failWith, invalid, pageError } from '$lib/server/web/actions';
import { postIdParam } from '$lib/server/web/post-params';

export const load: PageServerLoad = async ({ locals, params }) => {
	try {
		const { post, ta } = await postForEdit(locals.ctx, locals.user!, params.slug, postIdParam(params.post));
		return {
			source: post.source,
			thread: { title: ta.thread.title, path: threadPath(params.slug, ta.thread) }
		};
	} catch (err) {
		pageError(err);
	}
};

export const actions: Actions = {
	preview: async ({ request }) => {
		const values = formValues(await request.formData());
		return fail(200, { values, errors: {}, preview: renderMarkdown((values.body ?? '').slice(0, 20000)) });
	},
	save: async ({ request, locals, params }) => {
		const parsed = parseForm(postBodySchema, await request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		let result;
		try {
			result = await editPost(
				locals.ctx,
				locals.user!,
				params.slug,
				postIdParam(params.post),
				parsed.data.body
			);
		} catch (err) {
			return failWith(err, parsed.values, 'body');
		}
		redirect(
			303,
			`${threadPath(params.slug, result.ta.thread)}?page=${pageOf(result.post.number)}#post-${result.post.id}`
		);
	}
};
