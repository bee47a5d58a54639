import { error } from '@sveltejs/kit';
import { threadIdFrom } from '../discussions/thread-paths.ts';
import { practiceIdFrom } from '../practice/practice.schemas.ts';

/** A post id from the address, or "not found". */
export function postIdParam(value: string): number {
	if (!/^\d{1,15}$/.test(value)) error(404, 'Page not found');
	return Number(value);
}

/** A thread id from "123-some-title" in the address, or "not found". */
export function threadIdParam(value: string): number {
	const id = threadIdFrom(value);
	if (id === undefined) error(404, 'Page not found');
	return id;
}

/** A practice entry id from "12-some-title" in the address, or "not found". */
export function practiceIdParam(value: string): number {
	const id = practiceIdFrom(value);
	if (id === undefined) error(404, 'Page not found');
	return id;
}
