/**
 * A moderator's decision made through a one-field form (a reason to hide or lock, a group to
 * move to): parse the form, ask the service, show its refusal by the field, or go on to the result.
 */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { moderationReasonSchema } from '../discussions/discussion.schemas.ts';
import { parseForm } from '../forms.ts';
import type { RequestMeta } from '../request-meta.ts';
import { failWith, invalid, requestMeta } from './actions.ts';

export async function decisionAction<S extends z.ZodType, R>(
	event: RequestEvent,
	form: { schema: S; field: string },
	decide: (data: z.output<S>, meta: RequestMeta) => Promise<R>,
	destination: (result: R) => string
) {
	const parsed = parseForm(form.schema, await event.request.formData());
	if (!parsed.ok) return invalid(parsed.values, parsed.errors);
	let result: R;
	try {
		result = await decide(parsed.data, requestMeta(event));
	} catch (err) {
		return failWith(err, parsed.values, form.field);
	}
	redirect(303, destination(result));
}

/** The usual case: the decision needs a reason, recorded in the audit log. */
export function reasonAction<R>(
	event: RequestEvent,
	decide: (decision: { reason: string }, meta: RequestMeta) => Promise<R>,
	destination: (result: R) => string
) {
	return decisionAction(event, { schema: moderationReasonSchema, field: 'reason' }, decide, destination);
}
