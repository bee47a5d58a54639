import type { PageServerLoad } from './$types';

/** What the administrators should know about how this Muster runs. */
export const load: PageServerLoad = ({ locals }) => ({
	scanning: locals.ctx.files.scanning
});
