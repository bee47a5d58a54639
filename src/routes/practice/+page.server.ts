import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { setTopicsFollowed, topicsFollowed } from '$lib/server/notifications/follow.service';
import { failWith } from '$lib/server/web/actions';
import { listPractice, type PracticeFilters } from '$lib/server/practice/practice-list.service';
import { reviewsAnything } from '$lib/server/practice/practice-queues.service';
import { practiceFiltersFrom } from '$lib/server/practice/practice.schemas';
import { mayCreateIn } from '$lib/server/policy/practice.policy';
import { policyActor } from '$lib/server/policy/group.access';
import { formatDate } from '$lib/format';
import { searchQuery } from '$lib/server/forms';

const id = (value: string | null) => (value && /^\d{1,9}$/.test(value) ? Number(value) : undefined);

export const load: PageServerLoad = async ({ locals, url }) => {
	const p = url.searchParams;
	const { q, error: qError } = searchQuery(p, 'q', 100);
	const filters: PracticeFilters = {
		q: qError ? undefined : q.trim() || undefined,
		...practiceFiltersFrom(p),
		sort: p.get('sort') === 'updated' ? 'updated' : 'newest',
		archived: p.get('archived') === 'include'
	};
	const result = await listPractice(locals.ctx, locals.user!, filters, id(p.get('after')));
	const next = new URLSearchParams(p);
	if (result.next) next.set('after', String(result.next));
	const active = Object.entries(filters).some(
		([k, v]) => v !== undefined && v !== false && !(k === 'sort' && v === 'newest')
	);
	return {
		filters: Object.fromEntries(
			['q', 'effectiveness', 'stage', 'region', 'scale', 'topic', 'organisation', 'sort', 'archived'].map(
				(k) => [k, p.get(k) ?? '']
			)
		),
		items: result.items.map((i) => ({
			...i,
			published: formatDate(i.publishedAt),
			updated: formatDate(i.updatedAt)
		})),
		counts: result.counts,
		total: result.total,
		next: result.next ? `?${next}` : null,
		paged: p.has('after'),
		qError,
		active,
		mayWrite: mayCreateIn(policyActor(locals.user), { kind: 'site' }).ok,
		reviewer: await reviewsAnything(locals.ctx, locals.user!),
		// Guests cannot read the site-wide library, so they follow no topics.
		topics: locals.user!.kind === 'guest' ? [] : await topicsFollowed(locals.ctx, locals.user!.id)
	};
};

export const actions: Actions = {
	topics: async ({ locals, request }) => {
		const chosen = (await request.formData()).getAll('topic').map(String);
		try {
			await setTopicsFollowed(locals.ctx, locals.user!, chosen);
		} catch (err) {
			return failWith(err, {}, 'topics');
		}
		redirect(303, '/practice?notice=topics-saved#topics');
	}
};
