import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/server/config.ts';

describe('loadConfig', () => {
	it('gives the documented defaults for an empty environment', () => {
		const result = loadConfig({});
		expect(result).toEqual({
			ok: true,
			config: {
				nodeEnv: 'development',
				port: 3000,
				host: '127.0.0.1',
				origin: 'http://localhost:3000',
				secureCookies: false,
				databaseUrl: undefined,
				dataDir: './data',
				logLevel: 'info',
				logFormat: 'pretty',
				migrateOnStart: true,
				trustProxy: false,
				smtpUrl: undefined,
				mailFrom: 'Muster <no-reply@muster.invalid>',
				notifyEmailDelayMinutes: 10,
				secretKey: undefined,
				filesDir: undefined,
				fileMaxBytes: 25 * 1024 * 1024,
				fileQuotaBytes: 1024 * 1024 * 1024,
				clamavUrl: undefined,
				s3: undefined
			}
		});
	});

	it('reads the file limits in whole megabytes and clamd as a tcp:// address, and says so otherwise', () => {
		const ok = loadConfig({ FILE_MAX_MB: '5', FILE_QUOTA_MB: '200', CLAMAV_URL: 'tcp://clamd:3310' });
		expect(ok.ok && ok.config).toMatchObject({
			fileMaxBytes: 5 * 1024 * 1024,
			fileQuotaBytes: 200 * 1024 * 1024,
			clamavUrl: 'tcp://clamd:3310'
		});
		const bad = loadConfig({ FILE_MAX_MB: '0', FILE_QUOTA_MB: 'lots', CLAMAV_URL: 'http://clamd' });
		expect(bad.ok ? [] : bad.errors).toEqual([
			'FILE_MAX_MB: expected a whole number of megabytes from 1 to 1024',
			'FILE_QUOTA_MB: expected a whole number of megabytes from 1 to 1048576',
			'CLAMAV_URL: expected the address of clamd, such as tcp://127.0.0.1:3310'
		]);
	});

	it('reads the e-mail delay in whole minutes from 0 to 1440, and says so otherwise', () => {
		const delay = (value: string) => {
			const result = loadConfig({ NOTIFY_EMAIL_DELAY_MINUTES: value });
			return result.ok ? result.config.notifyEmailDelayMinutes : result.errors;
		};
		expect(delay('0')).toBe(0);
		expect(delay('1440')).toBe(1440);
		for (const bad of ['-1', '1441', '2.5', 'soon'])
			expect(delay(bad)).toEqual([
				'NOTIFY_EMAIL_DELAY_MINUTES: expected a whole number of minutes from 0 to 1440'
			]);
	});

	it('requires SECRET_KEY in production on PostgreSQL, and reports it with the other problems', () => {
		const database = 'postgres://muster@db.example.org/muster';
		expect(loadConfig({ NODE_ENV: 'production', PORT: 'x', DATABASE_URL: database })).toEqual({
			ok: false,
			errors: [
				'PORT: expected a whole number from 0 to 65535',
				'SECRET_KEY: required in production with DATABASE_URL, the same on every node (e.g. openssl rand -base64 32); it encrypts two-factor keys'
			]
		});
		expect(loadConfig({ NODE_ENV: 'production', DATA_DIR: 'memory://' }).ok).toBe(false);
		// The embedded database on disk keeps a generated key in its data directory (npm start).
		const embedded = loadConfig({ NODE_ENV: 'production' });
		expect(embedded.ok && embedded.config.secretKey).toBeUndefined();
		expect(embedded.ok && embedded.config.logFormat).toBe('json');
		expect(loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'short' })).toMatchObject({
			ok: false,
			errors: ['SECRET_KEY: expected at least 32 random characters (e.g. openssl rand -base64 32)']
		});
		expect(loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(32) }).ok).toBe(true);
	});

	it('checks SMTP_URL and MAIL_FROM', () => {
		expect(loadConfig({ SMTP_URL: 'http://mail', MAIL_FROM: 'nobody' })).toEqual({
			ok: false,
			errors: [
				'SMTP_URL: expected an smtp:// or smtps:// URL, such as smtps://user:password@mail.example.org',
				'MAIL_FROM: expected an address such as "Muster <no-reply@muster.example.org>"'
			]
		});
		expect(
			loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.org', MAIL_FROM: 'Muster <m@example.org>' }).ok
		).toBe(true);
	});

	it('derives the origin from PORT when ORIGIN is unset, and Secure cookies from an https ORIGIN', () => {
		const local = loadConfig({ PORT: '4000' });
		expect(local.ok && local.config.origin).toBe('http://localhost:4000');
		const deployed = loadConfig({ ORIGIN: 'https://muster.example.org/' });
		expect(deployed.ok && deployed.config.origin).toBe('https://muster.example.org');
		expect(deployed.ok && deployed.config.secureCookies).toBe(true);
	});

	it('reads MIGRATE_ON_START, TRUST_PROXY and DATABASE_URL', () => {
		const result = loadConfig({
			MIGRATE_ON_START: 'false',
			TRUST_PROXY: '1',
			DATABASE_URL: 'postgres://muster@db:5432/muster',
			LOG_LEVEL: 'WARN'
		});
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.config.migrateOnStart).toBe(false);
		expect(result.config.trustProxy).toBe(1);
		expect(result.config.databaseUrl).toBe('postgres://muster@db:5432/muster');
		expect(result.config.logLevel).toBe('warn');
		expect(loadConfig({ TRUST_PROXY: 'true' })).toMatchObject({ config: { trustProxy: true } });
		expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8' })).toMatchObject({ config: { trustProxy: '10.0.0.0/8' } });
	});

	it('accepts only TRUST_PROXY values Fastify understands', () => {
		for (const ok of [
			'true',
			'false',
			'2',
			'10.0.0.0/8',
			'10.0.0.1, loopback',
			'::1',
			'fd00::/8,uniquelocal'
		]) {
			expect(loadConfig({ TRUST_PROXY: ok }).ok, ok).toBe(true);
		}
		for (const bad of ['yes', '10.0.0.0/33', 'proxy.example.org', '10.0.0.1/8/1']) {
			expect(loadConfig({ TRUST_PROXY: bad }), bad).toEqual({
				ok: false,
				errors: [
					'TRUST_PROXY: expected true, false, a number of proxies (e.g. 1), or addresses and ranges such as 10.0.0.0/8,loopback'
				]
			});
		}
	});

	it('treats empty variables as unset', () => {
		expect(loadConfig({ PORT: '', DATABASE_URL: '  ', LOG_LEVEL: '' })).toMatchObject({
			ok: true,
			config: { port: 3000, databaseUrl: undefined, logLevel: 'info' }
		});
	});

	it('reports one line per problem, each naming the variable and what it expects', () => {
		const result = loadConfig({
			PORT: 'eighty',
			LOG_LEVEL: 'loud',
			ORIGIN: 'muster.example.org',
			DATABASE_URL: 'mysql://localhost/muster',
			MIGRATE_ON_START: 'perhaps',
			NODE_ENV: 'staging'
		});
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors).toHaveLength(6);
		expect(result.errors).toEqual(
			expect.arrayContaining([
				'PORT: expected a whole number from 0 to 65535',
				expect.stringMatching(/^LOG_LEVEL: expected one of fatal, error, warn, info/),
				expect.stringMatching(/^ORIGIN: expected the public address/),
				expect.stringMatching(/^DATABASE_URL: expected a PostgreSQL URL/),
				'MIGRATE_ON_START: expected true or false',
				'NODE_ENV: expected development, production or test'
			])
		);
	});

	it('refuses out-of-range ports and an ORIGIN with a path', () => {
		expect(loadConfig({ PORT: '70000' })).toEqual({
			ok: false,
			errors: ['PORT: expected a whole number from 0 to 65535']
		});
		expect(loadConfig({ ORIGIN: 'https://example.org/muster' }).ok).toBe(false);
		expect(loadConfig({ DATABASE_URL: 'postgres://localhost' }).ok).toBe(false);
	});
});
