/**
 * Turns a submitted form into typed data or per-field messages. The values come back
 * for re-rendering the form, never including secrets (passwords, codes, keys).
 */
import { z } from 'zod';

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string>;

const NEVER_ECHOED = /password|code|key|token/i;

export type ParsedForm<T> =
	{ ok: true; data: T; values: FormValues } | { ok: false; errors: FieldErrors; values: FormValues };

/**
 * Characters nobody types and that cannot be kept: NUL (PostgreSQL refuses it in text), the
 * other control characters but tab, line feed and carriage return, Unicode's noncharacters,
 * and lone surrogates. Every form field, query parameter, JSON body and WebSocket message is
 * checked against this one list at the edge (src/lib/server/forms.ts, hooks.server.ts, the
 * host's API and hub).
 */
const UNSTORABLE =
	// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
	/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]|\p{Noncharacter_Code_Point}|\p{Cs}/gu;

export function hasUnstorable(value: string): boolean {
	UNSTORABLE.lastIndex = 0;
	return UNSTORABLE.test(value);
}

/** The text without the characters that cannot be kept. */
export function cleanText(value: string): string {
	return hasUnstorable(value) ? value.replace(UNSTORABLE, '') : value;
}

/** The text with each character that cannot be kept replaced by U+FFFD (the replacement character). */
export function replaceUnstorable(value: string): string {
	return value.replace(UNSTORABLE, '\uFFFD');
}

/**
 * A query string ("?a=b") without the characters that cannot be kept, marked ?cleaned=1 so
 * the page says so; undefined when there was nothing to take out.
 */
export function cleanedQuery(search: string): string | undefined {
	const params = new URLSearchParams(search);
	let changed = false;
	const cleaned = new URLSearchParams();
	for (const [name, value] of params) {
		if (hasUnstorable(name) || hasUnstorable(value)) changed = true;
		cleaned.append(cleanText(name), cleanText(value));
	}
	if (!changed) return undefined;
	cleaned.set('cleaned', '1');
	return `?${cleaned}`;
}

/** What a field that held such characters says (its text comes back without them). */
const UNSTORABLE_MESSAGE =
	'This contained characters that cannot be kept, such as a null character, and we have removed them. Check it and send it again';

/** A query-string parameter as clean text, at most `max` characters (see searchQuery to say so). */
export function searchText(params: URLSearchParams, name: string, max: number): string {
	return cleanText(params.get(name) ?? '').slice(0, max);
}

/**
 * What was typed into a search box: too long is refused with a message, never cut short
 * without a word; the text comes back as typed so it can be shortened.
 */
export function searchQuery(
	params: URLSearchParams,
	name: string,
	max: number
): { q: string; error?: string } {
	const q = cleanText(params.get(name) ?? '');
	if (q.length > max) {
		return { q: q.slice(0, 1000), error: `Search for ${max.toLocaleString('en-GB')} characters or fewer` };
	}
	return { q };
}

/** The largest id an `integer` column holds; `bigint` ids are kept within what a number holds exactly. */
const INTEGER_MAX = 2_147_483_647;

/**
 * The id of a row, sent back by a form (a hidden field, a button's value): digits only, so
 * "0xabad1dea", "1e9" and " 12 " are refused rather than read as numbers, and within the
 * column's range, so PostgreSQL is never asked about a number it cannot hold.
 */
export function formId(
	message = 'That was not found. Go back to the page and try again.',
	max = INTEGER_MAX
) {
	return z
		.string({ message })
		.regex(/^[1-9]\d{0,15}$/, { message })
		.transform(Number)
		.refine((n) => n <= max, { message });
}

export function formValues(form: FormData): FormValues {
	const values: FormValues = {};
	for (const [name, value] of form.entries()) {
		if (typeof value === 'string' && !NEVER_ECHOED.test(name))
			values[name] = cleanText(value).slice(0, 20_000);
	}
	return values;
}

export function parseForm<S extends z.ZodType>(schema: S, form: FormData): ParsedForm<z.output<S>> {
	const raw: Record<string, string> = {};
	const errors: FieldErrors = {};
	for (const [name, value] of form.entries()) {
		if (typeof value !== 'string') continue;
		raw[name] = cleanText(value);
		// Refused, and said so: nothing is saved with characters silently taken out.
		if (raw[name] !== value) errors[name] ??= UNSTORABLE_MESSAGE;
	}
	const values = formValues(form);
	if (Object.keys(errors).length > 0) return { ok: false, errors, values };
	const result = schema.safeParse(raw);
	if (result.success) return { ok: true, data: result.data, values };
	for (const issue of result.error.issues) {
		const field = String(issue.path[0] ?? 'form');
		errors[field] ??= issue.message;
	}
	return { ok: false, errors, values };
}
