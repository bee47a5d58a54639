/**
 * Passwords, following NCSC guidance (ncsc.gov.uk/collection/passwords): a minimum
 * length, a deny-list of common passwords, no composition rules and no expiry.
 * Hashed with argon2id at OWASP's recommended cost.
 */
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

const PASSWORD_MIN = 12;
const PASSWORD_MAX = 256;

// 49,000 passwords most often seen in breaches (zxcvbn-ts' maintained common list).
const COMMON = new Set<string>((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export async function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

// Verifying against this keeps the time of a sign-in for an unknown address the same
// as for a known one, so timing does not reveal which addresses have accounts.
let dummyHash: Promise<string> | undefined;
export async function verifyDummyPassword(password: string): Promise<void> {
	dummyHash ??= hashPassword('muster-dummy-password-for-timing');
	await verifyPassword(await dummyHash, password);
}

/** Why a new password is not acceptable, or undefined when it is. */
export function passwordProblem(
	password: string,
	context: { email?: string; displayName?: string } = {}
): string | undefined {
	if (password.length < PASSWORD_MIN) return `Password must be ${PASSWORD_MIN} characters or more`;
	if (password.length > PASSWORD_MAX) return `Password must be ${PASSWORD_MAX} characters or fewer`;
	const lower = password.toLowerCase();
	if (COMMON.has(lower))
		return 'That password is too common. Choose one that others are unlikely to use, such as three random words';
	const personal = [context.email, context.email?.split('@')[0], context.displayName, 'muster']
		.filter((v): v is string => !!v && v.length >= 4)
		.map((v) => v.toLowerCase());
	if (personal.some((p) => lower === p || lower.replace(/[^a-z0-9]/g, '') === p.replace(/[^a-z0-9]/g, ''))) {
		return 'Password must not be your name, your e-mail address or the name of this service';
	}
	return undefined;
}
