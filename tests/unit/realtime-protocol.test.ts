/**
 * The live WebSocket's protocol: the frames the hub builds are the JSON the browser has always
 * read, the browser reads them back through the same types, and the server's schema takes
 * exactly the client messages the protocol names.
 */
import { describe, expect, it } from 'vitest';
import {
	CLOSE_GOING_AWAY,
	CLOSE_SESSION_ENDED,
	CLOSE_TRY_AGAIN,
	parseServerFrame,
	serverFrame
} from '../../src/lib/realtime/protocol.ts';
import { clientMessage } from '../../src/server/realtime/client-message.schema.ts';

describe('server frames', () => {
	it('are built as the wire format has them', () => {
		const event = { id: 7, channel: 'thread:3', type: 'post.deleted', data: { id: 12 } };
		expect(JSON.stringify(serverFrame.event(event))).toBe(
			'{"type":"event","id":7,"channel":"thread:3","event":"post.deleted","data":{"id":12}}'
		);
		expect(JSON.stringify(serverFrame.subscribed('group:2', 40))).toBe(
			'{"type":"subscribed","channel":"group:2","last":40}'
		);
		expect(JSON.stringify(serverFrame.resync('group:2'))).toBe('{"type":"resync","channel":"group:2"}');
		expect(JSON.stringify(serverFrame.pong())).toBe('{"type":"pong"}');
		expect(JSON.stringify(serverFrame.error('invalid', 'Send JSON.'))).toBe(
			'{"type":"error","code":"invalid","message":"Send JSON."}'
		);
		expect(JSON.stringify(serverFrame.error('revoked', 'Gone.', 'thread:3'))).toBe(
			'{"type":"error","code":"revoked","message":"Gone.","channel":"thread:3"}'
		);
	});

	it('are read back by the browser as they were built', () => {
		const frames = [
			serverFrame.event({ id: 1, channel: 'user:a', type: 'x', data: { n: 1 } }),
			serverFrame.subscribed('thread:1', 0),
			serverFrame.resync('thread:1'),
			serverFrame.error('unavailable', 'Try again.', 'thread:1'),
			serverFrame.error('too_many', 'Slow down.'),
			serverFrame.pong()
		];
		for (const frame of frames) expect(parseServerFrame(JSON.stringify(frame))).toEqual(frame);
	});

	it('are ignored by the browser when they are not frames it knows', () => {
		for (const text of [
			'not json',
			'null',
			'[]',
			'{"type":"launch"}',
			'{"type":"event","id":"1","channel":"thread:1","event":"x"}',
			'{"type":"subscribed","channel":"thread:1"}',
			'{"type":"error","code":"invalid"}'
		])
			expect(parseServerFrame(text), text).toBeUndefined();
	});
});

describe('client messages', () => {
	it('are the three the protocol names, each with its fields', () => {
		for (const ok of [
			{ type: 'subscribe', channel: 'thread:1' },
			{ type: 'subscribe', channel: 'thread:1', since: 0 },
			{ type: 'unsubscribe', channel: 'group:4' },
			{ type: 'ping' }
		])
			expect(clientMessage.safeParse(ok).success, JSON.stringify(ok)).toBe(true);
		for (const bad of [
			{ type: 'launch' },
			{ type: 'subscribe' },
			{ type: 'subscribe', channel: '' },
			{ type: 'subscribe', channel: 'x'.repeat(101) },
			{ type: 'subscribe', channel: 'thread:1', since: -1 },
			{ type: 'subscribe', channel: 'thread:1', since: 1.5 },
			{ type: 'unsubscribe', channel: 5 }
		])
			expect(clientMessage.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
	});
});

describe('close codes', () => {
	it('keep their numbers: RFC 6455 going away and internal error, and our own "session ended"', () => {
		expect([CLOSE_GOING_AWAY, CLOSE_TRY_AGAIN, CLOSE_SESSION_ENDED]).toEqual([1001, 1011, 4001]);
	});
});
