/**
 * Whose eyes a post's words reach, once it has been deleted or hidden: a deleted post's words
 * reach nobody; a hidden one's only the group's moderators (and administrators), who may
 * restore it; the reason it was hidden, the moderators and its author, who is told why.
 * Whether the viewer may read the thread at all is the group policy's question, asked first.
 */

export type PostState = 'visible' | 'deleted' | 'hidden';

export interface PostFacts {
	deletedAt: Date | null;
	hiddenAt: Date | null;
	authorId: string | null;
}

/** As the viewer stands: do they moderate the post's group, and who are they? */
export interface PostReader {
	userId: string;
	moderator: boolean;
}

export function postState(post: Pick<PostFacts, 'deletedAt' | 'hiddenAt'>): PostState {
	return post.deletedAt ? 'deleted' : post.hiddenAt ? 'hidden' : 'visible';
}

/** May this reader see the post's words? */
export function mayReadPostWords(
	post: Pick<PostFacts, 'deletedAt' | 'hiddenAt'>,
	moderator: boolean
): boolean {
	const state = postState(post);
	return state === 'visible' || (state === 'hidden' && moderator);
}

/** May this reader see why the post was hidden? */
export function mayReadHiddenReason(post: Pick<PostFacts, 'authorId'>, reader: PostReader): boolean {
	return reader.moderator || post.authorId === reader.userId;
}
