/**
 * Pictures are re-encoded before they are kept, so that nothing about where or with what they
 * were taken goes with them: sharp writes a new image of the same kind from the pixels alone,
 * leaving out EXIF (including GPS position, camera and owner), XMP and IPTC. A photo taken on
 * its side is turned upright first, as its EXIF orientation says, since that goes too.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import sharp from 'sharp';
import { DomainError } from '../errors.ts';
import type { FileKind } from './file-types.ts';
import type { FileStorage, Received } from './storage.ts';

/** Pictures larger than this many pixels are refused rather than decoded (a "pixel bomb"). */
const MAX_PIXELS = 100_000_000;

export async function withoutMetadata(
	storage: FileStorage,
	received: Received,
	kind: FileKind,
	maxBytes: number
): Promise<Received> {
	const cleaned = `${received.tempPath}.clean`;
	try {
		const animated = kind.mediaType === 'image/gif' || kind.mediaType === 'image/webp';
		let image = sharp(received.tempPath, { animated, limitInputPixels: MAX_PIXELS });
		if (kind.mediaType === 'image/jpeg') image = image.rotate().jpeg({ quality: 90, mozjpeg: true });
		else if (kind.mediaType === 'image/png') image = image.png();
		else if (kind.mediaType === 'image/webp') image = image.webp({ quality: 90 });
		else if (kind.mediaType === 'image/gif') image = image.gif();
		await image.toFile(cleaned);
	} catch {
		await rm(cleaned, { force: true });
		await storage.discard(received);
		throw new DomainError(
			'invalid',
			'This picture could not be read, so it was not accepted. Save it again as PNG or JPEG and upload that.',
			'file'
		);
	}
	try {
		// Kept under the hash of the bytes that are actually stored.
		return await storage.receive(createReadStream(cleaned), maxBytes);
	} finally {
		await rm(cleaned, { force: true });
		await storage.discard(received);
	}
}
