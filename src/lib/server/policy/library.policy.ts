/**
 * Who may do what in the site library (`/library`): guidance, newsletters and templates for every
 * police and partner account. A group's library follows its group (`group.policy.ts`:
 * `read_library`, `upload_document`, `manage_library`).
 *
 * - Read: every active account with a confirmed address that is police or a partner, and
 *   administrators. Guests (who join groups by invitation only) do not see it.
 * - Add, change, delete and restore documents and folders: administrators, and accounts an
 *   administrator has made publishers, with two-factor authentication (as for managing a group).
 */
import type { Decision, PolicyActor } from './group.policy.ts';

export type SiteLibraryAction = 'read' | 'publish';

export function decideSiteLibrary(
	actor: PolicyActor | null,
	publisher: boolean,
	action: SiteLibraryAction
): Decision {
	if (!actor || actor.status !== 'active' || !actor.emailVerified)
		return { ok: false, code: 'not_found', message: 'Page not found' };
	if (!actor.isAdmin && actor.kind === 'guest')
		return {
			ok: false,
			code: 'forbidden',
			message: 'The library is for police officers and staff and law-enforcement partners.'
		};
	if (action === 'read') return { ok: true };
	if (!actor.isAdmin && !publisher)
		return {
			ok: false,
			code: 'forbidden',
			message: 'Only administrators and the library’s publishers add to the site library.'
		};
	if (!actor.twoFactorEnabled)
		return {
			ok: false,
			code: 'two_factor',
			message: 'Set up two-factor authentication before publishing to the library.'
		};
	return { ok: true };
}
