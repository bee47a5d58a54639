/**
 * Outgoing e-mail. Messages are written to the `outbox` table inside the caller's
 * transaction, so a rolled-back action sends nothing. The dispatcher (started by the
 * host) then sends them through SMTP when SMTP_URL is set; without it, each message is
 * printed to the log, with its links, so every flow can be completed locally.
 */
import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../logger.ts';

export interface Mail {
	to: string;
	subject: string;
	text: string;
	/** An HTML body beside the text (mail/template.ts builds both from one description). */
	html?: string;
	/** Extra headers, e.g. List-Unsubscribe (RFC 8058). */
	headers?: Record<string, string>;
}

export async function queueMail(db: Kysely<Database>, mail: Mail): Promise<void> {
	await db
		.insertInto('outbox')
		.values({
			toAddress: mail.to,
			subject: mail.subject,
			textBody: mail.text,
			htmlBody: mail.html ?? null,
			headers: JSON.stringify(mail.headers ?? {})
		})
		.execute();
}

/** The plain-text signature every message ends with. */
export function mailFooter(origin: string): string {
	return `\n\n--\nMuster: ${origin}\nIf you did not expect this e-mail, you can ignore it.`;
}

export interface MailDispatcher {
	/** Sends what is waiting now (also runs on a timer). */
	flush(): Promise<void>;
	stop(): Promise<void>;
}

const BATCH = 20;
const INTERVAL_MS = 2_000;
const MAX_ATTEMPTS = 5;

export function startMailDispatcher(deps: {
	db: Kysely<Database>;
	config: Config;
	logger: Logger;
}): MailDispatcher {
	const { db, config, logger } = deps;
	const transport = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : undefined;
	let running: Promise<void> | undefined;
	let stopped = false;

	async function sendBatch(): Promise<number> {
		return db.transaction().execute(async (trx) => {
			// skip locked: with several nodes, each message is taken by exactly one.
			const batch = await trx
				.selectFrom('outbox')
				.select(['id', 'toAddress', 'subject', 'textBody', 'htmlBody', 'headers', 'attempts'])
				.where('sentAt', 'is', null)
				.where('attempts', '<', MAX_ATTEMPTS)
				.orderBy('id')
				.limit(BATCH)
				.forUpdate()
				.skipLocked()
				.execute();
			for (const message of batch) {
				try {
					if (transport) {
						await transport.sendMail({
							from: config.mailFrom,
							to: message.toAddress,
							subject: message.subject,
							text: message.textBody,
							...(message.htmlBody ? { html: message.htmlBody } : {}),
							headers: message.headers
						});
					} else {
						logger.info(
							{ mail: { to: message.toAddress, subject: message.subject } },
							`e-mail (no SMTP_URL, not sent) to ${message.toAddress}: ${message.subject}\n${message.textBody}`
						);
					}
					await trx
						.updateTable('outbox')
						.set({ sentAt: new Date(), attempts: message.attempts + 1 })
						.where('id', '=', message.id)
						.execute();
				} catch (error) {
					logger.warn({ err: error, outboxId: message.id }, 'could not send an e-mail; will retry');
					await trx
						.updateTable('outbox')
						.set({ attempts: message.attempts + 1, lastError: String(error).slice(0, 500) })
						.where('id', '=', message.id)
						.execute();
				}
			}
			return batch.length;
		});
	}

	async function flush(): Promise<void> {
		if (stopped) return;
		running ??= (async () => {
			try {
				while (!stopped && (await sendBatch()) === BATCH);
			} catch (error) {
				logger.warn({ err: error }, 'mail dispatcher failed; will retry');
			} finally {
				running = undefined;
			}
		})();
		return running;
	}

	const timer = setInterval(() => void flush(), INTERVAL_MS);
	timer.unref();
	return {
		flush,
		async stop() {
			stopped = true;
			clearInterval(timer);
			await running;
			transport?.close();
		}
	};
}
