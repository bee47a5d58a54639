import type { Kysely } from 'kysely';

// The time step of the last two-factor code accepted for each account, so a code that
// has been used cannot be used again (RFC 6238 §5.2). Frozen once landed.
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('users').addColumn('totp_last_step', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('users').dropColumn('totp_last_step').execute();
}
