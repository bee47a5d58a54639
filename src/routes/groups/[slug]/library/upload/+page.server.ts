import type { PageServerLoad } from './$types';
import { uploadPage } from '$lib/server/web/library-pages';

export const load: PageServerLoad = (event) => uploadPage(event, { slug: event.params.slug });
