import type { Actions, PageServerLoad } from './$types';
import { documentActions, documentPage } from '$lib/server/web/library-pages';

export const load: PageServerLoad = (event) =>
	documentPage(event, { slug: event.params.slug }, event.params.document);

export const actions: Actions = documentActions(
	(event) => ({ slug: event.params.slug ?? '' }),
	(event) => `/groups/${event.params.slug}/library`
);
