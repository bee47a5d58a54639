/**
 * The library on S3-compatible object storage (issue 17), against s3rver: an S3-compatible server
 * written in JavaScript (the s3rver package), started by this test on a loopback port with its
 * own directory. It checks what Muster asks of S3: creating the bucket on a fresh server, keeping
 * a file once per content, reading it back byte for byte through the policy, listing and removing
 * unreferenced files. Not covered here: AWS's own authentication, regions and error behaviour
 * (s3rver accepts any signed request), server-side encryption, and MinIO or Ceph themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { buildWorld, type World } from '../support/world.ts';
import { SMALL_PDF, storeDocument } from '../support/library.ts';
import { removeUnreferencedFiles } from '../../src/lib/server/library/cleanup.ts';

let server: S3rver;
let directory: string;
let host: TestHost;
let world: World;

beforeAll(async () => {
	directory = mkdtempSync(path.join(os.tmpdir(), 'muster-s3rver-'));
	server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
	const { port } = await server.run();
	host = await createTestHost('library-s3', {
		env: {
			S3_BUCKET: 'muster-files',
			S3_ENDPOINT: `http://127.0.0.1:${port}`,
			S3_ACCESS_KEY_ID: 'S3RVER',
			S3_SECRET_ACCESS_KEY: 'S3RVER'
		}
	});
	world = await buildWorld(host.ctx);
}, 60_000);

afterAll(async () => {
	await host?.close();
	await server?.close();
	rmSync(directory, { recursive: true, force: true });
});

async function objects(): Promise<string[]> {
	const found: string[] = [];
	for await (const item of host.ctx.files.storage.list()) found.push(item.sha256);
	return found;
}

describe('the library on S3-compatible storage', () => {
	it('keeps each file once, in the bucket, and serves it back through the policy', async () => {
		// The world's documents are already in the bucket: one object for their identical bytes.
		const before = await objects();
		const data = Buffer.concat([SMALL_PDF, Buffer.from('% kept in S3\n')]);
		const first = await storeDocument(host.ctx, world.users.police.user!, world.open.slug, {
			title: 'In the bucket',
			name: 'bucket.pdf',
			data
		});
		await storeDocument(host.ctx, world.users.police.user!, world.open.slug, {
			title: 'Same bytes again',
			name: 'again.pdf',
			data
		});
		expect((await objects()).length).toBe(before.length + 1);
		const token = await world.newSession('police');
		const res = await host.app.inject({
			method: 'GET',
			url: `/files/${first.versionId}/bucket.pdf`,
			headers: { cookie: `muster_session=${token}` }
		});
		expect(res.statusCode).toBe(200);
		expect(res.rawPayload.equals(data)).toBe(true);
		const outsider = await host.app.inject({
			method: 'GET',
			url: `/files/${first.versionId}/bucket.pdf`,
			headers: { cookie: `muster_session=${await world.newSession('partner')}` }
		});
		expect(outsider.statusCode).toBe(404);
	});

	it('the clean-up removes an object nothing refers to, and keeps the rest', async () => {
		const storage = host.ctx.files.storage;
		const received = await storage.receive(
			(await import('node:stream')).Readable.from([Buffer.from('nobody refers to this\n')]),
			1024
		);
		await storage.commit(received);
		await storage.discard(received);
		expect(await storage.has(received.sha256)).toBe(true);
		const kept = await objects();
		// A day later, as the clean-up sees it.
		const result = await removeUnreferencedFiles({
			db: host.ctx.db,
			storage,
			now: () => new Date(Date.now() + 25 * 60 * 60 * 1000)
		});
		expect(result.unrecorded).toBe(1);
		expect(await storage.has(received.sha256)).toBe(false);
		expect((await objects()).sort()).toEqual(kept.filter((sha) => sha !== received.sha256).sort());
	});
});
