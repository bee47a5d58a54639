/**
 * Time-based one-time passwords (RFC 6238) with @oslojs/otp: 30-second steps, six
 * digits, one step of grace either side for clock drift. Time comes from the caller
 * so tests control the clock.
 */
import { createTOTPKeyURI, generateHOTP, verifyHOTP } from '@oslojs/otp';
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { renderSVG } from 'uqr';
import { generateToken, hashToken } from './tokens.ts';

const STEP_SECONDS = 30;
const DIGITS = 6;

export function generateTotpKey(): Uint8Array {
	const key = new Uint8Array(20);
	crypto.getRandomValues(key);
	return key;
}

function counterAt(now: Date, offset = 0): bigint {
	return BigInt(Math.floor(now.getTime() / 1000 / STEP_SECONDS) + offset);
}

export function totpCode(key: Uint8Array, now: Date): string {
	return generateHOTP(key, counterAt(now), DIGITS);
}

/** The time step the code belongs to (now, or one either side), or undefined if it matches none. */
export function matchTotpStep(key: Uint8Array, code: string, now: Date): number | undefined {
	const digits = code.replace(/\s/g, '');
	if (!/^\d{6}$/.test(digits)) return undefined;
	for (const offset of [0, -1, 1]) {
		const counter = counterAt(now, offset);
		if (verifyHOTP(key, counter, DIGITS, digits)) return Number(counter);
	}
	return undefined;
}

export function verifyTotpCode(key: Uint8Array, code: string, now: Date): boolean {
	return matchTotpStep(key, code, now) !== undefined;
}

/** The key as people type it into an authenticator app, in groups of four. */
export function formatTotpKey(key: Uint8Array): string {
	return encodeBase32UpperCaseNoPadding(key).replace(/(.{4})(?=.)/g, '$1 ');
}

export function totpQrSvg(key: Uint8Array, accountName: string): string {
	const uri = createTOTPKeyURI('Muster', accountName, key, STEP_SECONDS, DIGITS);
	return renderSVG(uri, { border: 2 });
}

/** Ten single-use recovery codes, e.g. "k7m2-q9xr-4bzt". Shown once; only hashes are kept. */
export function generateRecoveryCodes(count = 10): string[] {
	return Array.from({ length: count }, () =>
		generateToken()
			.slice(0, 12)
			.replace(/(.{4})(?=.)/g, '$1-')
	);
}

export function hashRecoveryCode(code: string): string {
	return hashToken(code.toLowerCase().replace(/[^a-z0-9]/g, ''));
}
