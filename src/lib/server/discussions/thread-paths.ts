/**
 * Where a thread lives: its address ("/groups/<group>/t/123-modern-slavery-referrals"), the id
 * in such an address, and which page of the thread holds a post.
 */

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
