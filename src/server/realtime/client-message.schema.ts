/**
 * What a client may send on /ws, validated at the edge by one schema. The shapes are the
 * protocol's (lib/realtime/protocol.ts); this schema lives on the server so that Zod stays out
 * of the browser bundle, and the check below fails to compile if the two ever differ.
 */
import { z } from 'zod';
import { MAX_CHANNEL_LENGTH, type ClientMessage } from '../../lib/realtime/protocol.ts';

const channel = z.string().min(1).max(MAX_CHANNEL_LENGTH);

export const clientMessage = z.discriminatedUnion('type', [
	z.object({ type: z.literal('subscribe'), channel, since: z.number().int().min(0).optional() }),
	z.object({ type: z.literal('unsubscribe'), channel }),
	z.object({ type: z.literal('ping') })
]);

/** True only for identical types, optional fields included. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
// Compiles only while the schema accepts exactly the protocol's messages.
const _schemaMatchesProtocol: Same<z.infer<typeof clientMessage>, ClientMessage> = true;
