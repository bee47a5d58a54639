import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

// Administration is invisible to everyone else: "not found", never "forbidden".
// (Two-factor is enforced before this by the page-access policy in the server hook.)
export const load: LayoutServerLoad = async ({ locals }) => {
	if (!locals.user?.isAdmin) error(404, 'Page not found');
	return {};
};
