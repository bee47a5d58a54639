/**
 * Sending to one socket, bounded: a client that cannot keep up is cut off rather than
 * buffered without end.
 */
import type { WebSocket } from 'ws';
import type { BusEvent } from '../../lib/server/events/event-bus.ts';
import { serverFrame, type ServerFrame } from '../../lib/realtime/protocol.ts';

/**
 * Sends unless the socket is closed or has more than `limit` bytes waiting, in which case a
 * client that cannot keep up is cut off (it resumes from its last id) rather than buffered
 * without end.
 */
export function sendWithin(
	limit: number,
	socket: WebSocket,
	message: ServerFrame | string | Buffer,
	sent?: (error?: Error) => void
): void {
	if (socket.readyState !== socket.OPEN || socket.bufferedAmount > limit) {
		if (socket.readyState === socket.OPEN) socket.terminate();
		sent?.(new Error('not sent'));
		return;
	}
	const data = typeof message === 'object' && !Buffer.isBuffer(message) ? JSON.stringify(message) : message;
	// A Buffer is still a text frame: the client reads JSON text.
	socket.send(data, { binary: false }, sent);
}

/**
 * A live event is the same for every subscriber: it is serialised and encoded once (as UTF-8
 * bytes, which ws then writes as they are), not once per socket.
 */
const encodedEvents = new WeakMap<BusEvent, Buffer>();
export function encodedEvent(event: BusEvent): Buffer {
	let frame = encodedEvents.get(event);
	if (frame === undefined) {
		frame = Buffer.from(JSON.stringify(serverFrame.event(event)));
		encodedEvents.set(event, frame);
	}
	return frame;
}
