/**
 * The host's one error handler. A DomainError thrown by a service becomes an RFC 9457
 * problem (application/problem+json) with the status its code maps to and its message,
 * which is written for the person using Muster. Anything unexpected is logged and
 * answered with a generic 500 problem: never its message or stack.
 * SvelteKit pages render their own errors; this only sees what reaches Fastify.
 * https://www.rfc-editor.org/rfc/rfc9457
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ChoiceNeeded, DomainError, HTTP_STATUS } from '../lib/server/errors.ts';

const PROBLEM_CONTENT_TYPE = 'application/problem+json';

interface Problem {
	/** about:blank: the status says it all; `code` tells Muster's reasons apart (RFC 9457 §4.2.1). */
	type: 'about:blank';
	/** With about:blank, the status's own phrase. */
	title: string;
	status: number;
	detail: string;
	code: string;
	field?: string;
	choices?: Array<{ value: string; label: string }>;
}

function problem(status: number, code: string, detail: string): Problem {
	return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, code };
}

const UNEXPECTED = 'Something went wrong on our side. Try again in a moment.';

export function errorHandler(now: () => Date) {
	return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
		if (error instanceof DomainError) {
			const status = HTTP_STATUS[error.code];
			const body = problem(status, error.code, error.message);
			if (error.field) body.field = error.field;
			if (error instanceof ChoiceNeeded) body.choices = error.choices;
			if (error.retryAt) {
				const seconds = Math.ceil((error.retryAt.getTime() - now().getTime()) / 1000);
				reply.header('retry-after', String(Math.max(1, seconds)));
			}
			if (status >= 500) request.log.warn({ err: error }, 'request could not be completed');
			return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(body);
		}
		const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
		if (status >= 500) {
			request.log.error({ err: error }, 'request failed');
			return reply
				.code(status)
				.type(PROBLEM_CONTENT_TYPE)
				.send(problem(status, 'internal', UNEXPECTED));
		}
		// Fastify's own refusals (a body it cannot parse, too large, a type it does not take) say
		// what was wrong, in the shape the API's other refusals use.
		return reply.code(status).send({ error: { code: error.code ?? 'invalid', message: error.message } });
	};
}
