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

export const POSTS_PER_PAGE = 20;

/** "123-modern-slavery-referrals" → 123. */
export function threadIdFrom(param: string): number | undefined {
	const match = /^(\d{1,15})(-[a-z0-9-]*)?$/.exec(param);
	return match ? Number(match[1]) : undefined;
}

export function threadSlug(title: string): string {
	return title
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60)
		.replace(/-+$/g, '');
}

export function threadPath(groupSlug: string, thread: { id: number; title: string }): string {
	const slug = threadSlug(thread.title);
	return `/groups/${groupSlug}/t/${thread.id}${slug ? `-${slug}` : ''}`;
}

export function pageOf(number: number): number {
	return Math.max(1, Math.ceil(number / POSTS_PER_PAGE));
}
