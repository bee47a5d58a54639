/**
 * Starts the built host once for the browser tests, on a free port, against a fresh
 * database (a new PostgreSQL database when DATABASE_URL/TEST_DATABASE_URL is set, a new
 * embedded data directory otherwise), and tears both down afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, spawnHost, waitForReady } from '../support/spawn-host.ts';
import { createTestDatabase } from '../support/test-database.ts';
import { testConfig } from '../support/test-context.ts';
import { createUser } from '../support/accounts.ts';
import { createContext } from '../../src/lib/server/context.ts';
import { startMailSink } from '../support/mail-sink.ts';

/** One administrator per project (js-on, js-off), made before the host starts, as `npm run admin` would. */
export const E2E_ADMIN_KEY = new Uint8Array(20).fill(11);
export const e2eAdminEmail = (project: string) => `e2e-admin-${project}@npcc.police.uk`;
/** A second administrator per project, for the layout journey (codes are single use per account). */
export const e2eLayoutAdminEmail = (project: string) => `e2e-layout-${project}@npcc.police.uk`;

export default async function globalSetup(): Promise<() => Promise<void>> {
	const database = await createTestDatabase('e2e');
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-e2e-'));
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const secretKey = randomBytes(32).toString('base64');
	const dataDirEnv = database.url ? undefined : path.join(dataDir, 'data');
	// The one role no page gives: administrators, made in the database before the host
	// starts (the embedded database takes one process at a time).
	const ctx = await createContext(
		testConfig({ DATABASE_URL: database.url, DATA_DIR: dataDirEnv, SECRET_KEY: secretKey }),
		{ migrate: true }
	);
	try {
		for (const project of ['js-on', 'js-off']) {
			await createUser(ctx, e2eAdminEmail(project), {
				admin: true,
				totpKey: E2E_ADMIN_KEY,
				displayName: `Administrator ${project}`
			});
			await createUser(ctx, e2eLayoutAdminEmail(project), {
				admin: true,
				totpKey: E2E_ADMIN_KEY,
				displayName: `Layout administrator ${project}`
			});
		}
	} finally {
		await ctx.close();
	}
	// Mail goes out over real SMTP to a sink on loopback; tests read it from this file.
	const mailFile = path.join(dataDir, 'mail.jsonl');
	const sink = await startMailSink({ file: mailFile });
	const host = await spawnHost({
		port,
		env: {
			SECRET_KEY: secretKey,
			ORIGIN: origin,
			// Tests say which address they come from (X-Forwarded-For), as if through a local proxy.
			TRUST_PROXY: 'loopback',
			DATABASE_URL: database.url,
			DATA_DIR: dataDirEnv,
			SMTP_URL: sink.url,
			// Notification e-mail goes out at once (the delay is tested in the integration tests).
			NOTIFY_EMAIL_DELAY_MINUTES: '0'
		}
	});
	try {
		await waitForReady(host);
	} catch (error) {
		await host.stop(2_000);
		await sink.close();
		await database.drop();
		throw error;
	}
	process.env.MUSTER_E2E_URL = origin;
	process.env.MUSTER_E2E_MAIL = mailFile;

	return async () => {
		const code = await host.stop();
		await sink.close();
		await database.drop();
		fs.rmSync(dataDir, { recursive: true, force: true });
		if (code !== 0) throw new Error(`Muster did not shut down cleanly (exit ${code}):\n${host.output()}`);
	};
}
