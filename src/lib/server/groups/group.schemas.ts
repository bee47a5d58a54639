import { z } from 'zod';
import { formId } from '../forms.ts';
import { TOO_DEEP, tooDeeplyNested } from '../markdown/markdown.ts';

export const groupSettingsSchema = z.object({
	name: z
		.string()
		.trim()
		.min(3, { message: 'Enter a group name of at least 3 characters' })
		.max(100, { message: 'Group name must be 100 characters or fewer' }),
	description: z
		.string()
		.trim()
		.max(5000, { message: 'Description must be 5,000 characters or fewer' })
		.refine((v) => !tooDeeplyNested(v), { message: TOO_DEEP })
		.default(''),
	visibility: z.enum(['open', 'restricted', 'private'], { message: 'Select who can join' }),
	audience: z.enum(['police', 'police_partner'], { message: 'Select who the group is for' }),
	/** A checkbox (settings only; a new group takes it from its visibility). */
	emailWithoutContent: z.preprocess((v) => v === 'true', z.boolean()),
	/** A checkbox (settings only; a new group lets members upload). */
	membersMayUpload: z.preprocess((v) => v === 'true', z.boolean())
});

export const requestMessageSchema = z.object({
	message: z
		.string()
		.trim()
		.max(1000, { message: 'Your message must be 1,000 characters or fewer' })
		.default('')
});

export const declineSchema = z.object({
	request: formId('That request was not found.'),
	reason: z
		.string()
		.trim()
		.min(1, { message: 'Enter a reason: the person asking will see it' })
		.max(500, { message: 'Reason must be 500 characters or fewer' })
});

export const memberReasonSchema = z.object({
	reason: z
		.string()
		.trim()
		.min(1, { message: 'Enter a reason' })
		.max(500, { message: 'Reason must be 500 characters or fewer' })
});

export const roleSchema = z.object({
	role: z.enum(['owner', 'moderator', 'member'], { message: 'Select a role' }),
	// Its own name: the member page also has the removal form's `reason`.
	roleReason: z
		.string({ message: 'Enter a reason for the change' })
		.trim()
		.min(1, { message: 'Enter a reason for the change' })
		.max(500, { message: 'Reason must be 500 characters or fewer' })
});

export const inviteSchema = z.object({
	email: z
		.string()
		.trim()
		.min(1, { message: 'Enter the e-mail address to invite' })
		.max(254, { message: 'E-mail address must be 254 characters or fewer' })
		.regex(/^[^\s@<>()[\]\\,;:"]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i, {
			message: 'Enter an e-mail address in the correct format, like name@force.police.uk'
		})
		.transform((v) => v.toLowerCase()),
	days: z.coerce
		.number({ message: 'Enter a number of days from 1 to 90' })
		.int({ message: 'Enter a whole number of days from 1 to 90' })
		.min(1, { message: 'Enter a number of days from 1 to 90' })
		.max(90, { message: 'Enter a number of days from 1 to 90' })
		.default(14)
});

/** "Modern slavery & human trafficking" → "modern-slavery-human-trafficking". */
export function slugify(name: string): string {
	const slug = name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 50)
		.replace(/-+$/g, '');
	return slug.length >= 2 ? slug : `group-${slug || 'new'}`;
}

/**
 * The addresses to try for a new group, in order: its name's slug, then numbered, then with
 * a random suffix, so a valid name is never refused for want of an address. A name with no
 * Latin letters or digits (Cyrillic, Arabic, Chinese, symbols) starts at the random ones.
 */
export function* slugCandidates(name: string, random: () => string): Generator<string> {
	const base = slugify(name);
	if (!base.startsWith('group-new')) {
		yield base;
		for (let n = 2; n <= 5; n++) yield `${base}-${n}`;
	}
	const stem = base.startsWith('group-new') ? 'group' : base;
	for (;;) yield `${stem}-${random()}`;
}
