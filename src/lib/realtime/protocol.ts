/**
 * The live WebSocket's protocol, both directions, in one place for the hub and the browser
 * (so nothing here may import server-only code: the browser bundle includes it). Messages
 * are JSON text frames with a `type` (DESIGN.md, "Real time").
 *
 * Client → server:
 *   {type:"subscribe", channel, since?}  {type:"unsubscribe", channel}  {type:"ping"}
 * Server → client:
 *   {type:"event", id, channel, event, data}  {type:"subscribed", channel, last}
 *   {type:"resync", channel}  {type:"error", code, message, channel?}  {type:"pong"}
 *
 * Each channel's events, and the data each carries, are listed at the end: publishers and
 * the pages that follow a channel meet there.
 *
 * The hub validates what clients send with the schema in server/realtime/client-message.schema.ts
 * (Zod stays out of the browser bundle), which is checked at compile time to match the types here.
 */

// ── Close codes ────────────────────────────────────────────────────────────────────────

/** RFC 6455 §7.4.1: 1001 "going away", e.g. a server going down; reconnect. */
export const CLOSE_GOING_AWAY = 1001;
/** RFC 6455 §7.4.1: 1011, the server could not go on (here: could not check access); reconnect. */
export const CLOSE_TRY_AGAIN = 1011;
/**
 * "Your session ended" (signed out, suspended, expired), from the 4000–4999 range RFC 6455
 * §7.4.2 leaves to applications: the client asks the person to sign in again rather than
 * reconnecting.
 */
export const CLOSE_SESSION_ENDED = 4001;

// ── Client → server ────────────────────────────────────────────────────────────────────

/** The longest channel name a client may ask for. */
export const MAX_CHANNEL_LENGTH = 100;

export interface SubscribeMessage {
	type: 'subscribe';
	channel: string;
	/** The last event id the client has seen: the backlog after it is replayed first. */
	since?: number;
}
export interface UnsubscribeMessage {
	type: 'unsubscribe';
	channel: string;
}
export interface PingMessage {
	type: 'ping';
}
export type ClientMessage = SubscribeMessage | UnsubscribeMessage | PingMessage;

// ── Server → client ────────────────────────────────────────────────────────────────────

export interface EventFrame {
	type: 'event';
	id: number;
	channel: string;
	/** The event's type, e.g. "post.created" (see the channel catalogues below). */
	event: string;
	data: unknown;
}
export interface SubscribedFrame {
	type: 'subscribed';
	channel: string;
	/** The last event id the client is now up to date with. */
	last: number;
}
/** The backlog no longer reaches the client's `since`: reload the page's data, then subscribe again. */
export interface ResyncFrame {
	type: 'resync';
	channel: string;
}
/**
 * invalid: a malformed message, or a channel already subscribed; too_many: too many messages
 * or subscriptions; not_found: no such channel, or not one this account may follow; revoked:
 * access lost (with a channel: that subscription ended; without: the session ended);
 * unavailable: a passing fault, ask again later.
 */
export type ErrorCode = 'invalid' | 'too_many' | 'not_found' | 'revoked' | 'unavailable';
export interface ErrorFrame {
	type: 'error';
	code: ErrorCode;
	message: string;
	channel?: string;
}
export interface PongFrame {
	type: 'pong';
}
export type ServerFrame = EventFrame | SubscribedFrame | ResyncFrame | ErrorFrame | PongFrame;

/** Builds each server frame, with its fields always in the same order. */
export const serverFrame = {
	event: (event: { id: number; channel: string; type: string; data: unknown }): EventFrame => ({
		type: 'event',
		id: event.id,
		channel: event.channel,
		event: event.type,
		data: event.data
	}),
	subscribed: (channel: string, last: number): SubscribedFrame => ({ type: 'subscribed', channel, last }),
	resync: (channel: string): ResyncFrame => ({ type: 'resync', channel }),
	error: (code: ErrorCode, message: string, channel?: string): ErrorFrame => ({
		type: 'error',
		code,
		message,
		...(channel ? { channel } : {})
	}),
	pong: (): PongFrame => ({ type: 'pong' })
};

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a frame from the server; anything else (not JSON, an unknown type) is undefined. */
export function parseServerFrame(text: string): ServerFrame | undefined {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return undefined;
	}
	if (!isRecord(value)) return undefined;
	const { type, channel } = value;
	switch (type) {
		case 'pong':
			return { type };
		case 'event':
			if (typeof channel !== 'string' || typeof value.id !== 'number' || typeof value.event !== 'string')
				return undefined;
			return { type, id: value.id, channel, event: value.event, data: value.data };
		case 'subscribed':
			if (typeof channel !== 'string' || typeof value.last !== 'number') return undefined;
			return { type, channel, last: value.last };
		case 'resync':
			return typeof channel === 'string' ? { type, channel } : undefined;
		case 'error':
			if (typeof value.code !== 'string' || typeof value.message !== 'string') return undefined;
			return {
				type,
				code: value.code as ErrorCode,
				message: value.message,
				...(typeof channel === 'string' ? { channel } : {})
			};
		default:
			return undefined;
	}
}

// ── What each channel carries ──────────────────────────────────────────────────────────
// The events services publish (see publishEvent calls in lib/server), by channel, with
// their data. A page following a channel handles each of these; a replayed post's `html`
// may be empty when the post has since been hidden or deleted (events/replay.ts).

type Empty = Record<string, never>;

/** `thread:<id>`: a thread page (and a practice entry's discussion). */
export type ThreadEvents = {
	'post.created': {
		id: number;
		number: number;
		html: string;
		authorId: string;
		authorName: string;
		authorOrganisation: string | null;
		createdAt: string;
	};
	'post.edited': { id: number; html: string };
	'post.deleted': { id: number };
	'post.hidden': { id: number };
	'post.restored': { id: number; html: string };
	'post.helpful': { id: number; count: number };
	'thread.answer': { postId: number | null };
	'thread.pinned': { pinned: boolean };
	'thread.locked': { reason: string };
	'thread.unlocked': Empty;
	/** The thread has gone to another group: reload (the reader may have lost it). */
	'thread.moved': Empty;
};

type ThreadActivity = {
	threadId: number;
	title: string;
	postCount: number;
	lastPosterName: string;
	lastPostAt: string;
};

/** `group:<id>`: a group's page, its thread list and member count. */
export type GroupEvents = {
	'thread.created': ThreadActivity;
	'thread.activity': ThreadActivity;
	'thread.pinned': { threadId: number; pinned: boolean };
	'membership.changed': { memberCount: number };
};

/** `user:<id>`: followed by the hub itself, for that account's connections. */
export type UserEvents = {
	/** Access may have changed (signed out, suspended, removed, banned): check again at once. */
	'access.changed': Empty;
};

/** An event as a page receives it on a channel with the catalogue `M`. */
export type ChannelEvent<M> = {
	[K in keyof M & string]: { id: number; channel: string; event: K; data: M[K] };
}[keyof M & string];

export type ThreadChannelEvent = ChannelEvent<ThreadEvents>;
export type GroupChannelEvent = ChannelEvent<GroupEvents>;

/**
 * The default branch of a switch over a channel's events: it compiles only while every event
 * the channel carries has its own case, and at run time it lets one this page does not know
 * (from a newer server) pass without effect.
 */
export function ignoreUnknown(event: never): void {
	void event;
}
