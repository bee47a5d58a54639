/**
 * Turns the failures a person can cause at start (bad config, locked data directory,
 * unreachable database, failed migration, busy port) into one plain line.
 */
import { DataDirLockedError } from '../lib/server/db/data-dir-lock.ts';
import { DatabaseUnavailableError } from '../lib/server/db/database.ts';
import { MigrationFailedError } from '../lib/server/db/migrator.ts';

export function describeStartupError(error: unknown, where?: { host: string; port: number }): string {
	if (
		error instanceof DataDirLockedError ||
		error instanceof DatabaseUnavailableError ||
		error instanceof MigrationFailedError
	) {
		return error.message;
	}
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (code === 'EADDRINUSE' && where) {
		return `Port ${where.port} is already in use on ${where.host}: stop the other process or set PORT to a free port.`;
	}
	if (code === 'EADDRNOTAVAIL' && where) {
		return `HOST ${where.host} is not an address of this machine: use 127.0.0.1 locally or 0.0.0.0 in a container.`;
	}
	if (code === 'EACCES' && where) {
		return `Not allowed to listen on ${where.host}:${where.port}: choose a PORT above 1023.`;
	}
	return error instanceof Error ? error.message : String(error);
}
