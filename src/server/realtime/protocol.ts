/**
 * The WebSocket protocol, validated by one schema. Client → server:
 *   {type:"subscribe", channel, since?}  {type:"unsubscribe", channel}  {type:"ping"}
 * Server → client:
 *   {type:"subscribed", channel, last}  {type:"event", id, channel, event, data}
 *   {type:"resync", channel}  {type:"error", code, message, channel?}  {type:"pong"}
 */
import { z } from 'zod';

export const clientMessage = z.discriminatedUnion('type', [
	z.object({
		type: z.literal('subscribe'),
		channel: z.string().min(1).max(100),
		since: z.number().int().min(0).optional()
	}),
	z.object({ type: z.literal('unsubscribe'), channel: z.string().min(1).max(100) }),
	z.object({ type: z.literal('ping') })
]);

export type ClientMessage = z.infer<typeof clientMessage>;
