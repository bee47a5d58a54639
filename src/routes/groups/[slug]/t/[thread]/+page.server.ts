import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { movedThread, openThread, postsPage, reply } from '$lib/server/discussions/thread.service';
import { DomainError } from '$lib/server/errors';
import { setAnswer, toggleHelpful } from '$lib/server/discussions/post.service';
import { postBodySchema } from '$lib/server/discussions/discussion.schemas';
import { POSTS_PER_PAGE, pageOf, threadIdFrom, threadPath } from '$lib/server/discussions/thread-paths';
import { decision, writeUpDecision } from '$lib/server/policy/group.access';
import { renderMarkdown } from '$lib/server/markdown/markdown';
import { practiceFromThread } from '$lib/server/practice/practice-entry.service';
import { formatDateTime } from '$lib/format';
import { htmlOnce } from '$lib/posts-in-page';
import { formId, formValues, parseForm } from '$lib/server/forms';
import { escapeMarkdownText } from '$lib/server/markdown/markdown';
import { failWith, invalid, pageError } from '$lib/server/web/actions';
import { followLevel, setThreadLevel } from '$lib/server/notifications/follow.service';

function ids(params: { slug: string; thread: string }) {
	const threadId = threadIdFrom(params.thread);
	if (threadId === undefined) error(404, 'Page not found');
	return { slug: params.slug, threadId };
}

export const load: PageServerLoad = async (event) => {
	const { locals, params, url } = event;
	const { slug, threadId } = ids(params);
	const requested = Number(url.searchParams.get('page') ?? '1');
	try {
		const ta = await openThread(locals.ctx, locals.user!, slug, threadId);
		const { readUpTo } = ta;
		const pages = pageOf(ta.thread.postCount);
		const page = Number.isInteger(requested) && requested >= 1 && requested <= pages ? requested : 1;
		const { posts, moderator } = await postsPage(locals.ctx, locals.user!, ta, page, readUpTo);
		const path = threadPath(slug, ta.thread);
		// The answer is shown under the first post (openThread read it in the same query).
		const answer = page === 1 ? ta.answer : null;
		// "Quote" starts a reply with the quoted post and a link to it (works without JavaScript).
		let quote = '';
		const quoteParam = url.searchParams.get('quote') ?? '';
		const quoteId = /^\d{1,15}$/.test(quoteParam) ? Number(quoteParam) : 0;
		if (quoteId > 0) {
			const quoted = await locals.ctx.db
				.selectFrom('posts')
				.leftJoin('users', 'users.id', 'posts.authorId')
				.select(['posts.id', 'posts.source', 'users.displayName'])
				.where('posts.id', '=', quoteId)
				.where('posts.threadId', '=', threadId)
				.where('posts.deletedAt', 'is', null)
				.where('posts.hiddenAt', 'is', null)
				.executeTakeFirst();
			if (quoted) {
				const lines = quoted.source
					.slice(0, 2000)
					.split('\n')
					.map((line) => `> ${line}`);
				// The name is text, never Markdown: a name cannot put its own link into the quote.
				const name = escapeMarkdownText(quoted.displayName ?? 'a former member');
				quote = `${lines.join('\n')}\n>\n> — [${name}](/groups/${slug}/p/${quoted.id})\n\n`;
			}
		}
		// "Written up as practice": entries promoted from this thread that the reader may see.
		const practice =
			page === 1 && ta.hasPractice ? await practiceFromThread(locals.ctx, locals.user!, threadId) : [];
		return {
			practice,
			mayPromote: writeUpDecision(ta.access, ta.thread.authorId).ok,
			// Live updates resume from here, so nothing between this render and the socket is missed.
			lastEventId: ta.lastEventId,
			quote,
			started: url.searchParams.get('started') === '1',
			group: { slug, name: ta.access.group.name, archived: ta.access.group.archivedAt !== null },
			thread: {
				id: ta.thread.id,
				title: ta.thread.title,
				path,
				pinned: ta.thread.pinned,
				locked: ta.thread.lockedAt !== null,
				lockReason: ta.thread.lockReason,
				isAuthor: ta.thread.authorId === locals.user!.id,
				answerPostId: ta.thread.answerPostId,
				postCount: ta.thread.postCount
			},
			answer: answer ? { ...answer, href: `?page=${pageOf(answer.number)}#post-${answer.id}` } : null,
			// The page shows the dates as text; each post's HTML goes to the browser once.
			posts: htmlOnce(
				event,
				posts.map(({ createdAt, editedAt, ...p }) => ({
					...p,
					created: formatDateTime(createdAt),
					edited: editedAt ? formatDateTime(editedAt) : null
				}))
			),
			page,
			pages,
			firstUnread:
				readUpTo < ta.thread.postCount ? { page: pageOf(readUpTo + 1), number: readUpTo + 1 } : null,
			perPage: POSTS_PER_PAGE,
			moderator,
			mayReply: decision(ta.access, 'reply').ok && !ta.access.group.archivedAt,
			followLevel: ta.followLevel
		};
	} catch (err) {
		// A thread moved to another group: old links lead there, for those who may read it there.
		if (err instanceof DomainError && err.code === 'not_found') {
			const moved = await movedThread(locals.ctx, locals.user!, slug, threadId);
			if (moved) redirect(301, `${threadPath(moved.slug, moved)}${url.search}`);
		}
		pageError(err);
	}
};

const postIdSchema = z.object({ post: formId(undefined, Number.MAX_SAFE_INTEGER) });

async function postId(event: RequestEvent): Promise<number> {
	const parsed = postIdSchema.safeParse(Object.fromEntries(await event.request.formData()));
	if (!parsed.success) error(404, 'Page not found');
	return parsed.data.post;
}

function back(event: RequestEvent, anchor = '', notice = ''): never {
	// Only a page number goes back into the address (anything else could break the header).
	const page = event.url.searchParams.get('page') ?? '';
	const query = [/^\d{1,6}$/.test(page) ? `page=${page}` : '', notice ? `notice=${notice}` : '']
		.filter(Boolean)
		.join('&');
	redirect(303, `${event.url.pathname}${query ? `?${query}` : ''}${anchor}`);
}

export const actions: Actions = {
	follow: async (event) => {
		const { slug, threadId } = ids(event.params);
		const form = await event.request.formData();
		try {
			await setThreadLevel(
				event.locals.ctx,
				event.locals.user!,
				slug,
				threadId,
				followLevel(form.get('level'))
			);
		} catch (err) {
			return failWith(err, {});
		}
		back(event, '', 'follow-saved');
	},
	preview: async ({ request }) => {
		const values = formValues(await request.formData());
		return fail(200, { values, errors: {}, preview: renderMarkdown((values.body ?? '').slice(0, 20000)) });
	},
	reply: async (event) => {
		const { slug, threadId } = ids(event.params);
		const parsed = parseForm(postBodySchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		let post;
		try {
			post = await reply(event.locals.ctx, event.locals.user!, slug, threadId, parsed.data.body);
		} catch (err) {
			return failWith(err, parsed.values, 'body');
		}
		redirect(303, `${event.url.pathname}?page=${pageOf(post.number)}#post-${post.id}`);
	},
	helpful: async (event) => {
		const id = await postId(event);
		try {
			await toggleHelpful(event.locals.ctx, event.locals.user!, event.params.slug, id);
		} catch (err) {
			return failWith(err, {});
		}
		back(event, `#post-${id}`);
	},
	answer: async (event) => {
		const form = await event.request.formData();
		const parsed = postIdSchema.safeParse(Object.fromEntries(form));
		if (!parsed.success) error(404, 'Page not found');
		try {
			await setAnswer(
				event.locals.ctx,
				event.locals.user!,
				event.params.slug,
				parsed.data.post,
				form.get('answer') === 'true'
			);
		} catch (err) {
			return failWith(err, {});
		}
		back(event, `#post-${parsed.data.post}`);
	}
};
