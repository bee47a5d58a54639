/**
 * Turns a submitted form into typed data or per-field messages. The values come back
 * for re-rendering the form, never including secrets (passwords, codes, keys).
 */
import type { z } from 'zod';

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string>;

const NEVER_ECHOED = /password|code|key|token/i;

export type ParsedForm<T> =
	{ ok: true; data: T; values: FormValues } | { ok: false; errors: FieldErrors; values: FormValues };

/**
 * Text as PostgreSQL can keep it: without NUL characters (it refuses them; they have no
 * meaning in anything a person types). Used for form fields and search boxes alike.
 */
export function cleanText(value: string): string {
	return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
}

/** A query-string parameter as clean text, at most `max` characters. */
export function searchText(params: URLSearchParams, name: string, max: number): string {
	return cleanText(params.get(name) ?? '').slice(0, max);
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
	for (const [name, value] of form.entries()) if (typeof value === 'string') raw[name] = cleanText(value);
	const values = formValues(form);
	const result = schema.safeParse(raw);
	if (result.success) return { ok: true, data: result.data, values };
	const errors: FieldErrors = {};
	for (const issue of result.error.issues) {
		const field = String(issue.path[0] ?? 'form');
		errors[field] ??= issue.message;
	}
	return { ok: false, errors, values };
}
