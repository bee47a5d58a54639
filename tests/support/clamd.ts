/**
 * A private clamd for the tests that scan files: Debian's clamav-daemon, started on a free
 * loopback port with a tiny signature database holding only the EICAR test signature (there is
 * no internet here for freshclam). CI installs clamav-daemon; elsewhere, `available()` says
 * whether this machine has it, and the scanning tests are skipped with a note when it has not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { clamdScanner } from '../../src/lib/server/library/scanner.ts';

const CLAMD = '/usr/sbin/clamd';

/** The EICAR test file: harmless, and every antivirus program reports it. */
export const EICAR = Buffer.from(
	'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*',
	'ascii'
);

export function clamdAvailable(): boolean {
	return existsSync(CLAMD);
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() =>
				typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))
			);
		});
	});
}

export interface Clamd {
	url: string;
	stop(): Promise<void>;
}

export async function startClamd(): Promise<Clamd> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'muster-clamd-'));
	const port = await freePort();
	// The MD5 of the EICAR file, its size and the signature's name (ClamAV's .hdb format).
	writeFileSync(path.join(dir, 'test.hdb'), '44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n');
	writeFileSync(
		path.join(dir, 'clamd.conf'),
		[
			`DatabaseDirectory ${dir}`,
			`TCPSocket ${port}`,
			'TCPAddr 127.0.0.1',
			'Foreground yes',
			`PidFile ${path.join(dir, 'clamd.pid')}`,
			'StreamMaxLength 64M',
			'MaxFileSize 64M',
			'MaxScanSize 128M',
			'SelfCheck 3600',
			...(process.getuid?.() === 0 ? ['User root'] : [])
		].join('\n') + '\n'
	);
	const child: ChildProcess = spawn(CLAMD, [`--config-file=${path.join(dir, 'clamd.conf')}`], {
		stdio: ['ignore', 'ignore', 'pipe']
	});
	let stderr = '';
	child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
	const url = `tcp://127.0.0.1:${port}`;
	const scanner = clamdScanner(url);
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGTERM');
			await exited;
		}
		rmSync(dir, { recursive: true, force: true });
	};
	const deadline = Date.now() + 90_000;
	while (!(await scanner.ping())) {
		if (child.exitCode !== null || Date.now() > deadline) {
			await stop();
			throw new Error(`clamd did not start: ${stderr.slice(-2000)}`);
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	return { url, stop };
}
