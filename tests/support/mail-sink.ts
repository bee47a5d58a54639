/**
 * A real SMTP server on loopback that keeps what Muster sends, for tests of hosts that run
 * as their own processes (browser tests, process and multi-node tests): the host is started
 * with SMTP_URL pointing here, so mail takes the same path it takes in production. Each
 * message is kept in memory and, when a file is given, appended to it as one JSON line, so
 * the browser tests' worker processes can read it too.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type AddressObject } from 'mailparser';

export interface SunkMail {
	to: string[];
	subject: string;
	text: string;
}

export interface MailSink {
	/** SMTP_URL for the host. */
	url: string;
	mails(): SunkMail[];
	close(): Promise<void>;
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
	const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
	return list.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
}

export async function startMailSink(options: { file?: string } = {}): Promise<MailSink> {
	const kept: SunkMail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, _session, callback) {
			simpleParser(stream)
				.then((parsed) => {
					const mail = { to: addresses(parsed.to), subject: parsed.subject ?? '', text: parsed.text ?? '' };
					kept.push(mail);
					if (options.file) appendFileSync(options.file, `${JSON.stringify(mail)}\n`);
					callback();
				})
				.catch((error: Error) => callback(error));
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const address = server.server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		url: `smtp://127.0.0.1:${port}`,
		mails: () => [...kept],
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

/** The messages a sink has appended to its file so far. */
export function readMailFile(file: string): SunkMail[] {
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line) => JSON.parse(line) as SunkMail);
}

/** Waits for the newest message to an address (optionally with this subject), or throws. */
export async function waitForMail(
	read: () => SunkMail[],
	to: string,
	subject?: string,
	timeoutMs = 15_000
): Promise<SunkMail> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const found = read()
			.filter((m) => m.to.includes(to.toLowerCase()) && (subject === undefined || m.subject === subject))
			.at(-1);
		if (found) return found;
		if (Date.now() > deadline) {
			const seen = read()
				.map((m) => `${m.to.join(',')}: ${m.subject}`)
				.join('\n');
			throw new Error(`no e-mail to ${to}${subject ? ` about "${subject}"` : ''}; sent so far:\n${seen}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
