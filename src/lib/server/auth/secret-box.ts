/**
 * Encryption at rest for small secrets (two-factor keys): AES-256-GCM with a key
 * derived from SECRET_KEY. Format: "v1." + base64(iv | tag | ciphertext).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface SecretBox {
	seal(plain: Uint8Array): string;
	open(sealed: string): Uint8Array;
}

export function createSecretBox(secretKey: string): SecretBox {
	const key = createHash('sha256').update(`muster:secret-box:v1:${secretKey}`).digest();
	return {
		seal(plain) {
			const iv = randomBytes(12);
			const cipher = createCipheriv('aes-256-gcm', key, iv);
			const body = Buffer.concat([cipher.update(plain), cipher.final()]);
			return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
		},
		open(sealed) {
			if (!sealed.startsWith('v1.')) throw new Error('unknown secret format');
			const raw = Buffer.from(sealed.slice(3), 'base64');
			const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
			decipher.setAuthTag(raw.subarray(12, 28));
			return new Uint8Array(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]));
		}
	};
}
