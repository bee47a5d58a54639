import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { setPracticeReviewer } from '$lib/server/practice/topics.service';
import { setLibraryPublisher } from '$lib/server/library/library.service';
import { parseForm } from '$lib/server/forms';
import { failWith, invalid, requestMeta } from '$lib/server/web/actions';
import { getUserForAdmin } from '$lib/server/accounts/admin.service';
import { DomainError } from '$lib/server/errors';
import { formatDate, formatDateTime } from '$lib/format';

export const load: PageServerLoad = async ({ locals, params }) => {
	try {
		const u = await getUserForAdmin(locals.ctx, params.id);
		return {
			account: {
				id: u.id,
				email: u.email,
				displayName: u.displayName,
				jobTitle: u.jobTitle,
				kind: u.kind,
				status: u.status,
				isAdmin: u.isAdmin,
				organisationName: u.organisationName,
				suspendedAt: u.suspendedAt ? formatDateTime(u.suspendedAt) : null,
				suspendedReason: u.suspendedReason,
				emailVerified: u.emailVerifiedAt !== null,
				twoFactor: u.totpEnabledAt !== null,
				practiceReviewer: u.practiceReviewer,
				libraryPublisher: u.libraryPublisher,
				createdAt: formatDate(u.createdAt)
			},
			isSelf: u.id === locals.user!.id
		};
	} catch (err) {
		if (err instanceof DomainError && err.code === 'not_found') error(404, 'Page not found');
		throw err;
	}
};

const reviewerSchema = z.object({
	reviewer: z.enum(['true', 'false']),
	reason: z
		.string()
		.trim()
		.min(1, { message: 'Enter a reason' })
		.max(500, { message: 'The reason must be 500 characters or fewer' })
});

const publisherSchema = z.object({
	publisher: z.enum(['true', 'false']),
	// Its own name: the page has the reviewer form's reason field too.
	publisherReason: reviewerSchema.shape.reason
});

export const actions: Actions = {
	publisher: async (event) => {
		const parsed = parseForm(publisherSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		const on = parsed.data.publisher === 'true';
		try {
			await setLibraryPublisher(
				event.locals.ctx,
				event.locals.user!,
				event.params.id,
				on,
				parsed.data.publisherReason,
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, parsed.values, 'publisherReason');
		}
		redirect(303, `/admin/users/${event.params.id}?notice=${on ? 'publisher-granted' : 'publisher-removed'}`);
	},
	reviewer: async (event) => {
		const parsed = parseForm(reviewerSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.values, parsed.errors);
		const on = parsed.data.reviewer === 'true';
		try {
			await setPracticeReviewer(
				event.locals.ctx,
				event.locals.user!,
				event.params.id,
				on,
				parsed.data.reason,
				requestMeta(event)
			);
		} catch (err) {
			return failWith(err, parsed.values, 'reason');
		}
		redirect(303, `/admin/users/${event.params.id}?notice=${on ? 'reviewer-granted' : 'reviewer-removed'}`);
	}
};
