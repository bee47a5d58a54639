import type { Actions, PageServerLoad } from './$types';
import { addFolder, libraryListPage } from '$lib/server/web/library-pages';

export const load: PageServerLoad = (event) => libraryListPage(event, 'site');

export const actions: Actions = {
	folder: (event) => addFolder(event, 'site', '/library')
};
