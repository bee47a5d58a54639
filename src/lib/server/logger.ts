/**
 * Logger settings shared by the host (Fastify's pino) and scripts: JSON lines for log
 * collectors, or human-readable lines (LOG_FORMAT; readable by default in development and
 * when `npm start` writes to a terminal).
 */
import pino, { type LoggerOptions, type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

function loggerOptions(config: Pick<Config, 'logFormat' | 'logLevel'>): LoggerOptions {
	const options: LoggerOptions = {
		level: config.logLevel,
		// Never write credentials or session cookies to the log.
		redact: {
			paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
			remove: true
		}
	};
	if (config.logFormat === 'pretty') {
		options.transport = {
			target: 'pino-pretty',
			options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname', singleLine: true }
		};
	}
	return options;
}

export function createLogger(config: Pick<Config, 'logFormat' | 'logLevel'>): Logger {
	return pino(loggerOptions(config));
}
