/**
 * Small helpers for SvelteKit edges: turning a DomainError into a form failure, request
 * metadata, and safe "next" redirects.
 */
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { ChoiceNeeded, DomainError, HTTP_STATUS } from '../errors.ts';
import type { FieldErrors, FormValues } from '../forms.ts';
import type { RequestMeta } from '../request-meta.ts';

export interface FormFailure {
	values: FormValues;
	errors: FieldErrors;
	/** Where the input fitted several things: what to choose from, by field. */
	choices?: Record<string, Array<{ value: string; label: string }>>;
}

/** A DomainError becomes a re-rendered form with the message by its field; anything else is rethrown. */
export function failWith(err: unknown, values: FormValues, defaultField = 'form') {
	if (err instanceof DomainError) {
		if (err.code === 'not_found') error(404, 'Page not found');
		if (err.code === 'two_factor') redirect(303, '/settings/two-factor?required=1');
		const field = err.field ?? defaultField;
		const failure: FormFailure = { values, errors: { [field]: err.message } };
		if (err instanceof ChoiceNeeded) failure.choices = { [field]: err.choices };
		return fail(HTTP_STATUS[err.code], failure);
	}
	throw err;
}

/** For page loads: a DomainError becomes the matching error page (or the two-factor set-up). */
export function pageError(err: unknown): never {
	if (err instanceof DomainError) {
		if (err.code === 'two_factor') redirect(303, '/settings/two-factor?required=1');
		error(HTTP_STATUS[err.code], err.code === 'not_found' ? 'Page not found' : err.message);
	}
	throw err;
}

export function invalid(values: FormValues, errors: FieldErrors) {
	const failure: FormFailure = { values, errors };
	return fail(400, failure);
}

export function requestMeta(event: Pick<RequestEvent, 'getClientAddress' | 'request'>): RequestMeta {
	let ip: string | null = null;
	try {
		ip = event.getClientAddress();
	} catch {
		ip = null;
	}
	return { ip, userAgent: event.request.headers.get('user-agent') };
}

/** Only a path on this site: never another origin ("//evil.example", "/\\evil", "/\t/evil"). */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
	if (!next || !next.startsWith('/') || next.length > 500) return fallback;
	// Browsers drop tabs and newlines from URLs and read "\\" as "/": refuse them outright.
	// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
	if (/[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
	const base = 'http://muster.invalid';
	let url: URL;
	try {
		url = new URL(next, base);
	} catch {
		return fallback;
	}
	if (url.origin !== base) return fallback;
	// Dot segments resolve away ("/.//evil", "/%2e//evil", "/a/../..//evil" all become "//evil"):
	// judge the result, which must be one "/" and then anything but "/" or "\\".
	const result = `${url.pathname}${url.search}${url.hash}`;
	return /^\/(?![/\\])/.test(result) ? result : fallback;
}
