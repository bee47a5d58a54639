/**
 * One schema per form, shared by form actions and (later) the JSON API.
 * Messages follow the GOV.UK pattern: say what to do, name the field.
 */
import { z } from 'zod';

const EMAIL_FORMAT =
	/^[^\s@<>()[\]\\,;:"]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

export const email = z
	.string({ message: 'Enter your e-mail address' })
	.trim()
	.min(1, { message: 'Enter your e-mail address' })
	.max(254, { message: 'E-mail address must be 254 characters or fewer' })
	.regex(EMAIL_FORMAT, {
		message: 'Enter an e-mail address in the correct format, like name@force.police.uk'
	})
	.transform((v) => v.toLowerCase());

export const displayName = z
	.string({ message: 'Enter your name' })
	.trim()
	.min(1, { message: 'Enter your name' })
	.max(100, { message: 'Name must be 100 characters or fewer' })
	.refine((v) => !/[<>]/.test(v), { message: 'Name must not contain < or >' });

/** Length and common-password checks happen in passwordProblem (they need context). */
export const newPassword = z
	.string({ message: 'Enter a password' })
	.min(1, { message: 'Enter a password' })
	.max(256, { message: 'Password must be 256 characters or fewer' });

export const currentPassword = z
	.string({ message: 'Enter your password' })
	.min(1, { message: 'Enter your password' })
	.max(256, { message: 'Password must be 256 characters or fewer' });

export const otpCode = z
	.string({ message: 'Enter the 6-digit code from your authenticator app' })
	.transform((v) => v.replace(/\s/g, ''))
	.refine((v) => v.length > 0, { message: 'Enter the 6-digit code from your authenticator app' })
	.refine((v) => /^\d{6}$/.test(v), { message: 'The code must be 6 digits, like 123456' });

export const reason = z
	.string({ message: 'Enter a reason' })
	.trim()
	.min(1, { message: 'Enter a reason' })
	.max(500, { message: 'Reason must be 500 characters or fewer' });

const optionalText = (max: number, label: string) =>
	z
		.string()
		.trim()
		.max(max, { message: `${label} must be ${max} characters or fewer` })
		.transform((v) => (v === '' ? null : v));

export const registerSchema = z.object({ email, displayName, password: newPassword });
export const signInSchema = z.object({
	email: z
		.string()
		.trim()
		.min(1, { message: 'Enter your e-mail address' })
		.max(254, { message: 'E-mail address must be 254 characters or fewer' })
		.transform((v) => v.toLowerCase()),
	password: currentPassword
});
export const emailOnlySchema = z.object({ email });
export const newPasswordSchema = z.object({ password: newPassword });
export const changePasswordSchema = z.object({ currentPassword, password: newPassword });
export const profileSchema = z.object({
	displayName,
	jobTitle: optionalText(100, 'Job title'),
	bio: optionalText(1000, 'About you')
});
export const otpSchema = z.object({ code: otpCode });
export const recoveryCodeSchema = z.object({
	code: z
		.string()
		.trim()
		.min(1, { message: 'Enter one of your recovery codes' })
		.max(40, { message: 'Enter a recovery code as it was shown, like k7m2-q9xr-4bzt' })
});
export const enrolTwoFactorSchema = z.object({
	key: z.string().regex(/^[A-Za-z0-9+/=]{20,64}$/),
	code: otpCode
});
/** Turning two-factor off, or making new recovery codes: the password and a current code. */
export const passwordAndCodeSchema = z.object({ password: currentPassword, code: otpCode });
export const reasonSchema = z.object({ reason });
