/** What a person may send to start a thread, reply, or give a moderator's reason. */
import { z } from 'zod';
import { TOO_DEEP, tooDeeplyNested } from '../markdown/markdown.ts';

const body = z
	.string({ message: 'Write your post' })
	.trim()
	.min(1, { message: 'Write your post' })
	.max(20_000, { message: 'A post must be 20,000 characters or fewer' })
	.refine((v) => !tooDeeplyNested(v), { message: TOO_DEEP });

export const newThreadSchema = z.object({
	title: z
		.string({ message: 'Enter a title' })
		.trim()
		.min(3, { message: 'Enter a title of at least 3 characters' })
		.max(150, { message: 'The title must be 150 characters or fewer' }),
	body
});

export const postBodySchema = z.object({ body });

export const moderationReasonSchema = z.object({
	reason: z
		.string()
		.trim()
		.min(1, { message: 'Enter a reason' })
		.max(500, { message: 'The reason must be 500 characters or fewer' })
});
