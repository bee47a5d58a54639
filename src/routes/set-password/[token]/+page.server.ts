import type { Actions, PageServerLoad } from './$types';
import { newPasswordPage } from '$lib/server/web/new-password-page';

const page = newPasswordPage('set_password', 'password-set');

export const load: PageServerLoad = page.load;
export const actions: Actions = page.actions;
