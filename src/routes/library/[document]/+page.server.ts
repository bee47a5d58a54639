import type { Actions, PageServerLoad } from './$types';
import { documentActions, documentPage } from '$lib/server/web/library-pages';

export const load: PageServerLoad = (event) => documentPage(event, 'site', event.params.document);

export const actions: Actions = documentActions(
	() => 'site',
	() => '/library'
);
