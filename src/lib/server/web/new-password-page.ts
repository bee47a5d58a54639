/**
 * The page behind an e-mailed "choose a password" link: the password reset link and the
 * set-password link a new administrator gets. Same form, same rules, different token purpose.
 */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { parseForm } from '../forms.ts';
import { newPasswordSchema } from '../accounts/account.schemas.ts';
import { resetPassword } from '../accounts/password.service.ts';
import { tokenMessage } from '../accounts/registration.service.ts';
import { peekEmailToken } from '../auth/email-tokens.ts';
import { failWith, invalid, requestMeta } from './actions.ts';
import { deleteSessionCookie } from '../auth/session-cookie.ts';

type TokenEvent = RequestEvent<{ token: string }>;

export function newPasswordPage(
	purpose: 'reset_password' | 'set_password',
	notice: 'password-reset' | 'password-set'
) {
	return {
		async load({ locals, params }: Pick<TokenEvent, 'locals' | 'params'>) {
			const state = await peekEmailToken(locals.ctx.db, purpose, params.token, locals.ctx.now());
			return {
				problem:
					state.state === 'valid'
						? null
						: tokenMessage(state.state, purpose === 'reset_password' ? purpose : undefined)
			};
		},
		actions: {
			default: async (event: TokenEvent) => {
				const parsed = parseForm(newPasswordSchema, await event.request.formData());
				if (!parsed.ok) return invalid(parsed.values, parsed.errors);
				try {
					await resetPassword(
						event.locals.ctx,
						purpose,
						event.params.token,
						parsed.data.password,
						requestMeta(event)
					);
				} catch (err) {
					return failWith(err, parsed.values);
				}
				// Every session of the account has ended, this browser's included.
				deleteSessionCookie(event.cookies, event.locals.ctx.config.secureCookies);
				redirect(303, `/login?notice=${notice}`);
			}
		}
	};
}
