/**
 * Configuration, read once from the environment at start and validated.
 * Every problem is reported as one line naming the variable and what it expects,
 * so a mistyped deployment fails loudly and clearly instead of half-working.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const booleanString = (name: string) =>
	z
		.string()
		.trim()
		.toLowerCase()
		.refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), {
			message: `${name}: expected true or false`
		})
		.transform((v) => v === 'true' || v === '1' || v === 'yes');

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

function parseUrl(value: string): URL | undefined {
	try {
		return new URL(value);
	} catch {
		return undefined;
	}
}

function isOrigin(value: string): boolean {
	const url = parseUrl(value);
	return (
		!!url && ['http:', 'https:'].includes(url.protocol) && url.pathname === '/' && !url.search && !url.hash
	);
}

const PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isTrustProxy(value: string): boolean {
	const v = value.trim().toLowerCase();
	if (v === 'true' || v === 'false' || /^\d+$/.test(v)) return true;
	return v.split(',').every((part) => {
		const item = part.trim();
		if (PROXY_KEYWORDS.has(item)) return true;
		const [address, bits, extra] = item.split('/');
		if (extra !== undefined || !address || isIP(address) === 0) return false;
		if (bits === undefined) return true;
		const max = isIP(address) === 4 ? 32 : 128;
		return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
	});
}

function isPostgresUrl(value: string): boolean {
	const url = parseUrl(value);
	return !!url && ['postgres:', 'postgresql:'].includes(url.protocol) && url.pathname.length > 1;
}

const schema = z.object({
	NODE_ENV: z.preprocess(
		emptyAsUndefined,
		z
			.enum(['development', 'production', 'test'], {
				message: 'NODE_ENV: expected development, production or test'
			})
			.default('development')
	),
	PORT: z.preprocess(
		emptyAsUndefined,
		z.coerce
			.number({ message: 'PORT: expected a whole number from 0 to 65535' })
			.int({ message: 'PORT: expected a whole number from 0 to 65535' })
			.min(0, { message: 'PORT: expected a whole number from 0 to 65535' })
			.max(65535, { message: 'PORT: expected a whole number from 0 to 65535' })
			.default(3000)
	),
	HOST: z.preprocess(
		emptyAsUndefined,
		z
			.string()
			.min(1, { message: 'HOST: expected an interface address such as 127.0.0.1' })
			.default('127.0.0.1')
	),
	ORIGIN: z.preprocess(
		emptyAsUndefined,
		z
			.string()
			.refine(isOrigin, {
				message: 'ORIGIN: expected the public address with no path, such as https://muster.example.org'
			})
			.optional()
	),
	DATABASE_URL: z.preprocess(
		emptyAsUndefined,
		z
			.string()
			.refine(isPostgresUrl, {
				message:
					'DATABASE_URL: expected a PostgreSQL URL with a database name, such as postgres://user:password@localhost:5432/muster'
			})
			.optional()
	),
	DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
	LOG_LEVEL: z.preprocess(
		(v) => (typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : undefined),
		z.enum(LOG_LEVELS, { message: `LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}` }).default('info')
	),
	LOG_FORMAT: z.preprocess(
		(v) => (typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : undefined),
		z.enum(['json', 'pretty'], { message: 'LOG_FORMAT: expected json or pretty' }).optional()
	),
	MIGRATE_ON_START: z.preprocess(emptyAsUndefined, booleanString('MIGRATE_ON_START').default(true)),
	TRUST_PROXY: z.preprocess(
		emptyAsUndefined,
		z
			.string()
			.refine(isTrustProxy, {
				message:
					'TRUST_PROXY: expected true, false, a number of proxies (e.g. 1), or addresses and ranges such as 10.0.0.0/8,loopback'
			})
			.optional()
	),
	SMTP_URL: z.preprocess(
		emptyAsUndefined,
		z
			.string()
			.refine((v) => ['smtp:', 'smtps:'].includes(parseUrl(v)?.protocol ?? ''), {
				message:
					'SMTP_URL: expected an smtp:// or smtps:// URL, such as smtps://user:password@mail.example.org'
			})
			.optional()
	),
	MAIL_FROM: z.preprocess(
		emptyAsUndefined,
		z
			.string()
			.regex(/^(.+<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, {
				message: 'MAIL_FROM: expected an address such as "Muster <no-reply@muster.example.org>"'
			})
			.default('Muster <no-reply@muster.invalid>')
	),
	NOTIFY_EMAIL_DELAY_MINUTES: z.preprocess(
		emptyAsUndefined,
		z.coerce
			.number({ message: 'NOTIFY_EMAIL_DELAY_MINUTES: expected a whole number of minutes from 0 to 1440' })
			.int({ message: 'NOTIFY_EMAIL_DELAY_MINUTES: expected a whole number of minutes from 0 to 1440' })
			.min(0, { message: 'NOTIFY_EMAIL_DELAY_MINUTES: expected a whole number of minutes from 0 to 1440' })
			.max(1440, { message: 'NOTIFY_EMAIL_DELAY_MINUTES: expected a whole number of minutes from 0 to 1440' })
			.default(10)
	),
	FILES_DIR: z.preprocess(emptyAsUndefined, z.string().optional()),
	FILE_MAX_MB: z.preprocess(
		emptyAsUndefined,
		z.coerce
			.number({ message: 'FILE_MAX_MB: expected a whole number of megabytes from 1 to 1024' })
			.int({ message: 'FILE_MAX_MB: expected a whole number of megabytes from 1 to 1024' })
			.min(1, { message: 'FILE_MAX_MB: expected a whole number of megabytes from 1 to 1024' })
			.max(1024, { message: 'FILE_MAX_MB: expected a whole number of megabytes from 1 to 1024' })
			.default(25)
	),
	FILE_QUOTA_MB: z.preprocess(
		emptyAsUndefined,
		z.coerce
			.number({ message: 'FILE_QUOTA_MB: expected a whole number of megabytes from 1 to 1048576' })
			.int({ message: 'FILE_QUOTA_MB: expected a whole number of megabytes from 1 to 1048576' })
			.min(1, { message: 'FILE_QUOTA_MB: expected a whole number of megabytes from 1 to 1048576' })
			.max(1048576, { message: 'FILE_QUOTA_MB: expected a whole number of megabytes from 1 to 1048576' })
			.default(1024)
	),
	CLAMAV_URL: z.preprocess(
		emptyAsUndefined,
		z
			.string()
			.refine((v) => parseUrl(v)?.protocol === 'tcp:' && !!parseUrl(v)?.hostname, {
				message: 'CLAMAV_URL: expected the address of clamd, such as tcp://127.0.0.1:3310'
			})
			.optional()
	),
	S3_BUCKET: z.preprocess(
		emptyAsUndefined,
		z
			.string()
			.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
				message: 'S3_BUCKET: expected a bucket name (3–63 lower-case letters, digits, dots and hyphens)'
			})
			.optional()
	),
	S3_ENDPOINT: z.preprocess(
		emptyAsUndefined,
		z
			.string()
			.refine((v) => ['http:', 'https:'].includes(parseUrl(v)?.protocol ?? ''), {
				message: 'S3_ENDPOINT: expected the address of an S3-compatible server, such as http://minio:9000'
			})
			.optional()
	),
	S3_REGION: z.preprocess(emptyAsUndefined, z.string().default('eu-west-2')),
	S3_ACCESS_KEY_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
	S3_SECRET_ACCESS_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
	SECRET_KEY: z.preprocess(
		emptyAsUndefined,
		z
			.string()
			.min(32, {
				message: 'SECRET_KEY: expected at least 32 random characters (e.g. openssl rand -base64 32)'
			})
			.optional()
	)
});

const SECRET_KEY_REQUIRED =
	'SECRET_KEY: required in production with DATABASE_URL, the same on every node (e.g. openssl rand -base64 32); it encrypts two-factor keys';

export interface Config {
	nodeEnv: 'development' | 'production' | 'test';
	port: number;
	host: string;
	/** Public origin, e.g. https://muster.example.org. Drives CSRF checks and Secure cookies. */
	origin: string;
	/** True when the public origin is https: cookies are then marked Secure. */
	secureCookies: boolean;
	databaseUrl: string | undefined;
	dataDir: string;
	logLevel: (typeof LOG_LEVELS)[number];
	/** One JSON object a line (for log collectors), or readable lines. */
	logFormat: 'json' | 'pretty';
	migrateOnStart: boolean;
	/** Passed to Fastify's trustProxy: false, true, a hop count, or a list of addresses. */
	trustProxy: boolean | number | string;
	/** Outgoing mail server; unset, e-mail goes to the outbox table and the log. */
	smtpUrl: string | undefined;
	mailFrom: string;
	/** How long a notification waits before it is e-mailed "straight away" (dropped if read meanwhile). */
	notifyEmailDelayMinutes: number;
	/**
	 * Encrypts secrets at rest (two-factor keys). Required in production on PostgreSQL; on the
	 * embedded database, one is generated once and kept in DATA_DIR/secret-key.
	 */
	secretKey: string | undefined;
	/** Where files are kept on local disk (default DATA_DIR/files; a temporary directory for memory://). */
	filesDir: string | undefined;
	/** The largest file a person may upload, in bytes. */
	fileMaxBytes: number;
	/** How much each account may upload in all, in bytes. */
	fileQuotaBytes: number;
	/** clamd's address (tcp://host:port); unset, files are not scanned. */
	clamavUrl: string | undefined;
	/** S3-compatible object storage for files (several nodes); unset, local disk. */
	s3:
		| {
				bucket: string;
				endpoint: string | undefined;
				region: string;
				accessKeyId: string | undefined;
				secretAccessKey: string | undefined;
		  }
		| undefined;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

function parseTrustProxy(value: string | undefined): boolean | number | string {
	if (value === undefined) return false;
	const v = value.trim().toLowerCase();
	if (v === 'true') return true;
	if (v === 'false') return false;
	if (/^\d+$/.test(v)) return Number(v);
	return value.trim();
}

/** Reads and validates configuration. Never throws: problems come back one line each. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ConfigResult {
	const parsed = schema.safeParse(env);
	const errors = parsed.success
		? []
		: parsed.error.issues.map((issue) => {
				const name = String(issue.path[0] ?? 'configuration');
				return issue.message.startsWith(`${name}:`) ? issue.message : `${name}: ${issue.message}`;
			});
	// The embedded database keeps a generated key beside its data (see context.ts); a shared
	// PostgreSQL server needs the same key on every node, so it must be given.
	const embeddedOnDisk = !env.DATABASE_URL?.trim() && !(env.DATA_DIR ?? '').trim().startsWith('memory://');
	if (env.NODE_ENV?.trim() === 'production' && !env.SECRET_KEY?.trim() && !embeddedOnDisk)
		errors.push(SECRET_KEY_REQUIRED);
	if (!parsed.success || errors.length > 0) return { ok: false, errors: [...new Set(errors)] };
	const e = parsed.data;
	const origin = e.ORIGIN ? new URL(e.ORIGIN).origin : `http://localhost:${e.PORT}`;
	return {
		ok: true,
		config: {
			nodeEnv: e.NODE_ENV,
			port: e.PORT,
			host: e.HOST,
			origin,
			secureCookies: origin.startsWith('https:'),
			databaseUrl: e.DATABASE_URL,
			dataDir: e.DATA_DIR,
			logLevel: e.LOG_LEVEL,
			logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'development' ? 'pretty' : 'json'),
			migrateOnStart: e.MIGRATE_ON_START,
			trustProxy: parseTrustProxy(e.TRUST_PROXY),
			smtpUrl: e.SMTP_URL,
			mailFrom: e.MAIL_FROM,
			notifyEmailDelayMinutes: e.NOTIFY_EMAIL_DELAY_MINUTES,
			secretKey: e.SECRET_KEY,
			filesDir: e.FILES_DIR,
			fileMaxBytes: e.FILE_MAX_MB * 1024 * 1024,
			fileQuotaBytes: e.FILE_QUOTA_MB * 1024 * 1024,
			clamavUrl: e.CLAMAV_URL,
			s3: e.S3_BUCKET
				? {
						bucket: e.S3_BUCKET,
						endpoint: e.S3_ENDPOINT,
						region: e.S3_REGION,
						accessKeyId: e.S3_ACCESS_KEY_ID,
						secretAccessKey: e.S3_SECRET_ACCESS_KEY
					}
				: undefined
		}
	};
}
