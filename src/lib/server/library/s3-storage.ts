/**
 * File storage on S3-compatible object storage (AWS S3, MinIO, Ceph), for several Muster nodes:
 * every node reads and writes the same bucket. An upload is still received into a temporary
 * file on the node (hashed and counted, so its type and size are checked before anything is
 * kept), then put into the bucket under `files/<ab>/<cd>/<sha256>`; the temporary file is the
 * node's own and is removed as with local disk.
 *
 * Flexible checksums (the SDK's default since early 2025) are sent only when S3 requires them:
 * several S3-compatible servers do not understand their chunked trailers.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
// Types only: the SDK itself is loaded when S3 storage is first made (it is large, and most
// installations keep files on disk).
import type * as Sdk from '@aws-sdk/client-s3';
import {
	checkedHash,
	receiveInto,
	sweepDirectory,
	temporaryName,
	type FileStorage,
	type Received
} from './storage.ts';

export interface S3Options {
	bucket: string;
	/** For S3-compatible servers (MinIO: http://minio:9000); unset for AWS. */
	endpoint?: string;
	region: string;
	accessKeyId?: string;
	secretAccessKey?: string;
	/** The node's own directory for uploads being received. */
	temporaryDir: string;
}

const PREFIX = 'files/';

function keyOf(sha256: string): string {
	const h = checkedHash(sha256);
	return `${PREFIX}${h.slice(0, 2)}/${h.slice(2, 4)}/${h}`;
}

function notFound(error: unknown): boolean {
	const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
	return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

/** S3 storage for these options, its bucket created if missing. */
export async function createS3Storage(options: S3Options): Promise<S3Storage> {
	const storage = new S3Storage(await import('@aws-sdk/client-s3'), options);
	await storage.ensureBucket();
	return storage;
}

export class S3Storage implements FileStorage {
	readonly #sdk: typeof Sdk;
	readonly #client: Sdk.S3Client;
	readonly #bucket: string;
	readonly #tmp: string;

	constructor(sdk: typeof Sdk, options: S3Options) {
		this.#sdk = sdk;
		this.#bucket = options.bucket;
		this.#tmp = options.temporaryDir;
		this.#client = new sdk.S3Client({
			region: options.region,
			...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
			...(options.accessKeyId && options.secretAccessKey
				? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
				: {}),
			requestChecksumCalculation: 'WHEN_REQUIRED',
			responseChecksumValidation: 'WHEN_REQUIRED'
		});
	}

	/** Creates the bucket if it is not there (a fresh MinIO); an existing one is left as it is. */
	async ensureBucket(): Promise<void> {
		try {
			await this.#client.send(new this.#sdk.HeadBucketCommand({ Bucket: this.#bucket }));
		} catch (error) {
			if (!notFound(error)) throw error;
			await this.#client.send(new this.#sdk.CreateBucketCommand({ Bucket: this.#bucket }));
		}
	}

	async receive(source: Readable, maxBytes: number): Promise<Received> {
		await mkdir(this.#tmp, { recursive: true, mode: 0o700 });
		return receiveInto(source, path.join(this.#tmp, temporaryName()), maxBytes);
	}

	async commit(received: Received): Promise<void> {
		if (await this.has(received.sha256)) return;
		await this.#client.send(
			new this.#sdk.PutObjectCommand({
				Bucket: this.#bucket,
				Key: keyOf(received.sha256),
				Body: createReadStream(received.tempPath),
				ContentLength: received.size,
				ContentType: 'application/octet-stream'
			})
		);
	}

	async discard(received: Received): Promise<void> {
		await rm(received.tempPath, { force: true });
	}

	async open(sha256: string): Promise<Readable> {
		const object = await this.#client.send(
			new this.#sdk.GetObjectCommand({ Bucket: this.#bucket, Key: keyOf(sha256) })
		);
		return object.Body as Readable;
	}

	async has(sha256: string): Promise<boolean> {
		try {
			await this.#client.send(new this.#sdk.HeadObjectCommand({ Bucket: this.#bucket, Key: keyOf(sha256) }));
			return true;
		} catch (error) {
			if (notFound(error)) return false;
			throw error;
		}
	}

	async remove(sha256: string): Promise<void> {
		await this.#client.send(new this.#sdk.DeleteObjectCommand({ Bucket: this.#bucket, Key: keyOf(sha256) }));
	}

	async *list(): AsyncIterable<{ sha256: string; writtenAt: Date }> {
		let token: string | undefined;
		do {
			const page = await this.#client.send(
				new this.#sdk.ListObjectsV2Command({ Bucket: this.#bucket, Prefix: PREFIX, ContinuationToken: token })
			);
			for (const object of page.Contents ?? []) {
				const sha256 = object.Key?.split('/').pop() ?? '';
				if (/^[0-9a-f]{64}$/.test(sha256) && object.LastModified)
					yield { sha256, writtenAt: object.LastModified };
			}
			token = page.IsTruncated ? page.NextContinuationToken : undefined;
		} while (token);
	}

	sweepTemporary(before: Date): Promise<number> {
		return sweepDirectory(this.#tmp, before);
	}

	async close(): Promise<void> {
		this.#client.destroy();
	}
}
