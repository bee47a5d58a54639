import { error } from '@sveltejs/kit';

/** A post id from the address, or "not found". */
export function postIdParam(value: string): number {
	if (!/^\d{1,15}$/.test(value)) error(404, 'Page not found');
	return Number(value);
}
