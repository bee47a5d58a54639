import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import {
	decideRequest,
	invite,
	listBans,
	listInvitations,
	listRequests,
	revokeInvitation,
	unban
} from '$lib/server/groups/moderation.service';
import { declineSchema, inviteSchema, memberReasonSchema } from '$lib/server/groups/group.schemas';
import { decision } from '$lib/server/policy/group.access';
import { formId, parseForm } from '$lib/server/forms';
import { formatDate, formatDateTime } from '$lib/format';
import { failWith, invalid, pageError, requestMeta } from '$lib/server/web/actions';

const kinds = { police: 'Police', partner: 'Law-enforcement partner', guest: 'Guest' } as const;

export const load: PageServerLoad = async ({ locals, params }) => {
	try {
		const { access, requests } = await listRequests(locals.ctx, locals.user!, params.slug);
		const [invitations, bans] = await Promise.all([
			listInvitations(locals.ctx, locals.user!, params.slug),
			listBans(locals.ctx, locals.user!, params.slug)
		]);
		return {
			group: {
				slug: access.group.slug,
				name: access.group.name,
				archived: access.group.archivedAt !== null
			},
			isOwner: decision(access, 'edit_settings').ok,
			requests: requests.map((r) => ({
				id: r.id,
				userId: r.userId,
				displayName: r.displayName,
				message: r.message,
				who: `${r.organisationName ?? 'No organisation'} (${kinds[r.kind]})`,
				asked: formatDateTime(r.createdAt)
			})),
			invitations: invitations.map((i) => ({ id: i.id, email: i.email, expires: formatDate(i.expiresAt) })),
			bans: bans.map((b) => ({
				id: b.id,
				displayName: b.displayName,
				reason: b.reason,
				when: formatDate(b.bannedAt)
			}))
		};
	} catch (err) {
		pageError(err);
	}
};

const idSchema = (name: string) => z.object({ [name]: formId() });

function done(slug: string, notice: string): never {
	redirect(303, `/groups/${slug}/manage?notice=${notice}`);
}

export const actions: Actions = {
	approve: async (event) => {
		const parsed = parseForm(idSchema('request'), await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, { form: 'That request was not found.' });
		try {
			await decideRequest(
				event.locals.ctx,
				event.locals.user!,
				event.params.slug,
				Number(parsed.data.request),
				{ approve: true },
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, {});
		}
		done(event.params.slug, 'approved');
	},
	decline: async (event) => {
		const parsed = parseForm(declineSchema, await event.request.formData());
		if (!parsed.ok) {
			const request = parsed.values.request ?? '';
			return invalid(parsed.values, { [`reason-${request}`]: parsed.errors.reason ?? 'Enter a reason' });
		}
		try {
			await decideRequest(
				event.locals.ctx,
				event.locals.user!,
				event.params.slug,
				parsed.data.request,
				{ approve: false, reason: parsed.data.reason },
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, parsed.values);
		}
		done(event.params.slug, 'declined');
	},
	invite: async (event) => {
		const parsed = parseForm(inviteSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			await invite(event.locals.ctx, event.locals.user!, event.params.slug, parsed.data, requestMeta(event));
		} catch (err) {
			return failWith(err, parsed.values, 'email');
		}
		done(event.params.slug, 'invited');
	},
	revoke: async (event) => {
		const parsed = parseForm(idSchema('invitation'), await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, { form: 'That invitation was not found.' });
		try {
			await revokeInvitation(
				event.locals.ctx,
				event.locals.user!,
				event.params.slug,
				Number(parsed.data.invitation),
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, {});
		}
		done(event.params.slug, 'invitation-revoked');
	},
	unban: async (event) => {
		const form = await event.request.formData();
		const parsed = parseForm(memberReasonSchema, form);
		const userId = String(form.get('user') ?? '');
		if (!parsed.ok)
			return invalid(parsed.values, { [`unban-${userId}`]: parsed.errors.reason ?? 'Enter a reason' });
		try {
			await unban(
				event.locals.ctx,
				event.locals.user!,
				event.params.slug,
				userId,
				parsed.data.reason,
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, parsed.values);
		}
		done(event.params.slug, 'unbanned');
	}
};
