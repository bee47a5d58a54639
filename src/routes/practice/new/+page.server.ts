import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import {
	checkMayCreate,
	createDraft,
	promotableThread
} from '$lib/server/practice/practice-drafting.service';
import { practicePath } from '$lib/server/practice/practice.schemas';
import { threadPath } from '$lib/server/discussions/thread-paths';
import { parsePracticeForm, practiceFormOptions } from '$lib/server/web/practice-form';
import { failWith, invalid, pageError, requestMeta } from '$lib/server/web/actions';

function scopeParams(url: URL) {
	const group = url.searchParams.get('group') ?? undefined;
	const threadParam = url.searchParams.get('thread');
	const thread = threadParam && /^\d{1,15}$/.test(threadParam) ? Number(threadParam) : undefined;
	return { group: group || undefined, thread };
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const { group, thread } = scopeParams(url);
	try {
		// The author is the contact unless they name someone else.
		let values: Record<string, string> = { contact: locals.user!.displayName, contactId: locals.user!.id };
		let scope: { slug: string; name: string } | null = null;
		let from: { title: string; path: string } | null = null;
		if (thread !== undefined && group) {
			// Promoting a thread: its title, and its first post as "what was done".
			const { ta, firstPost } = await promotableThread(locals.ctx, locals.user!, group, thread);
			values = { ...values, title: ta.thread.title, done: firstPost };
			scope = { slug: ta.access.group.slug, name: ta.access.group.name };
			from = { title: ta.thread.title, path: threadPath(group, ta.thread) };
		} else {
			const access = await checkMayCreate(locals.ctx, locals.user!, group);
			if (access) scope = { slug: access.group.slug, name: access.group.name };
		}
		if (locals.user!.organisationId) values.leadOrganisation = String(locals.user!.organisationId);
		return { values, scope, from, options: await practiceFormOptions(locals.ctx) };
	} catch (err) {
		pageError(err);
	}
};

export const actions: Actions = {
	default: async (event) => {
		const { group, thread } = scopeParams(event.url);
		const parsed = parsePracticeForm(await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		let created;
		try {
			created = await createDraft(
				event.locals.ctx,
				event.locals.user!,
				{ groupSlug: group, fromThread: thread },
				parsed.data,
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, parsed.values, 'title');
		}
		redirect(303, `${practicePath(created)}?notice=practice-saved`);
	}
};
