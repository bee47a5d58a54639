/**
 * npm run admin -- create-admin --email x@y [--name "Display Name"]
 * Creates or promotes a site administrator. A new account gets a one-time link to set
 * its password (printed here). Uses DATABASE_URL, or the embedded database in DATA_DIR
 * (stop Muster first: the data directory is locked). Exits non-zero on any error.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../lib/server/config.ts';
import { createContext } from '../../lib/server/context.ts';
import { createOrPromoteAdmin } from '../../lib/server/accounts/admin.service.ts';
import { email as emailSchema } from '../../lib/server/accounts/account.schemas.ts';
import { createLogger } from '../../lib/server/logger.ts';
import { describeStartupError } from '../startup-errors.ts';

const USAGE = 'usage: npm run admin -- create-admin --email name@example.org [--name "Display Name"]';

async function run(): Promise<void> {
	const { positionals, values } = parseArgs({
		args: process.argv.slice(2),
		allowPositionals: true,
		options: { email: { type: 'string' }, name: { type: 'string' } }
	});
	if (positionals[0] !== 'create-admin' || !values.email) throw new Error(USAGE);
	const email = emailSchema.safeParse(values.email);
	if (!email.success)
		throw new Error(`--email: ${email.error.issues[0]?.message ?? 'not an e-mail address'}`);
	const loaded = loadConfig(process.env);
	if (!loaded.ok) throw new Error(`the configuration has problems:\n  ${loaded.errors.join('\n  ')}`);
	const ctx = await createContext(loaded.config, {
		logger: createLogger({ ...loaded.config, logLevel: 'warn' })
	});
	try {
		const result = await createOrPromoteAdmin(ctx, email.data, values.name);
		if (result.created) {
			console.log(`Created administrator ${email.data}.`);
			console.log(
				`Send them this one-time link to set a password (valid 7 days):\n  ${result.setPasswordLink}`
			);
		} else {
			console.log(`${email.data} is an administrator.`);
		}
		console.log(
			'Administrators must set up two-factor authentication before using the administration pages.'
		);
	} finally {
		await ctx.close();
	}
}

run().catch((error) => {
	process.stderr.write(`${describeStartupError(error)}\n`);
	process.exit(1);
});
