import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import {
	addTopic,
	listTopics,
	renameTopic,
	setTopicRetired,
	topicNameSchema
} from '$lib/server/practice/topics.service';
import { formId, parseForm } from '$lib/server/forms';
import { failWith, invalid, requestMeta } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals }) => {
	const [topics, reviewers] = await Promise.all([
		listTopics(locals.ctx),
		locals.ctx.db
			.selectFrom('users')
			.select(['id', 'displayName', 'email', 'totpEnabledAt'])
			.where('practiceReviewer', '=', true)
			.orderBy('displayName')
			.execute()
	]);
	return {
		topics: topics.map((t) => ({ id: t.id, name: t.name, retired: t.retiredAt !== null, uses: t.uses })),
		reviewers: reviewers.map((r) => ({
			id: r.id,
			name: r.displayName,
			email: r.email,
			twoFactor: !!r.totpEnabledAt
		}))
	};
};

const topicId = z.object({ id: formId() });

export const actions: Actions = {
	add: async (event) => {
		const parsed = parseForm(topicNameSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			await addTopic(event.locals.ctx, event.locals.user!, parsed.data.name, requestMeta(event));
		} catch (err) {
			return failWith(err, parsed.values, 'name');
		}
		redirect(303, '/admin/practice');
	},
	rename: async (event) => {
		const form = await event.request.formData();
		const id = topicId.safeParse({ id: form.get('id') });
		if (!id.success) error(404, 'Page not found');
		const field = `name-${id.data.id}`;
		const raw = String(form.get(field) ?? '');
		const values = { topic: String(id.data.id), name: raw };
		const parsed = topicNameSchema.safeParse({ name: raw });
		if (!parsed.success) return invalid(values, { [field]: parsed.error.issues[0]!.message });
		try {
			await renameTopic(
				event.locals.ctx,
				event.locals.user!,
				id.data.id,
				parsed.data.name,
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, values, field);
		}
		redirect(303, '/admin/practice');
	},
	retire: async (event) => {
		const form = await event.request.formData();
		const id = topicId.safeParse({ id: form.get('id') });
		if (!id.success) error(404, 'Page not found');
		try {
			await setTopicRetired(
				event.locals.ctx,
				event.locals.user!,
				id.data.id,
				form.get('retired') === 'true',
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, {}, 'form');
		}
		redirect(303, '/admin/practice');
	}
};
