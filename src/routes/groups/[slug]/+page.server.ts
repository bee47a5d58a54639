import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getGroup, groupLeaders } from '$lib/server/groups/group.service';
import { decision } from '$lib/server/policy/group.access';
import {
	answerInvitation,
	askToJoin,
	joinGroup,
	withdrawRequest
} from '$lib/server/groups/membership.service';
import { requestMessageSchema } from '$lib/server/groups/group.schemas';
import { audienceLabel } from '$lib/server/policy/group.policy';
import { parseForm } from '$lib/server/forms';
import { listThreads } from '$lib/server/discussions/thread.service';
import { threadPath } from '$lib/server/discussions/thread-paths';
import { formatDate, formatDateTime } from '$lib/format';
import { failWith, invalid, pageError, requestMeta } from '$lib/server/web/actions';
import { lastEventId } from '$lib/server/events/replay';
import { followLevel, groupLevel, setGroupLevel } from '$lib/server/notifications/follow.service';

export type ViewerState =
	'member' | 'banned' | 'invited' | 'pending' | 'can_join' | 'can_ask' | 'outside_audience' | 'invite_only';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	let access;
	try {
		access = await getGroup(locals.ctx, locals.user!, params.slug);
	} catch (err) {
		pageError(err);
	}
	const { group, standing } = access;
	const can = (action: Parameters<typeof decision>[1]) => decision(access, action);
	let state: ViewerState;
	if (standing.role) state = 'member';
	else if (standing.banned) state = 'banned';
	else if (can('accept_invitation').ok) state = 'invited';
	else if (standing.pendingRequest) state = 'pending';
	else if (can('join').ok) state = 'can_join';
	else if (can('ask').ok) state = 'can_ask';
	else if (group.visibility === 'private') state = 'invite_only';
	else state = 'outside_audience';
	const manage = can('approve');
	const reading = can('read_threads').ok;
	const cursor = /^(0|1)_(\d{1,15})_(\d{1,15})$/.exec(url.searchParams.get('after') ?? '');
	const listing = reading
		? await listThreads(
				locals.ctx,
				locals.user!,
				access,
				cursor
					? { pinned: cursor[1] === '1', lastPostAt: new Date(Number(cursor[2])), id: Number(cursor[3]) }
					: undefined
			)
		: undefined;
	// What happened to this person's last request, and what waits on the moderators.
	const [lastDecision, waiting] = await Promise.all([
		!standing.role && !standing.pendingRequest
			? locals.ctx.db
					.selectFrom('membershipRequests')
					.select(['status', 'reason', 'decidedAt'])
					.where('groupId', '=', group.id)
					.where('userId', '=', locals.user!.id)
					.where('status', '=', 'declined')
					.orderBy('id', 'desc')
					.limit(1)
					.executeTakeFirst()
			: undefined,
		manage.ok || (!manage.ok && manage.code === 'two_factor')
			? locals.ctx.db
					.selectFrom('membershipRequests')
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.where('groupId', '=', group.id)
					.where('status', '=', 'pending')
					.executeTakeFirst()
			: undefined
	]);
	const [since, level] = reading
		? await Promise.all([
				lastEventId(locals.ctx.db, `group:${group.id}`),
				groupLevel(locals.ctx, locals.user!.id, group.id)
			])
		: [0, null];
	return {
		live: reading && !url.searchParams.has('after') ? { groupId: group.id, since } : null,
		threads:
			listing?.threads.map((t) => ({
				...t,
				path: threadPath(group.slug, t),
				lastPost: formatDateTime(t.lastPostAt)
			})) ?? null,
		nextThreads: listing?.next
			? `${listing.next.pinned ? 1 : 0}_${listing.next.lastPostAt.getTime()}_${listing.next.id}`
			: null,
		mayPost: can('start_thread').ok,
		followLevel: level,
		group: {
			slug: group.slug,
			name: group.name,
			descriptionHtml: group.descriptionHtml,
			visibility: group.visibility,
			audience: group.audience,
			audienceLabel: audienceLabel(group.audience),
			archived: group.archivedAt !== null,
			memberCount: group.memberCount
		},
		state,
		role: standing.role,
		mayManage: manage.ok || (!manage.ok && manage.code === 'two_factor'),
		mayLeave: can('leave').ok,
		declined: lastDecision
			? {
					reason: lastDecision.reason ?? '',
					on: lastDecision.decidedAt ? formatDate(lastDecision.decidedAt) : null
				}
			: null,
		waitingRequests: Number(waiting?.n ?? 0),
		leaders: await groupLeaders(locals.ctx, group.id)
	};
};

function done(slug: string, notice: string): never {
	redirect(303, `/groups/${slug}?notice=${notice}`);
}

export const actions: Actions = {
	follow: async (event) => {
		const form = await event.request.formData();
		try {
			await setGroupLevel(
				event.locals.ctx,
				event.locals.user!,
				event.params.slug,
				followLevel(form.get('level'))
			);
		} catch (err) {
			return failWith(err, {});
		}
		done(event.params.slug, 'follow-saved');
	},
	join: async (event) => {
		try {
			await joinGroup(event.locals.ctx, event.locals.user!, event.params.slug, requestMeta(event));
		} catch (err) {
			return failWith(err, {});
		}
		done(event.params.slug, 'joined');
	},
	ask: async (event) => {
		const parsed = parseForm(requestMessageSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		try {
			await askToJoin(
				event.locals.ctx,
				event.locals.user!,
				event.params.slug,
				parsed.data.message,
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, parsed.values, 'message');
		}
		done(event.params.slug, 'asked');
	},
	withdraw: async (event) => {
		try {
			await withdrawRequest(event.locals.ctx, event.locals.user!, event.params.slug, requestMeta(event));
		} catch (err) {
			return failWith(err, {});
		}
		done(event.params.slug, 'withdrawn');
	},
	accept: async (event) => {
		try {
			await answerInvitation(
				event.locals.ctx,
				event.locals.user!,
				event.params.slug,
				true,
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, {});
		}
		done(event.params.slug, 'invitation-accepted');
	},
	decline: async (event) => {
		try {
			await answerInvitation(
				event.locals.ctx,
				event.locals.user!,
				event.params.slug,
				false,
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, {});
		}
		redirect(303, '/groups?notice=invitation-declined');
	}
};
