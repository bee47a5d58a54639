/**
 * Accounts for tests, created directly (registration itself is tested on its own).
 */
import type { AppContext } from '../../src/lib/server/context.ts';
import { hashPassword } from '../../src/lib/server/auth/password.ts';
import { findOrganisationForEmail } from '../../src/lib/server/organisations/organisation.repository.ts';
import { totpCode } from '../../src/lib/server/auth/totp.ts';
import type { WebClient } from './web-client.ts';

export const PASSWORD = 'plum-orbit-lantern-42';

export interface TestUser {
	id: string;
	email: string;
	password: string;
	totpKey?: Uint8Array;
}

export async function createUser(
	ctx: AppContext,
	email: string,
	options: { admin?: boolean; verified?: boolean; displayName?: string; totpKey?: Uint8Array } = {}
): Promise<TestUser> {
	const organisation = await findOrganisationForEmail(ctx.db, email);
	const now = ctx.now();
	const row = await ctx.db
		.insertInto('users')
		.values({
			email,
			displayName: options.displayName ?? email.split('@')[0]!,
			organisationId: organisation?.id ?? null,
			kind: organisation?.kind ?? 'guest',
			isAdmin: options.admin ?? false,
			passwordHash: await hashPassword(PASSWORD),
			passwordChangedAt: now,
			emailVerifiedAt: options.verified === false ? null : now,
			totpKeyEncrypted: options.totpKey ? ctx.secrets.seal(options.totpKey) : null,
			totpEnabledAt: options.totpKey ? now : null
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return { id: row.id, email, password: PASSWORD, totpKey: options.totpKey };
}

/** Signs in through the real form (and the code step when the account has two-factor). */
export async function signIn(client: WebClient, ctx: AppContext, user: TestUser): Promise<void> {
	const res = await client.post('/login', { email: user.email, password: user.password });
	if (res.status !== 303) throw new Error(`sign-in failed (${res.status}): ${res.body.slice(0, 500)}`);
	if (res.location?.startsWith('/login/two-factor')) {
		if (!user.totpKey) throw new Error('two-factor asked for an account without a key');
		const step = await client.post('/login/two-factor', { code: totpCode(user.totpKey, ctx.now()) });
		if (step.status !== 303) throw new Error(`two-factor step failed (${step.status})`);
	}
}
