import type { AppContext } from '$lib/server/context';
import type { Logger } from '$lib/server/logger';

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
		}
	}
}

export {};
