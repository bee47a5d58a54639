/**
 * Starts the built host once for the browser tests, on a free port, against a fresh
 * database (a new PostgreSQL database when DATABASE_URL/TEST_DATABASE_URL is set, a new
 * embedded data directory otherwise), and tears both down afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, spawnHost, waitForReady } from '../support/spawn-host.ts';
import { createTestDatabase } from '../support/test-database.ts';

export default async function globalSetup(): Promise<() => Promise<void>> {
	const database = await createTestDatabase('e2e');
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-e2e-'));
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const host = await spawnHost({
		port,
		env: {
			ORIGIN: origin,
			// Tests say which address they come from (X-Forwarded-For), as if through a local proxy.
			TRUST_PROXY: 'loopback',
			DATABASE_URL: database.url,
			DATA_DIR: database.url ? undefined : path.join(dataDir, 'data')
		}
	});
	try {
		await waitForReady(host);
	} catch (error) {
		await host.stop(2_000);
		await database.drop();
		throw error;
	}
	process.env.MUSTER_E2E_URL = origin;

	return async () => {
		const code = await host.stop();
		await database.drop();
		fs.rmSync(dataDir, { recursive: true, force: true });
		if (code !== 0) throw new Error(`Muster did not shut down cleanly (exit ${code}):\n${host.output()}`);
	};
}
