/**
 * Site administration, checked where the work is done (not only by the pages' guard): an
 * action that only administrators may take refuses everyone else as "not found", as the
 * pages do, so nobody learns that it exists.
 */
import { DomainError } from '../errors.ts';
import type { SessionUser } from './session.ts';

export type Administrator = Pick<SessionUser, 'id' | 'email' | 'isAdmin' | 'status'>;

export function requireAdmin(user: Pick<SessionUser, 'isAdmin' | 'status'> | null | undefined): void {
	if (!user?.isAdmin || user.status !== 'active') throw new DomainError('not_found', 'Page not found');
}
