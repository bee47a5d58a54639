import type { Actions, PageServerLoad } from './$types';
import { newPasswordPage } from '$lib/server/web/new-password-page';

const page = newPasswordPage('reset_password', 'password-reset');

export const load: PageServerLoad = page.load;
export const actions: Actions = page.actions;
