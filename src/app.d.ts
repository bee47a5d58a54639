import type { AppContext } from '$lib/server/context';
import type { Logger } from '$lib/server/logger';
import type { Session, SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** Quoted to support so a failure can be found in the logs. */
			requestId?: string;
		}
		interface Locals {
			ctx: AppContext;
			requestId: string;
			log: Logger;
			user: SessionUser | null;
			session: Session | null;
			/** A session cookie came but was no longer valid. */
			sessionEnded: boolean;
		}
	}
}

export {};
