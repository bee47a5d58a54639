import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { getEntry, type EntryView } from '$lib/server/practice/practice-entry.service';
import { addCoauthor } from '$lib/server/practice/practice-coauthors.service';
import { startRevision } from '$lib/server/practice/practice-drafting.service';
import { submitForReview } from '$lib/server/practice/practice-review.service';
import { LIBRARY_GROUP_SLUG } from '$lib/server/practice/practice-discussion';
import { reply } from '$lib/server/discussions/thread.service';
import { postBodySchema } from '$lib/server/discussions/discussion.schemas';
import { joinGroup } from '$lib/server/groups/membership.service';
import { formatDate, formatDateTime } from '$lib/format';
import { formValues, parseForm } from '$lib/server/forms';
import { renderMarkdown } from '$lib/server/markdown/markdown';
import { practiceIdParam } from '$lib/server/web/post-params';
import { postState } from '$lib/server/policy/post.policy';
import { postWordsReadable } from '$lib/server/policy/post.access';
import { lastEventId } from '$lib/server/events/replay';
import { failWith, invalid, pageError, requestMeta } from '$lib/server/web/actions';

/**
 * The first comments of the entry's discussion. A preview shows every member the same: the
 * words of a hidden comment are for the thread page, where its moderators see them marked.
 */
async function comments(event: { locals: App.Locals }, view: EntryView) {
	if (!view.discussion?.canRead) return null;
	const rows = await event.locals.ctx.db
		.selectFrom('posts')
		.leftJoin('users', 'users.id', 'posts.authorId')
		.select([
			'posts.id',
			'posts.number',
			(eb) =>
				eb.case().when(postWordsReadable(eb, false)).then(eb.ref('posts.html')).else('').end().as('html'),
			'posts.createdAt',
			'posts.deletedAt',
			'posts.hiddenAt',
			'users.displayName as authorName',
			'posts.authorId'
		])
		.where('posts.threadId', '=', view.discussion.threadId)
		.where('posts.number', '>', 1)
		.orderBy('posts.number')
		.limit(21)
		.execute();
	// Live comments resume from here, so nothing between this render and the socket is missed.
	const lastEventIdNow = await lastEventId(event.locals.ctx.db, `thread:${view.discussion.threadId}`);
	return {
		lastEventId: lastEventIdNow,
		posts: rows.slice(0, 20).map((r) => ({
			id: r.id,
			authorId: r.authorId,
			authorName: r.authorName,
			created: formatDateTime(r.createdAt),
			state: postState(r),
			html: r.html
		})),
		more: rows.length > 20
	};
}

export const load: PageServerLoad = async (event) => {
	const { locals, params, url } = event;
	const id = practiceIdParam(params.entry);
	try {
		const view = await getEntry(locals.ctx, locals.user!, id, {
			working: url.searchParams.get('view') === 'working'
		});
		return {
			view: {
				...view,
				form: undefined,
				publishedOn: view.publishedAt ? formatDate(view.publishedAt) : null,
				updatedOn: view.updatedAt ? formatDate(view.updatedAt) : null,
				archivedOn: view.archived ? formatDate(view.archived.at) : null,
				reviewedOn: view.version.reviewedAt ? formatDate(view.version.reviewedAt) : null
			},
			comments: await comments(event, view)
		};
	} catch (err) {
		pageError(err);
	}
};

function back(event: RequestEvent, notice: string, anchor = ''): never {
	redirect(303, `${event.url.pathname}?notice=${notice}${anchor}`);
}

export const actions: Actions = {
	preview: async ({ request }) => {
		const values = formValues(await request.formData());
		return fail(200, { values, errors: {}, preview: renderMarkdown((values.body ?? '').slice(0, 20000)) });
	},
	submit: async (event) => {
		try {
			await submitForReview(
				event.locals.ctx,
				event.locals.user!,
				practiceIdParam(event.params.entry),
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, {}, 'form');
		}
		back(event, 'practice-submitted');
	},
	revise: async (event) => {
		const id = practiceIdParam(event.params.entry);
		try {
			await startRevision(event.locals.ctx, event.locals.user!, id, requestMeta(event));
		} catch (err) {
			return failWith(err, {}, 'form');
		}
		redirect(303, `${event.url.pathname}/edit?notice=practice-revision`);
	},
	coauthor: async (event) => {
		const parsed = parseForm(
			z.object({ email: z.string().trim().min(1, { message: 'Enter an e-mail address' }).max(320) }),
			await event.request.formData()
		);
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			await addCoauthor(
				event.locals.ctx,
				event.locals.user!,
				practiceIdParam(event.params.entry),
				parsed.data.email,
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, parsed.values, 'email');
		}
		back(event, 'practice-coauthor');
	},
	join: async (event) => {
		try {
			await joinGroup(event.locals.ctx, event.locals.user!, LIBRARY_GROUP_SLUG, requestMeta(event));
		} catch (err) {
			return failWith(err, {}, 'form');
		}
		back(event, 'practice-joined', '#comments');
	},
	comment: async (event) => {
		const id = practiceIdParam(event.params.entry);
		const parsed = parseForm(postBodySchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			const view = await getEntry(event.locals.ctx, event.locals.user!, id);
			if (!view.discussion) error(404, 'Page not found');
			await reply(
				event.locals.ctx,
				event.locals.user!,
				view.discussion.groupSlug,
				view.discussion.threadId,
				parsed.data.body
			);
		} catch (err) {
			return failWith(err, parsed.values, 'body');
		}
		back(event, 'practice-commented', '#comments');
	}
};
