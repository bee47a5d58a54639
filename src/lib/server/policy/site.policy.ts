/**
 * Site administration: what only an administrator may do, listed together.
 *
 * - Open the administration pages (`/admin`): `page-access.ts` conceals the tree from everyone
 *   else (an unknown address), and sends an administrator without two-factor to set it up.
 * - Open the development tools (`/dev`, only under `npm run dev`): the same rule.
 * - Run the administration services, each checked where the work is done with `requireAdmin`,
 *   not only by the pages: accounts (`accounts/admin.service.ts`), organisations
 *   (`organisations/organisation.service.ts`), practice topics and site reviewers
 *   (`practice/topics.service.ts`).
 * - In every group, act as its owner and read everything (`group.policy.ts`, `isAdmin`), and read
 *   every site-wide and group practice entry (`practice.policy.ts`, `readable` and its SQL).
 *
 * Anyone else is refused as "not found", so nobody learns what exists.
 */
import { DomainError } from '../errors.ts';
import type { SessionUser } from '../auth/session.ts';

export type Administrator = Pick<SessionUser, 'id' | 'email' | 'isAdmin' | 'status'>;

/** Is this account an administrator in good standing? */
export function mayAdminister(user: Pick<SessionUser, 'isAdmin' | 'status'> | null | undefined): boolean {
	return !!user?.isAdmin && user.status === 'active';
}

/** Throws "not found" unless this account may administer the site. */
export function requireAdmin(user: Pick<SessionUser, 'isAdmin' | 'status'> | null | undefined): void {
	if (!mayAdminister(user)) throw new DomainError('not_found', 'Page not found');
}
