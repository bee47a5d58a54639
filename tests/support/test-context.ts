/**
 * An application context (and optionally the whole host) on a fresh test database.
 */
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/lib/server/config.ts';
import {
	createContext,
	setAppContext,
	type AppContext,
	type CreateContextOptions
} from '../../src/lib/server/context.ts';
import { buildApp, type BuildAppOptions } from '../../src/server/app.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export const HANDLER_PATH = fileURLToPath(new URL('../../build/handler.js', import.meta.url));

export function testConfig(env: Record<string, string | undefined> = {}): Config {
	const loaded = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: 'memory://', ...env });
	if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
	return loaded.config;
}

export interface TestContext {
	ctx: AppContext;
	database: TestDatabase;
	close(): Promise<void>;
}

export async function createTestContext(
	label: string,
	options: CreateContextOptions & { env?: Record<string, string | undefined> } = {}
): Promise<TestContext> {
	const database = await createTestDatabase(label);
	const config = testConfig({ DATABASE_URL: database.url, ...options.env });
	const ctx = await createContext(config, { migrate: true, ...options });
	return {
		ctx,
		database,
		async close() {
			await ctx.close();
			await database.drop();
		}
	};
}

export interface TestHost extends TestContext {
	app: FastifyInstance;
}

/** The full host (SvelteKit included), registered as the process's context like main.ts does. */
export async function createTestHost(
	label: string,
	options: CreateContextOptions & {
		env?: Record<string, string | undefined>;
		pages?: boolean;
		hub?: BuildAppOptions['hub'];
	} = {}
): Promise<TestHost> {
	const pages = options.pages ?? true;
	if (pages && !existsSync(HANDLER_PATH)) {
		throw new Error(
			`The pages are not built (${HANDLER_PATH} is missing): run npm run build before the tests.`
		);
	}
	const base = await createTestContext(label, options);
	setAppContext(base.ctx);
	const app = await buildApp(base.ctx, {
		svelteKitHandler: pages ? HANDLER_PATH : undefined,
		schemaCheckMs: 0,
		hub: options.hub
	});
	await app.ready();
	return {
		...base,
		app,
		async close() {
			await app.close();
			setAppContext(undefined);
			await base.close();
		}
	};
}
