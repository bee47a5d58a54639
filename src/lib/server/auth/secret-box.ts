/**
 * Encryption at rest for small secrets (two-factor keys): AES-256-GCM with a key
 * derived from SECRET_KEY. Format: "v1." + base64(iv | tag | ciphertext).
 * Also signatures for links that must not be forged (one-click unsubscribe): HMAC-SHA256
 * with a second key derived from SECRET_KEY, over a purpose and a message.
 */
import {
	createCipheriv,
	createDecipheriv,
	createHash,
	createHmac,
	randomBytes,
	timingSafeEqual
} from 'node:crypto';

export interface SecretBox {
	seal(plain: Uint8Array): string;
	open(sealed: string): Uint8Array;
	/** A URL-safe signature of `message` for one purpose (a signature for one purpose fits no other). */
	sign(purpose: string, message: string): string;
	verify(purpose: string, message: string, signature: string): boolean;
}

export function createSecretBox(secretKey: string): SecretBox {
	const key = createHash('sha256').update(`muster:secret-box:v1:${secretKey}`).digest();
	const signingKey = createHash('sha256').update(`muster:sign:v1:${secretKey}`).digest();
	const sign = (purpose: string, message: string) =>
		createHmac('sha256', signingKey).update(`${purpose}\n${message}`).digest('base64url');
	return {
		sign,
		verify(purpose, message, signature) {
			const expected = Buffer.from(sign(purpose, message));
			const given = Buffer.from(signature);
			return given.length === expected.length && timingSafeEqual(given, expected);
		},
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
