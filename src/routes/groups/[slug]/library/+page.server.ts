import type { Actions, PageServerLoad } from './$types';
import { addFolder, libraryListPage } from '$lib/server/web/library-pages';

export const load: PageServerLoad = (event) => libraryListPage(event, { slug: event.params.slug });

export const actions: Actions = {
	folder: (event) => addFolder(event, { slug: event.params.slug }, `/groups/${event.params.slug}/library`)
};
