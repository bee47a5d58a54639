/**
 * @mentions: "@Sam Officer" names a member of the group. Mentions are turned into links
 * to the person's profile before the Markdown is rendered, and the people mentioned are
 * notified (notifications/notify.ts: in the app, and by e-mail as they chose). Only the
 * group's own members can be mentioned, so a mention never reveals a group, or notifies
 * anyone, outside its audience. Code is left alone.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { escapeMarkdownText, renderMarkdown } from '../markdown/markdown.ts';

export interface Mentionable {
	id: string;
	displayName: string;
}

export async function groupMembersByName(db: Kysely<Database>, groupId: number): Promise<Mentionable[]> {
	return db
		.selectFrom('groupMembers')
		.innerJoin('users', 'users.id', 'groupMembers.userId')
		.select(['users.id', 'users.displayName'])
		.where('groupMembers.groupId', '=', groupId)
		.where('users.status', '=', 'active')
		.execute();
}

/** At most this many names are offered after "@". */
export const MENTION_SUGGESTIONS = 8;

/**
 * Members whose name contains what was typed after "@", for the suggestions list. Asked for
 * while typing, so reading a thread never loads a whole group's membership.
 */
export interface Suggestion {
	id: string;
	name: string;
	/** Shown beside the name: two members may share one. */
	organisation: string | null;
}

export async function suggestMembers(
	db: Kysely<Database>,
	groupId: number,
	typed: string,
	excludeUserId: string
): Promise<Suggestion[]> {
	const pattern = `%${typed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
	const rows = await db
		.selectFrom('groupMembers')
		.innerJoin('users', 'users.id', 'groupMembers.userId')
		.leftJoin('organisations', 'organisations.id', 'users.organisationId')
		.select(['users.id', 'users.displayName', 'organisations.name as organisation'])
		.where('groupMembers.groupId', '=', groupId)
		.where('users.status', '=', 'active')
		.where('users.id', '!=', excludeUserId)
		.where(sql<boolean>`users.display_name ilike ${pattern}`)
		.orderBy('users.displayName')
		.orderBy('users.id')
		.limit(MENTION_SUGGESTIONS)
		.execute();
	return rows.map((r) => ({ id: r.id, name: r.displayName, organisation: r.organisation }));
}

const CODE = /(```[\s\S]*?```|`[^`\n]*`)/g;

/** Replaces "@Name" with a Markdown link for each member named; returns who was mentioned. */
export function linkMentions(
	source: string,
	members: Mentionable[]
): { source: string; mentioned: Mentionable[] } {
	if (!source.includes('@') || members.length === 0) return { source, mentioned: [] };
	// Longest names first, so "@Sam Officer" wins over "@Sam".
	const byLength = [...members].sort((a, b) => b.displayName.length - a.displayName.length);
	const mentioned = new Map<string, Mentionable>();
	const parts = source.split(CODE);
	const out = parts.map((part, i) => {
		if (i % 2 === 1) return part; // inside code
		let result = '';
		let rest = part;
		for (let at = rest.indexOf('@'); at !== -1; at = rest.indexOf('@')) {
			const before = at === 0 ? '' : rest[at - 1]!;
			result += rest.slice(0, at);
			rest = rest.slice(at);
			// Not part of an e-mail address or a word, and not escaped ("\@Name" is just text).
			const member = /[\w.\\]/.test(before)
				? undefined
				: byLength.find((m) => {
						const candidate = rest.slice(1, 1 + m.displayName.length);
						const after = rest[1 + m.displayName.length] ?? '';
						return candidate.toLowerCase() === m.displayName.toLowerCase() && !/[\w]/.test(after);
					});
			if (member) {
				mentioned.set(member.id, member);
				result += `[@${escapeMarkdownText(member.displayName)}](/people/${member.id})`;
				rest = rest.slice(1 + member.displayName.length);
			} else {
				result += '@';
				rest = rest.slice(1);
			}
		}
		return result + rest;
	});
	return { source: out.join(''), mentioned: [...mentioned.values()] };
}

/** The post's HTML, with its mentions linked, and who is mentioned. */
export async function renderPost(db: Kysely<Database>, groupId: number, source: string) {
	const members = source.includes('@') ? await groupMembersByName(db, groupId) : [];
	const linked = linkMentions(source, members);
	return { html: renderMarkdown(linked.source), mentioned: linked.mentioned };
}
