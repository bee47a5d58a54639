/**
 * The group library (issue 17): uploads stream through the host to storage and are kept only
 * when their real type is on the allow-list, within the limits, by someone the policy lets
 * add to the group; every file URL asks the same policy as the pages ("not found" otherwise);
 * files are served so that they cannot run; names are cleaned; an interrupted upload leaves
 * nothing; versions are kept; viruses are quarantined (with a real clamd and the EICAR file).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { readdirSync, existsSync } from 'node:fs';
import { utimes, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { removeUnreferencedFiles } from '../../src/lib/server/library/cleanup.ts';
import path from 'node:path';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { buildWorld, type World, type ViewerName } from '../support/world.ts';
import { clamdAvailable, EICAR, startClamd, type Clamd } from '../support/clamd.ts';
import { textOf } from '../support/web-client.ts';
import type { LocalDiskStorage } from '../../src/lib/server/library/storage.ts';
import { docxWithText, pdfWithText } from '../support/documents.ts';
import sharp from 'sharp';
import exifr from 'exifr';

const PDF = Buffer.from(
	'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'
);
// A Windows program's first bytes ("MZ", then the offset of its PE header and the header).
const EXE = (() => {
	const b = Buffer.alloc(512);
	b.write('MZ', 0, 'ascii');
	b.writeUInt32LE(0x80, 0x3c);
	b.write('PE\0\0', 0x80, 'binary');
	return b;
})();
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64'
);

function multipart(fields: Record<string, string>, file?: { name: string; data: Buffer; type?: string }) {
	const boundary = `----muster${Math.random().toString(16).slice(2)}`;
	const parts: Buffer[] = [];
	for (const [name, value] of Object.entries(fields))
		parts.push(
			Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
		);
	if (file)
		parts.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`
			),
			file.data,
			Buffer.from('\r\n')
		);
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

let host: TestHost;
let world: World;
const sessions = new Map<ViewerName, string | undefined>();
const MAX = 1024 * 1024;

beforeAll(async () => {
	host = await createTestHost('library', { env: { FILE_MAX_MB: '1', FILE_QUOTA_MB: '3' } });
	world = await buildWorld(host.ctx);
	for (const viewer of [
		'anonymous',
		'unconfirmed',
		'password only',
		'guest',
		'partner',
		'police',
		'moderator',
		'admin'
	] as const)
		sessions.set(viewer, await world.newSession(viewer));
});
afterAll(async () => {
	await host?.close();
});

function cookie(viewer: ViewerName): string {
	const token = sessions.get(viewer);
	return token ? `muster_session=${token}` : '';
}

async function upload(
	viewer: ViewerName,
	url: string,
	fields: Record<string, string>,
	file?: { name: string; data: Buffer; type?: string },
	options: { json?: boolean; origin?: string } = {}
) {
	const { body, type } = multipart(fields, file);
	const res = await host.app.inject({
		method: 'POST',
		url,
		headers: {
			cookie: cookie(viewer),
			origin: options.origin ?? host.ctx.config.origin,
			'content-type': type,
			accept: options.json ? 'application/json' : 'text/html'
		},
		payload: body
	});
	return res;
}

/** A form sent as a browser without JavaScript sends it. */
function post(viewer: ViewerName, url: string, fields: Record<string, string>) {
	return host.app.inject({
		method: 'POST',
		url,
		headers: {
			cookie: cookie(viewer),
			origin: host.ctx.config.origin,
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html'
		},
		payload: new URLSearchParams(fields).toString()
	});
}

function get(viewer: ViewerName, url: string) {
	return host.app.inject({ method: 'GET', url, headers: { cookie: cookie(viewer), accept: 'text/html' } });
}

async function addDocument(
	viewer: ViewerName,
	slug: string,
	file: { name: string; data: Buffer },
	title = 'Referral form'
): Promise<{ documentId: number; versionId: number }> {
	const res = await upload(viewer, `/groups/${slug}/library/upload`, { title, description: '' }, file, {
		json: true
	});
	expect(res.statusCode, res.body).toBe(201);
	const { documentId } = res.json() as { documentId: number };
	const version = await host.ctx.db
		.selectFrom('documentVersions')
		.select('id')
		.where('documentId', '=', documentId)
		.orderBy('number', 'desc')
		.executeTakeFirstOrThrow();
	return { documentId, versionId: version.id };
}

async function counts() {
	const [docs, versions, files] = await Promise.all(
		(['documents', 'documentVersions', 'files'] as const).map((t) =>
			host.ctx.db
				.selectFrom(t)
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow()
		)
	);
	return { docs: Number(docs!.n), versions: Number(versions!.n), files: Number(files!.n) };
}

/** Files left in the storage's temporary area (there must never be any after a request). */
function temporaryFiles(): string[] {
	const tmp = path.join((host.ctx.files.storage as LocalDiskStorage).root, 'tmp');
	return existsSync(tmp) ? readdirSync(tmp) : [];
}

describe('uploading and downloading', () => {
	it('a member adds a PDF without JavaScript; it is listed, and downloads as it was, inline, unable to run', async () => {
		const res = await upload(
			'police',
			`/groups/${world.open.slug}/library/upload`,
			{ title: 'Winter newsletter', description: 'Our Winter 2018/19 newsletter.' },
			{ name: 'newsletter.pdf', data: PDF, type: 'application/pdf' }
		);
		expect(res.statusCode).toBe(303);
		expect(res.headers.location).toMatch(
			new RegExp(`^/groups/${world.open.slug}/library/\\d+\\?notice=document-added$`)
		);
		const page = await get('police', res.headers.location as string);
		expect(page.statusCode).toBe(200);
		const text = textOf(page.body);
		expect(text).toContain('Winter newsletter');
		expect(text).toContain('The document has been added to the library.');
		expect(text).toContain('Not scanned');
		const href = /href="(\/files\/\d+\/newsletter\.pdf)"/.exec(page.body)?.[1];
		expect(href).toBeTruthy();

		const list = await get('police', `/groups/${world.open.slug}/library`);
		expect(textOf(list.body)).toMatch(/Winter newsletter.*PDF/s);

		const file = await get('police', href!);
		expect(file.statusCode).toBe(200);
		expect(file.rawPayload.equals(PDF)).toBe(true);
		expect(file.headers['content-type']).toBe('application/pdf');
		expect(file.headers['content-disposition']).toBe(
			`inline; filename="newsletter.pdf"; filename*=UTF-8''newsletter.pdf`
		);
		expect(file.headers['x-content-type-options']).toBe('nosniff');
		expect(String(file.headers['content-security-policy'])).toMatch(/(^|; )sandbox(;|$)/);
		expect(String(file.headers['content-security-policy'])).toContain("default-src 'none'");
		expect(file.headers['cache-control']).toBe('private, no-store');
	});

	it('with JavaScript the answer is JSON; a CSV downloads as an attachment with its name', async () => {
		const { versionId } = await addDocument('police', world.open.slug, {
			name: 'contacts.csv',
			data: Buffer.from('force,contact\nKent,SPOC\n')
		});
		const file = await get('police', `/files/${versionId}/contacts.csv`);
		expect(file.statusCode).toBe(200);
		expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
		expect(file.headers['content-disposition']).toMatch(/^attachment; filename="contacts\.csv"/);
	});

	it('identical files are stored once', async () => {
		const before = await counts();
		await addDocument('police', world.open.slug, { name: 'again.pdf', data: PDF }, 'The same newsletter');
		const after = await counts();
		expect(after.docs).toBe(before.docs + 1);
		expect(after.files).toBe(before.files);
	});
});

describe('who may reach a file: the same policy as the pages, on every file URL', () => {
	let open: { documentId: number; versionId: number };
	let closed: { documentId: number; versionId: number };
	beforeAll(async () => {
		open = await addDocument('police', world.open.slug, { name: 'open.pdf', data: PDF }, 'Open guidance');
		closed = await addDocument(
			'moderator',
			world.closed.slug,
			{ name: 'covert.txt', data: Buffer.from('Operation details for the private group.\n') },
			'Covert briefing'
		);
	});

	// The open group admits police and partners; its members are the police officer and the
	// moderator (its owner). The private group's only member is the moderator.
	const cases: Array<[ViewerName, boolean, boolean]> = [
		// viewer, reads the open group's file, reads the private group's file
		['unconfirmed', false, false],
		['password only', false, false],
		['guest', false, false],
		['partner', false, false],
		['police', true, false],
		['moderator', true, true],
		['admin', true, true]
	];
	for (const [viewer, openOk, closedOk] of cases) {
		it(`${viewer}: ${openOk ? 'reads' : 'does not find'} the open group's file, ${closedOk ? 'reads' : 'does not find'} the private group's`, async () => {
			for (const [doc, ok, slug] of [
				[open, openOk, world.open.slug],
				[closed, closedOk, world.closed.slug]
			] as const) {
				const file = await get(viewer, `/files/${doc.versionId}/anything.pdf`);
				const bare = await get(viewer, `/files/${doc.versionId}`);
				const page = await get(viewer, `/groups/${slug}/library/${doc.documentId}`);
				if (ok) {
					expect(file.statusCode).toBe(200);
					expect(bare.statusCode).toBe(200);
					expect(page.statusCode).toBe(200);
				} else {
					// Signed in without every factor, or unconfirmed: sent to finish signing in.
					expect([303, 404]).toContain(file.statusCode);
					if (file.statusCode === 303) expect(file.headers.location).toMatch(/^\/login/);
					else expect(file.body).toBe('This file does not exist, or you cannot see it.');
					expect(file.body).not.toContain('Operation details');
					expect([303, 403, 404]).toContain(page.statusCode);
					expect(page.body).not.toContain('Covert briefing');
				}
			}
		});
	}

	it('signed out: every file URL sends to sign in, whether or not the file exists', async () => {
		for (const url of [`/files/${closed.versionId}/x.txt`, '/files/999999/x.txt']) {
			const res = await get('anonymous', url);
			expect(res.statusCode).toBe(303);
			expect(res.headers.location).toMatch(/^\/login\?next=/);
		}
	});

	it('a version that does not exist, and malformed addresses, are not found', async () => {
		for (const url of [
			'/files/999999/x.pdf',
			'/files/0/x.pdf',
			'/files/abc/x.pdf',
			'/files/1e3/x',
			'/files/-1/x'
		]) {
			const res = await get('admin', url);
			expect(res.statusCode, url).toBe(404);
		}
	});

	it('downloads from a private group are written to the audit log; from an open group they are not', async () => {
		const audited = async () =>
			Number(
				(
					await host.ctx.db
						.selectFrom('auditLog')
						.select((eb) => eb.fn.countAll<number>().as('n'))
						.where('action', '=', 'library.downloaded')
						.executeTakeFirstOrThrow()
				).n
			);
		const before = await audited();
		expect((await get('police', `/files/${open.versionId}/open.pdf`)).statusCode).toBe(200);
		expect(await audited()).toBe(before);
		expect((await get('moderator', `/files/${closed.versionId}/covert.txt`)).statusCode).toBe(200);
		expect(await audited()).toBe(before + 1);
		const row = await host.ctx.db
			.selectFrom('auditLog')
			.selectAll()
			.where('action', '=', 'library.downloaded')
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(row.actorId).toBe(world.users.moderator.id);
		expect(row.details).toMatchObject({ title: 'Covert briefing', file: 'covert.txt' });
	});

	it('nobody outside a group can upload to it, and the refusal keeps nothing', async () => {
		const before = await counts();
		const partner = await upload(
			'partner',
			`/groups/${world.open.slug}/library/upload`,
			{ title: 'Intrusion' },
			{ name: 'x.pdf', data: PDF },
			{ json: true }
		);
		expect(partner.statusCode).toBe(403);
		const police = await upload(
			'police',
			`/groups/${world.closed.slug}/library/upload`,
			{ title: 'Intrusion' },
			{ name: 'x.pdf', data: PDF },
			{ json: true }
		);
		expect(police.statusCode).toBe(404);
		const anonymous = await upload(
			'anonymous',
			`/groups/${world.open.slug}/library/upload`,
			{ title: 'x' },
			{ name: 'x.pdf', data: PDF }
		);
		expect(anonymous.statusCode).toBe(303);
		expect(anonymous.headers.location).toMatch(/^\/login/);
		const crossSite = await upload(
			'police',
			`/groups/${world.open.slug}/library/upload`,
			{ title: 'Forged' },
			{ name: 'x.pdf', data: PDF },
			{ origin: 'https://evil.example' }
		);
		expect(crossSite.statusCode).toBe(403);
		expect(await counts()).toEqual(before);
		expect(temporaryFiles()).toEqual([]);
	});
});

describe('what is accepted: the real type, never the name', () => {
	const refused: Array<[string, string, Buffer, RegExp]> = [
		['a program named .pdf', 'report.pdf', EXE, /Windows program/],
		[
			'a web page named .txt',
			'notes.txt',
			Buffer.from('<!DOCTYPE html><script>alert(1)</script>'),
			/web page/
		],
		[
			'an SVG picture',
			'logo.svg',
			Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
			/SVG/
		],
		['a shell script', 'run.txt', Buffer.from('#!/bin/sh\nrm -rf /\n'), /script/],
		['a zip archive', 'files.pdf', Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64'), /zip archive/],
		['text named .pdf', 'fake.pdf', Buffer.from('just some words\n'), /named \.pdf but holds plain text/],
		['an empty file', 'empty.txt', Buffer.alloc(0), /empty/],
		['unknown binary', 'blob.bin', Buffer.from([0, 1, 2, 3, 255, 254, 0, 7]), /could not tell/]
	];
	for (const [what, name, data, message] of refused) {
		it(`refuses ${what} with a clear message, keeping nothing`, async () => {
			const before = await counts();
			const res = await upload(
				'police',
				`/groups/${world.open.slug}/library/upload`,
				{ title: what },
				{ name, data },
				{ json: true }
			);
			expect(res.statusCode).toBe(400);
			expect((res.json() as { error: { message: string; field: string } }).error).toMatchObject({
				field: 'file'
			});
			expect((res.json() as { error: { message: string } }).error.message).toMatch(message);
			expect(await counts()).toEqual(before);
			expect(temporaryFiles()).toEqual([]);
		});
	}

	it('without JavaScript a refusal goes back to the form with its message and what was typed', async () => {
		const res = await upload(
			'police',
			`/groups/${world.open.slug}/library/upload`,
			{ title: 'My typed title', description: 'Typed words' },
			{ name: 'report.pdf', data: EXE }
		);
		expect(res.statusCode).toBe(303);
		const page = await get('police', res.headers.location as string);
		expect(page.statusCode).toBe(200);
		expect(textOf(page.body)).toContain('There is a problem');
		expect(textOf(page.body)).toContain('This file is a Windows program, which Muster does not accept.');
		expect(page.body).toContain('value="My typed title"');
		expect(page.body).toContain('Typed words');
	});

	it('a message put into the form page address by someone else is not shown', async () => {
		const forged = Buffer.from(JSON.stringify(['file', 'Call 0800 FAKE to unlock your account'])).toString(
			'base64url'
		);
		const page = await get('police', `/groups/${world.open.slug}/library/upload?problem=${forged}&sig=abc`);
		expect(page.statusCode).toBe(200);
		expect(page.body).not.toContain('0800 FAKE');
	});

	it('a picture is accepted and shown inline', async () => {
		const { versionId } = await addDocument('police', world.open.slug, { name: 'map.png', data: PNG }, 'Map');
		const file = await get('police', `/files/${versionId}/map.png`);
		expect(file.headers['content-type']).toBe('image/png');
		expect(file.headers['content-disposition']).toMatch(/^inline;/);
	});
});

describe('pictures keep their pixels only', () => {
	it('a photo’s position, camera and owner are removed before it is kept', async () => {
		const photo = await sharp({ create: { width: 16, height: 12, channels: 3, background: '#336699' } })
			.withExif({
				IFD0: { Make: 'Muster test camera', Model: 'Handset 9', Artist: 'DC Secret' },
				IFD3: {
					GPSLatitudeRef: 'N',
					GPSLatitude: '53/1 45/1 0/1',
					GPSLongitudeRef: 'W',
					GPSLongitude: '2/1 42/1 0/1'
				}
			})
			.jpeg()
			.toBuffer();
		const before = await exifr.parse(photo, { gps: true, xmp: true });
		expect(before).toMatchObject({ Make: 'Muster test camera', latitude: 53.75 });
		const { versionId } = await addDocument(
			'police',
			world.open.slug,
			{ name: 'scene.jpg', data: photo },
			'Scene photo'
		);
		const file = await get('police', `/files/${versionId}/scene.jpg`);
		expect(file.statusCode).toBe(200);
		expect(file.headers['content-type']).toBe('image/jpeg');
		expect(await exifr.parse(file.rawPayload, { gps: true, xmp: true, iptc: true })).toBeUndefined();
		const size = await sharp(file.rawPayload).metadata();
		expect([size.width, size.height]).toEqual([16, 12]);
		const stored = await host.ctx.db
			.selectFrom('documentVersions')
			.select(['size'])
			.where('id', '=', versionId)
			.executeTakeFirstOrThrow();
		expect(Number(stored.size)).toBe(file.rawPayload.length);
	});

	it('a picture that cannot be read is refused with a message, and nothing is kept', async () => {
		const before = await counts();
		const broken = Buffer.concat([
			Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
			Buffer.alloc(64, 7)
		]);
		const res = await upload(
			'police',
			`/groups/${world.open.slug}/library/upload`,
			{ title: 'Broken' },
			{ name: 'broken.png', data: broken },
			{ json: true }
		);
		expect(res.statusCode).toBe(400);
		expect((res.json() as { error: { message: string } }).error.message).toMatch(/picture could not be read/);
		expect(await counts()).toEqual(before);
		expect(temporaryFiles()).toEqual([]);
	});
});

describe('limits and names', () => {
	it('a file over the limit is refused with 413 and nothing is kept', async () => {
		const before = await counts();
		const big = Buffer.alloc(MAX + 10, 'a');
		const json = await upload(
			'police',
			`/groups/${world.open.slug}/library/upload`,
			{ title: 'Big' },
			{ name: 'big.txt', data: big },
			{ json: true }
		);
		expect(json.statusCode).toBe(413);
		expect((json.json() as { error: { message: string } }).error.message).toBe(
			'The file is larger than 1 MB. Choose a smaller file.'
		);
		const form = await upload(
			'police',
			`/groups/${world.open.slug}/library/upload`,
			{ title: 'Big' },
			{ name: 'big.txt', data: big }
		);
		expect(form.statusCode).toBe(303);
		const page = await get('police', form.headers.location as string);
		expect(textOf(page.body)).toContain('The file is larger than 1 MB. Choose a smaller file.');
		expect(await counts()).toEqual(before);
		expect(temporaryFiles()).toEqual([]);
	});

	it('a file exactly at the limit is accepted', async () => {
		await addDocument(
			'admin',
			world.open.slug,
			{ name: 'exact.txt', data: Buffer.alloc(MAX, 'b') },
			'Exactly one megabyte'
		);
	});

	it('past the per-account allowance, an upload is refused and says how much is used', async () => {
		const slug = world.open.slug;
		// The admin has 1 MB so far (and the world's small site guidance); the allowance is 3 MB.
		await addDocument('admin', slug, { name: 'two.txt', data: Buffer.alloc(MAX, 'c') }, 'Second megabyte');
		await addDocument('admin', slug, { name: 'three.txt', data: Buffer.alloc(MAX - 4096, 'd') }, 'Third');
		const before = await counts();
		const res = await upload(
			'admin',
			`/groups/${slug}/library/upload`,
			{ title: 'Over' },
			{ name: 'over.txt', data: Buffer.alloc(8192, 'e') },
			{ json: true }
		);
		expect(res.statusCode).toBe(400);
		expect((res.json() as { error: { message: string } }).error.message).toMatch(/upload allowance of 3 MB/);
		expect(await counts()).toEqual(before);
	});

	it('names lose folders, control and bidi characters, keep the real extension, and are cut to 200 characters', async () => {
		const cases: Array<[string, Buffer, string]> = [
			['../../etc/passwd.txt', Buffer.from('root\n'), 'passwd.txt'],
			['..\\..\\windows\\report.pdf', PDF, 'report.pdf'],
			['invoice\u202Etxt.pdf', PDF, 'invoicetxt.pdf'],
			['tab\there.pdf', PDF, 'tab here.pdf'],
			['noextension', PDF, 'noextension.pdf'],
			['picture.jpeg.png', PNG, 'picture.jpeg.png'],
			[`${'a'.repeat(600)}.pdf`, PDF, `${'a'.repeat(196)}.pdf`],
			['Résumé – Kent.pdf', PDF, 'Résumé – Kent.pdf']
		];
		for (const [given, data, kept] of cases) {
			const res = await upload(
				'police',
				`/groups/${world.open.slug}/library/upload`,
				{ title: 'Named' },
				{ name: given, data },
				{ json: true }
			);
			expect(res.statusCode, given).toBe(201);
			const version = await host.ctx.db
				.selectFrom('documentVersions')
				.select(['id', 'originalName'])
				.where('documentId', '=', (res.json() as { documentId: number }).documentId)
				.executeTakeFirstOrThrow();
			expect(version.originalName, given).toBe(kept);
			const file = await get('police', `/files/${version.id}/x`);
			const disposition = String(file.headers['content-disposition']);
			expect(disposition).toContain(
				`filename*=UTF-8''${encodeURIComponent(kept).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`
			);
			// The plain fallback is ASCII only, without quotes or backslashes.
			expect(/filename="([^"]*)"/.exec(disposition)![1]).toMatch(/^[\x20-\x7e]*$/);
		}
	});

	it('an upload cut off half way leaves no document and no file', async () => {
		await host.app.listen({ port: 0, host: '127.0.0.1' });
		const address = host.app.server.address() as { port: number };
		const before = await counts();
		const boundary = '----musterinterrupted';
		const head =
			`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nHalf\r\n` +
			`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.txt"\r\nContent-Type: text/plain\r\n\r\n`;
		await new Promise<void>((resolve, reject) => {
			const socket = connect(address.port, '127.0.0.1', () => {
				socket.write(
					`POST /groups/${world.open.slug}/library/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
						`Origin: ${host.ctx.config.origin}\r\nCookie: ${cookie('police')}\r\n` +
						`Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 500000\r\n\r\n` +
						head
				);
				socket.write(Buffer.alloc(100_000, 'x'), () => {
					// Gone, as a browser tab closed mid-upload.
					setImmediate(() => socket.destroy());
				});
			});
			socket.on('close', () => resolve());
			socket.on('error', reject);
		});
		// The host notices the closed connection; wait until it has cleaned up its temporary file.
		await expect.poll(() => temporaryFiles(), { timeout: 10_000 }).toEqual([]);
		expect(await counts()).toEqual(before);
	});
});

describe('versions, changes and deletion', () => {
	it('the uploader adds a version; both versions stay downloadable, with who and when', async () => {
		const { documentId, versionId: first } = await addDocument(
			'police',
			world.open.slug,
			{ name: 'form-v1.pdf', data: PDF },
			'Referral form v'
		);
		const v2 = Buffer.concat([PDF, Buffer.from('% second version\n')]);
		const res = await upload(
			'police',
			`/groups/${world.open.slug}/library/${documentId}/versions`,
			{},
			{ name: 'form-v2.pdf', data: v2 }
		);
		expect(res.statusCode).toBe(303);
		expect(res.headers.location).toBe(
			`/groups/${world.open.slug}/library/${documentId}?notice=version-added`
		);
		const page = await get('police', res.headers.location as string);
		const text = textOf(page.body);
		expect(text).toContain('The new version has been added.');
		expect(text).toMatch(/Version\s*2, uploaded/);
		expect(text).toContain('form-v1.pdf');
		expect(text).toContain('form-v2.pdf');
		expect((await get('police', `/files/${first}/form-v1.pdf`)).rawPayload.equals(PDF)).toBe(true);
		const second = await host.ctx.db
			.selectFrom('documentVersions')
			.select('id')
			.where('documentId', '=', documentId)
			.where('number', '=', 2)
			.executeTakeFirstOrThrow();
		expect((await get('police', `/files/${second.id}/form-v2.pdf`)).rawPayload.equals(v2)).toBe(true);
	});

	it('another member cannot add a version of someone else’s document; a moderator can', async () => {
		const { documentId } = await addDocument(
			'moderator',
			world.open.slug,
			{ name: 'mod.pdf', data: PDF },
			'Moderator’s guide'
		);
		const member = await upload(
			'police',
			`/groups/${world.open.slug}/library/${documentId}/versions`,
			{},
			{ name: 'v.pdf', data: PDF },
			{ json: true }
		);
		expect(member.statusCode).toBe(403);
		expect((member.json() as { error: { message: string } }).error.message).toMatch(
			/Only the person who added this document, or a moderator/
		);
		const { documentId: policeDoc } = await addDocument(
			'police',
			world.open.slug,
			{ name: 'p.pdf', data: PDF },
			'Police note'
		);
		const moderator = await upload(
			'moderator',
			`/groups/${world.open.slug}/library/${policeDoc}/versions`,
			{},
			{ name: 'p2.pdf', data: Buffer.concat([PDF, Buffer.from('%m\n')]) },
			{ json: true }
		);
		expect(moderator.statusCode).toBe(201);
	});

	it('a moderator deletes a member’s document with a reason; members no longer find it; restored, it is back', async () => {
		const { documentId, versionId } = await addDocument(
			'police',
			world.open.slug,
			{ name: 'old.pdf', data: PDF },
			'Out-of-date guidance'
		);
		const url = `/groups/${world.open.slug}/library/${documentId}`;
		const form = (viewer: ViewerName, action: string, fields: Record<string, string>) =>
			post(viewer, `${url}?/${action}`, fields);
		const noReason = await form('moderator', 'delete', { reason: '' });
		expect(noReason.statusCode).toBe(400);
		expect(textOf(noReason.body)).toContain('Give a reason');
		expect((await get('police', url)).statusCode).toBe(200);
		const deleted = await form('moderator', 'delete', { reason: 'Superseded by the 2026 guidance' });
		expect(deleted.statusCode).toBe(303);
		expect((await get('police', url)).statusCode).toBe(404);
		expect((await get('police', `/files/${versionId}/old.pdf`)).statusCode).toBe(404);
		expect(textOf((await get('police', `/groups/${world.open.slug}/library`)).body)).not.toContain(
			'Out-of-date guidance'
		);
		// The moderator still sees it, to restore it.
		expect(textOf((await get('moderator', `/groups/${world.open.slug}/library`)).body)).toContain(
			'Out-of-date guidance'
		);
		const restored = await form('moderator', 'restore', { reason: 'Deleted by mistake' });
		expect(restored.statusCode).toBe(303);
		expect((await get('police', url)).statusCode).toBe(200);
		const audit = await host.ctx.db
			.selectFrom('auditLog')
			.select(['action', 'details'])
			.where('action', 'in', ['library.document_deleted', 'library.document_restored'])
			.orderBy('id')
			.execute();
		expect(audit.map((a) => [a.action, (a.details as { reason: string }).reason])).toEqual([
			['library.document_deleted', 'Superseded by the 2026 guidance'],
			['library.document_restored', 'Deleted by mistake']
		]);
	});

	it('when the group allows only moderators to add, a member is told so and a moderator still can', async () => {
		await host.ctx.db
			.updateTable('groups')
			.set({ membersMayUpload: false })
			.where('slug', '=', world.open.slug)
			.execute();
		try {
			const member = await upload(
				'police',
				`/groups/${world.open.slug}/library/upload`,
				{ title: 'x' },
				{ name: 'x.pdf', data: PDF },
				{ json: true }
			);
			expect(member.statusCode).toBe(403);
			expect((member.json() as { error: { message: string } }).error.message).toBe(
				'In this group only moderators add documents to the library.'
			);
			const page = await get('police', `/groups/${world.open.slug}/library/upload`);
			expect(page.statusCode).toBe(403);
			expect(textOf((await get('police', `/groups/${world.open.slug}/library`)).body)).not.toContain(
				'Upload a document'
			);
			await addDocument(
				'moderator',
				world.open.slug,
				{ name: 'm.pdf', data: Buffer.concat([PDF, Buffer.from('%mod only\n')]) },
				'Moderators only'
			);
		} finally {
			await host.ctx.db
				.updateTable('groups')
				.set({ membersMayUpload: true })
				.where('slug', '=', world.open.slug)
				.execute();
		}
	});

	it('folders: a moderator adds one (one level of nesting); documents go in it; members cannot add folders', async () => {
		const base = `/groups/${world.open.slug}/library`;
		const refused = await post('police', `${base}?/folder`, { name: 'Mine' });
		expect(refused.statusCode).toBe(403);
		const made = await post('moderator', `${base}?/folder`, { name: 'Training' });
		expect(made.statusCode).toBe(303);
		const folder = await host.ctx.db
			.selectFrom('libraryFolders')
			.select('id')
			.where('name', '=', 'Training')
			.executeTakeFirstOrThrow();
		const again = await post('moderator', `${base}?/folder`, { name: 'training' });
		expect(textOf(again.body)).toContain('There is already a folder with this name here.');
		const child = await post('moderator', `${base}?/folder`, { name: 'Slides', parent: String(folder.id) });
		expect(child.statusCode).toBe(303);
		const childRow = await host.ctx.db
			.selectFrom('libraryFolders')
			.select('id')
			.where('name', '=', 'Slides')
			.executeTakeFirstOrThrow();
		const deeper = await post('moderator', `${base}?/folder`, {
			name: 'Too deep',
			parent: String(childRow.id)
		});
		expect(textOf(deeper.body)).toContain('A folder can hold folders only one level deep.');
		const res = await upload(
			'police',
			`${base}/upload`,
			{ title: 'Training slides', folder: String(childRow.id) },
			{ name: 's.pdf', data: Buffer.concat([PDF, Buffer.from('%slides\n')]) },
			{ json: true }
		);
		expect(res.statusCode).toBe(201);
		const inFolder = await get('police', `${base}?folder=${childRow.id}`);
		expect(textOf(inFolder.body)).toContain('Training slides');
		expect(textOf((await get('police', base)).body)).not.toContain('Training slides');
		// A folder of another group is not a place in this one.
		const otherGroup = await upload(
			'moderator',
			`/groups/${world.closed.slug}/library/upload`,
			{ title: 'Wrong place', folder: String(folder.id) },
			{ name: 'w.pdf', data: PDF },
			{ json: true }
		);
		expect(otherGroup.statusCode).toBe(400);
		expect((otherGroup.json() as { error: { field: string } }).error.field).toBe('folder');
		expect((await get('police', `${base}?folder=999999`)).statusCode).toBe(404);
	});
});

describe('what an attacker would try next', () => {
	it('a refusal before the body is read closes the connection; a kept upload does not', async () => {
		const refused = await upload(
			'partner',
			`/groups/${world.open.slug}/library/upload`,
			{ title: 'x' },
			{ name: 'x.pdf', data: PDF },
			{ json: true }
		);
		expect(refused.statusCode).toBe(403);
		expect(refused.headers.connection).toBe('close');
		expect((refused.json() as { error: { code: string } }).error.code).toBe('forbidden');
		const kept = await upload(
			'police',
			`/groups/${world.open.slug}/library/upload`,
			{ title: 'Kept' },
			{ name: 'k.txt', data: Buffer.from('kept\n') },
			{ json: true }
		);
		expect(kept.statusCode).toBe(201);
		expect(kept.headers.connection).not.toBe('close');
	});

	it('a missing title is refused before the file is read, even when the file is too large', async () => {
		const res = await upload(
			'police',
			`/groups/${world.open.slug}/library/upload`,
			{ title: '   ' },
			{ name: 'big.txt', data: Buffer.alloc(MAX + 10, 'a') },
			{ json: true }
		);
		expect(res.statusCode).toBe(400);
		expect((res.json() as { error: { field: string; message: string } }).error).toEqual({
			code: 'invalid',
			field: 'title',
			message: 'Enter a title for the document.'
		});
	});

	it('HEAD does not describe a file (a download is only ever a GET, and audited)', async () => {
		const res = await host.app.inject({
			method: 'HEAD',
			url: `/files/${(await addDocument('moderator', world.closed.slug, { name: 'h.txt', data: Buffer.from('head\n') }, 'Head')).versionId}/h.txt`,
			headers: { cookie: cookie('moderator') }
		});
		expect(res.statusCode).not.toBe(200);
		expect(res.headers['content-disposition']).toBeUndefined();
	});

	it('uploads sent at the same moment cannot together go over the allowance', async () => {
		// The moderator has used only a few kilobytes of the 3 MB allowance: four 0.9 MB files fit
		// three times at most, however they arrive.
		const used = async () =>
			Number(
				(
					await host.ctx.db
						.selectFrom('documentVersions')
						.select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('n'))
						.where('uploadedBy', '=', world.users.moderator.id)
						.executeTakeFirstOrThrow()
				).n
			);
		const results = await Promise.all(
			Array.from({ length: 6 }, (_, i) =>
				upload(
					'moderator',
					`/groups/${world.closed.slug}/library/upload`,
					{ title: `Parallel ${i}` },
					{ name: `p${i}.txt`, data: Buffer.alloc(Math.floor(MAX * 0.9), String.fromCharCode(97 + i)) },
					{ json: true }
				)
			)
		);
		const kept = results.filter((r) => r.statusCode === 201).length;
		expect(kept).toBeGreaterThan(0);
		expect(results.every((r) => r.statusCode === 201 || r.statusCode === 400)).toBe(true);
		expect(await used()).toBeLessThanOrEqual(3 * MAX);
		expect(temporaryFiles()).toEqual([]);
	});
});

describe('the site library', () => {
	it('every police and partner account reads it and downloads from it; guests and the unconfirmed do not', async () => {
		const version = await host.ctx.db
			.selectFrom('documentVersions')
			.select('id')
			.where('documentId', '=', world.siteDocumentId)
			.executeTakeFirstOrThrow();
		const cases: Array<[ViewerName, number, number]> = [
			['partner', 200, 200],
			['police', 200, 200],
			['moderator', 200, 200],
			['admin', 200, 200],
			['guest', 403, 404],
			['unconfirmed', 303, 303]
		];
		for (const [viewer, page, file] of cases) {
			const list = await get(viewer, '/library');
			expect(list.statusCode, viewer).toBe(page);
			if (page === 200) expect(textOf(list.body)).toContain('National guidance');
			else expect(list.body).not.toContain('National guidance');
			expect((await get(viewer, `/files/${version.id}/guidance.pdf`)).statusCode, viewer).toBe(file);
		}
		// Not audited: the site library is for everyone.
		expect(
			await host.ctx.db
				.selectFrom('auditLog')
				.select('id')
				.where('action', '=', 'library.downloaded')
				.where('targetType', '=', 'site_library')
				.executeTakeFirst()
		).toBeUndefined();
	});

	it('only administrators and publishers (with two-factor) add to it; an administrator makes a publisher, with a reason', async () => {
		const refused = await upload(
			'police',
			'/library/upload',
			{ title: 'Mine' },
			{ name: 'm.pdf', data: PDF },
			{ json: true }
		);
		expect(refused.statusCode).toBe(403);
		expect((refused.json() as { error: { message: string } }).error.message).toBe(
			'Only administrators and the library’s publishers add to the site library.'
		);
		expect((await get('police', '/library/upload')).statusCode).toBe(403);
		// The moderator has two-factor authentication; the administrator makes them a publisher.
		const noReason = await post('admin', `/admin/users/${world.users.moderator.id}?/publisher`, {
			publisher: 'true',
			publisherReason: ''
		});
		expect(noReason.statusCode).toBe(400);
		const made = await post('admin', `/admin/users/${world.users.moderator.id}?/publisher`, {
			publisher: 'true',
			publisherReason: 'Edits the regional newsletter'
		});
		expect(made.statusCode).toBe(303);
		expect(made.headers.location).toBe(`/admin/users/${world.users.moderator.id}?notice=publisher-granted`);
		// Someone who is not an administrator cannot make anyone a publisher.
		const notAdmin = await post('moderator', `/admin/users/${world.users.police.id}?/publisher`, {
			publisher: 'true',
			publisherReason: 'Sneaky'
		});
		expect(notAdmin.statusCode).toBe(404);
		const published = await upload(
			'moderator',
			'/library/upload',
			{ title: 'Winter newsletter 2026', description: 'Regional round-up.' },
			{ name: 'newsletter.pdf', data: Buffer.concat([PDF, Buffer.from('%site\n')]) }
		);
		expect(published.statusCode).toBe(303);
		expect(published.headers.location).toMatch(/^\/library\/\d+\?notice=document-added$/);
		expect(textOf((await get('partner', '/library')).body)).toContain('Winter newsletter 2026');
		const audit = await host.ctx.db
			.selectFrom('auditLog')
			.select(['action', 'details', 'targetType'])
			.where('action', 'in', ['account.library_publisher_granted', 'library.document_added'])
			.orderBy('id', 'desc')
			.limit(2)
			.execute();
		expect(audit.map((a) => a.action).sort()).toEqual([
			'account.library_publisher_granted',
			'library.document_added'
		]);
		expect(audit.find((a) => a.action === 'library.document_added')?.targetType).toBe('site_library');
		// A document in the site library is not in any group's, and the other way round.
		const docId = Number(/\/library\/(\d+)/.exec(published.headers.location as string)![1]);
		expect((await get('moderator', `/groups/${world.open.slug}/library/${docId}`)).statusCode).toBe(404);
		expect((await get('moderator', `/library/${world.open.documentId}`)).statusCode).toBe(404);
		// Taken back, the publisher can no longer add.
		await post('admin', `/admin/users/${world.users.moderator.id}?/publisher`, {
			publisher: 'false',
			publisherReason: 'Moved on'
		});
		const after = await upload(
			'moderator',
			'/library/upload',
			{ title: 'Late' },
			{ name: 'l.pdf', data: PDF },
			{ json: true }
		);
		expect(after.statusCode).toBe(403);
	});
});

describe('search finds documents by their words, only for those who may read them', () => {
	it('a PDF in the private group, a Word document in the open group and a text file in the site library', async () => {
		await addDocument(
			'moderator',
			world.closed.slug,
			{ name: 'op.pdf', data: pdfWithText('Operation Kestrel targets carwash exploitation in Preston') },
			'Briefing pack'
		);
		const form = await addDocument(
			'police',
			world.open.slug,
			{ name: 'form.docx', data: docxWithText('Referral pathway for carwash workers and nail bars') },
			'Referral form'
		);
		await host.ctx.db
			.updateTable('users')
			.set({ libraryPublisher: true })
			.where('id', '=', world.users.moderator.id)
			.execute();
		const { body, type } = multipart(
			{ title: 'Carwash checklist' },
			{ name: 'checklist.txt', data: Buffer.from('Questions to ask at a hand carwash: who pays you?\n') }
		);
		const site = await host.app.inject({
			method: 'POST',
			url: '/library/upload',
			headers: {
				cookie: cookie('moderator'),
				origin: host.ctx.config.origin,
				'content-type': type,
				accept: 'application/json'
			},
			payload: body
		});
		expect(site.statusCode, site.body).toBe(201);
		await host.ctx.db
			.updateTable('users')
			.set({ libraryPublisher: false })
			.where('id', '=', world.users.moderator.id)
			.execute();
		// The words are read by a background job.
		await host.ctx.jobs.drain();

		const found = async (viewer: ViewerName, q: string) => {
			const res = await get(viewer, `/search?q=${encodeURIComponent(q)}&kind=document`);
			expect(res.statusCode).toBe(200);
			return textOf(res.body);
		};
		// The PDF's own words (not its title) find it, for the private group's member only.
		expect(await found('moderator', 'Kestrel Preston')).toContain('Briefing pack');
		for (const viewer of ['police', 'partner', 'guest'] as const) {
			const page = await found(viewer, 'Kestrel Preston');
			expect(page, viewer).not.toContain('Briefing pack');
			expect(page, viewer).not.toContain('carwash exploitation');
		}
		// The Word document's words, for the open group's members; not for a partner outside it.
		expect(await found('police', 'nail bars')).toContain('Referral form');
		expect(await found('partner', 'nail bars')).not.toContain('Referral form');
		// The site library's text file, for police and partners, not for guests.
		expect(await found('partner', 'who pays you')).toContain('Carwash checklist');
		expect(await found('police', 'who pays you')).toContain('Site library');
		expect(await found('guest', 'who pays you')).not.toContain('Carwash checklist');
		// A deleted document is no longer found.
		await post('police', `/groups/${world.open.slug}/library/${form.documentId}?/delete`, { reason: '' });
		expect(await found('police', 'nail bars')).not.toContain('Referral form');
	});
});

describe('the clean-up of files nothing refers to', () => {
	it('removes files unreferenced for a day (rows and bytes), bytes never recorded, and old temporary files; keeps the rest', async () => {
		const storage = host.ctx.files.storage as LocalDiskStorage;
		const keep = async (data: Buffer) => {
			const received = await storage.receive(Readable.from([data]), MAX);
			await storage.commit(received);
			await storage.discard(received);
			return received.sha256;
		};
		const dayAndABitAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
		const old = await keep(Buffer.from('unreferenced and old\n'));
		await host.ctx.db
			.insertInto('files')
			.values({ sha256: old, size: 21, mediaType: 'text/plain', createdAt: dayAndABitAgo })
			.execute();
		const recent = await keep(Buffer.from('unreferenced but recent\n'));
		await host.ctx.db
			.insertInto('files')
			.values({ sha256: recent, size: 24, mediaType: 'text/plain' })
			.execute();
		const unrecorded = await keep(Buffer.from('kept, never recorded\n'));
		const kept = path.join(storage.root, unrecorded.slice(0, 2), unrecorded.slice(2, 4), unrecorded);
		await utimes(kept, dayAndABitAgo, dayAndABitAgo);
		const leftover = path.join(storage.root, 'tmp', 'crashed.part');
		await writeFile(leftover, 'half an upload');
		await utimes(leftover, dayAndABitAgo, dayAndABitAgo);
		// A referenced file, however old, stays.
		const { versionId } = await addDocument(
			'police',
			world.open.slug,
			{ name: 'stays.txt', data: Buffer.from('still used\n') },
			'Stays'
		);
		const used = await host.ctx.db
			.selectFrom('documentVersions')
			.select('fileSha256')
			.where('id', '=', versionId)
			.executeTakeFirstOrThrow();
		await host.ctx.db
			.updateTable('files')
			.set({ createdAt: dayAndABitAgo })
			.where('sha256', '=', used.fileSha256)
			.execute();

		const result = await removeUnreferencedFiles({ db: host.ctx.db, storage, now: () => new Date() });
		expect(result).toMatchObject({ unrecorded: 1, temporary: 1 });
		expect(result.rows).toBeGreaterThanOrEqual(1);
		expect(await storage.has(old)).toBe(false);
		expect(
			await host.ctx.db.selectFrom('files').select('sha256').where('sha256', '=', old).executeTakeFirst()
		).toBeUndefined();
		expect(await storage.has(unrecorded)).toBe(false);
		expect(existsSync(leftover)).toBe(false);
		expect(await storage.has(recent)).toBe(true);
		expect(await storage.has(used.fileSha256)).toBe(true);
		expect((await get('police', `/files/${versionId}/stays.txt`)).statusCode).toBe(200);
	});
});

describe.skipIf(!clamdAvailable() && !process.env.CI)('virus scanning with clamd', () => {
	let clamd: Clamd;
	let scanned: TestHost;
	let scannedWorld: World;
	const cookies = new Map<ViewerName, string>();
	beforeAll(async () => {
		clamd = await startClamd();
		scanned = await createTestHost('library-scan', { env: { CLAMAV_URL: clamd.url } });
		scannedWorld = await buildWorld(scanned.ctx);
		for (const viewer of ['police', 'moderator', 'admin'] as const)
			cookies.set(viewer, `muster_session=${(await scannedWorld.newSession(viewer))!}`);
	}, 120_000);
	afterAll(async () => {
		await scanned?.close();
		await clamd?.stop();
	});

	async function put(
		name: string,
		data: Buffer,
		where = `/groups/${scannedWorld.open.slug}/library`,
		viewer: ViewerName = 'police'
	) {
		const { body, type } = multipart({ title: name }, { name, data });
		const res = await scanned.app.inject({
			method: 'POST',
			url: `${where}/upload`,
			headers: {
				cookie: cookies.get(viewer)!,
				origin: scanned.ctx.config.origin,
				'content-type': type,
				accept: 'application/json'
			},
			payload: body
		});
		expect(res.statusCode, res.body).toBe(201);
		const documentId = (res.json() as { documentId: number }).documentId;
		const version = await scanned.ctx.db
			.selectFrom('documentVersions')
			.select('id')
			.where('documentId', '=', documentId)
			.executeTakeFirstOrThrow();
		return { documentId, versionId: version.id };
	}
	const fetchAs = (viewer: ViewerName, url: string) =>
		scanned.app.inject({
			method: 'GET',
			url,
			headers: { cookie: cookies.get(viewer)!, accept: 'text/html' }
		});

	it('a clean file is "Scanning" (not downloadable) until the scan, then downloads', async () => {
		const { documentId, versionId } = await put('clean.pdf', PDF);
		const waiting = await fetchAs('police', `/files/${versionId}/clean.pdf`);
		expect(waiting.statusCode).toBe(409);
		expect(waiting.body).toContain('still being checked for viruses');
		expect(
			textOf((await fetchAs('police', `/groups/${scannedWorld.open.slug}/library/${documentId}`)).body)
		).toContain('Scanning');
		await scanned.ctx.jobs.drain();
		const file = await fetchAs('police', `/files/${versionId}/clean.pdf`);
		expect(file.statusCode).toBe(200);
		expect(file.rawPayload.equals(PDF)).toBe(true);
	});

	it('the EICAR test file is quarantined: never served, and the uploader and moderators are told', async () => {
		const { documentId, versionId } = await put('eicar.txt', EICAR);
		await scanned.ctx.jobs.drain();
		const version = await scanned.ctx.db
			.selectFrom('documentVersions')
			.select(['scanStatus', 'scanSignature'])
			.where('id', '=', versionId)
			.executeTakeFirstOrThrow();
		expect(version).toMatchObject({ scanStatus: 'infected' });
		expect(version.scanSignature).toMatch(/Eicar/i);
		for (const viewer of ['police', 'moderator'] as const) {
			const res = await fetchAs(viewer, `/files/${versionId}/eicar.txt`);
			expect(res.statusCode).toBe(410);
			expect(res.body).not.toContain('EICAR');
		}
		const page = textOf(
			(await fetchAs('police', `/groups/${scannedWorld.open.slug}/library/${documentId}`)).body
		);
		expect(page).toContain('Virus found');
		const told = await scanned.ctx.db
			.selectFrom('notifications')
			.select('userId')
			.where('kind', '=', 'file_quarantined')
			.execute();
		expect(told.map((t) => t.userId).sort()).toEqual(
			[scannedWorld.users.police.id, scannedWorld.users.moderator.id].sort()
		);
		const list = textOf((await fetchAs('police', '/notifications')).body);
		expect(list).toContain('contains a virus (Eicar-Test-Signature');
	});

	it('identical bytes uploaded again are scanned again: nobody learns from the wait that a file exists elsewhere', async () => {
		// The moderator's private group holds a clean, scanned file; a member of the open group,
		// who cannot read the private group, uploads a guess of the same bytes.
		const secret = Buffer.from('Warrant for 14 Acacia Avenue, 06:00 Tuesday.\n');
		const { body, type } = multipart({ title: 'Secret' }, { name: 'plan.txt', data: secret });
		const kept = await scanned.app.inject({
			method: 'POST',
			url: `/groups/${scannedWorld.closed.slug}/library/upload`,
			headers: {
				cookie: cookies.get('moderator')!,
				origin: scanned.ctx.config.origin,
				'content-type': type,
				accept: 'application/json'
			},
			payload: body
		});
		expect(kept.statusCode).toBe(201);
		await scanned.ctx.jobs.drain();
		const guess = await put('guess.txt', secret);
		const res = await fetchAs('police', `/files/${guess.versionId}/guess.txt`);
		expect(res.statusCode).toBe(409);
		await scanned.ctx.jobs.drain();
		expect((await fetchAs('police', `/files/${guess.versionId}/guess.txt`)).statusCode).toBe(200);
		// Infected bytes uploaded again are not refused at once either: scanned, then quarantined.
		const again = await put('again.txt', EICAR);
		expect((await fetchAs('police', `/files/${again.versionId}/again.txt`)).statusCode).toBe(409);
		await scanned.ctx.jobs.drain();
		expect((await fetchAs('police', `/files/${again.versionId}/again.txt`)).statusCode).toBe(410);
	});

	it('a virus in the site library is quarantined, and its publisher is told and led to it', async () => {
		const { documentId, versionId } = await put('site-eicar.txt', EICAR, '/library', 'admin');
		await scanned.ctx.jobs.drain();
		expect((await fetchAs('police', `/files/${versionId}/site-eicar.txt`)).statusCode).toBe(410);
		const notice = await scanned.ctx.db
			.selectFrom('notifications')
			.select(['id', 'userId'])
			.where('kind', '=', 'file_quarantined')
			.where('groupId', 'is', null)
			.executeTakeFirstOrThrow();
		expect(notice.userId).toBe(scannedWorld.users.admin.id);
		expect(textOf((await fetchAs('admin', '/notifications')).body)).toContain(
			'A file in “site-eicar.txt” in the site library contains a virus'
		);
		const opened = await fetchAs('admin', `/notifications/${notice.id}`);
		expect(opened.statusCode).toBe(303);
		expect(opened.headers.location).toBe(`/library/${documentId}`);
	});
});
