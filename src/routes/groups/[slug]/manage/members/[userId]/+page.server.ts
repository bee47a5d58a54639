import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { changeRole, removeMember } from '$lib/server/groups/moderation.service';
import { findGroup, decision, mayActOn } from '$lib/server/policy/group.access';
import { memberReasonSchema, roleSchema } from '$lib/server/groups/group.schemas';
import { isUuid } from '$lib/server/ids';
import { parseForm } from '$lib/server/forms';
import { failWith, invalid, pageError, requestMeta } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals, params }) => {
	let access;
	try {
		access = await findGroup(locals.ctx.db, locals.user!, params.slug, 'remove', locals.ctx.now());
	} catch (err) {
		pageError(err);
	}
	if (!isUuid(params.userId)) error(404, 'Page not found');
	const member = await locals.ctx.db
		.selectFrom('groupMembers')
		.innerJoin('users', 'users.id', 'groupMembers.userId')
		.select(['users.id', 'users.displayName', 'users.email', 'groupMembers.role'])
		.where('groupMembers.groupId', '=', access.group.id)
		.where('groupMembers.userId', '=', params.userId)
		.executeTakeFirst();
	if (!member) error(404, 'Page not found');
	return {
		group: { slug: access.group.slug, name: access.group.name },
		member,
		isSelf: member.id === locals.user!.id,
		mayChangeRole: decision(access, 'change_role').ok,
		mayRemove: mayActOn(access, member.role)
	};
};

export const actions: Actions = {
	role: async (event) => {
		const parsed = parseForm(roleSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			await changeRole(
				event.locals.ctx,
				event.locals.user!,
				event.params.slug,
				event.params.userId,
				parsed.data.role,
				parsed.data.roleReason,
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, parsed.values, 'role');
		}
		redirect(303, `/groups/${event.params.slug}/members?notice=role-changed`);
	},
	remove: async (event) => {
		const form = await event.request.formData();
		const parsed = parseForm(memberReasonSchema, form);
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		const ban = form.get('ban') === 'true';
		try {
			await removeMember(
				event.locals.ctx,
				event.locals.user!,
				event.params.slug,
				event.params.userId,
				parsed.data.reason,
				requestMeta(event),
				ban
			);
		} catch (err) {
			return failWith(err, parsed.values, 'reason');
		}
		redirect(303, `/groups/${event.params.slug}/members?notice=${ban ? 'banned' : 'removed'}`);
	}
};
