import type { Transport } from '@sveltejs/kit';
import { postsInPage } from '$lib/posts-in-page';

/** Values that cross from server to browser in a form of their own (see each transporter). */
export const transport: Transport = { postsInPage };
