/**
 * Virus scanning with ClamAV's daemon (clamd) over its INSTREAM command: the file is streamed to
 * clamd in chunks (each with its length as four big-endian bytes, then a zero length), and clamd
 * answers "stream: OK" or "stream: <signature> FOUND". CLAMAV_URL (tcp://host:3310) names the
 * daemon; without it files are marked "not scanned" and the pages say so.
 */
import { connect } from 'node:net';
import type { Readable } from 'node:stream';

export type ScanResult = { clean: true } | { clean: false; signature: string };

export interface Scanner {
	scan(source: Readable): Promise<ScanResult>;
	ping(): Promise<boolean>;
}

const CHUNK = 64 * 1024;
const TIMEOUT_MS = 120_000;

function endpoint(url: string): { host: string; port: number } {
	const parsed = new URL(url);
	return { host: parsed.hostname, port: Number(parsed.port || 3310) };
}

/** Sends one command and collects clamd's whole answer (it closes the connection after). */
function talk(url: string, write: (socket: import('node:net').Socket) => Promise<void>): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = connect(endpoint(url));
		const replies: Buffer[] = [];
		let settled = false;
		const finish = (error?: Error) => {
			if (settled) return;
			settled = true;
			socket.destroy();
			if (error) reject(error);
			else resolve(Buffer.concat(replies).toString('utf8').replace(/\0/g, '').trim());
		};
		socket.setTimeout(TIMEOUT_MS, () => finish(new Error('clamd did not answer in time')));
		socket.on('data', (data: Buffer) => replies.push(data));
		socket.on('end', () => finish());
		socket.on('close', () => finish());
		socket.on('error', (error) => finish(error));
		socket.on('connect', () => {
			write(socket).catch((error: Error) => finish(error));
		});
	});
}

function writeAll(socket: import('node:net').Socket, data: Buffer): Promise<void> {
	return new Promise((resolve, reject) => {
		socket.write(data, (error) => (error ? reject(error) : resolve()));
	});
}

export function clamdScanner(url: string): Scanner {
	return {
		async ping() {
			try {
				return (await talk(url, (s) => writeAll(s, Buffer.from('zPING\0')))) === 'PONG';
			} catch {
				return false;
			}
		},
		async scan(source) {
			const answer = await talk(url, async (socket) => {
				await writeAll(socket, Buffer.from('zINSTREAM\0'));
				for await (const data of source) {
					const chunk = Buffer.isBuffer(data) ? data : Buffer.from(data as Uint8Array);
					for (let i = 0; i < chunk.length; i += CHUNK) {
						const part = chunk.subarray(i, i + CHUNK);
						const length = Buffer.alloc(4);
						length.writeUInt32BE(part.length);
						await writeAll(socket, Buffer.concat([length, part]));
					}
				}
				await writeAll(socket, Buffer.alloc(4));
			});
			const match = /^stream: (.+) FOUND$/.exec(answer);
			if (match) return { clean: false, signature: match[1]! };
			if (answer === 'stream: OK') return { clean: true };
			// Size limits, a broken database…: not a verdict, so the job tries again.
			throw new Error(`clamd could not scan the file: ${answer || 'no answer'}`);
		}
	};
}
