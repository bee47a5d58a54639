/**
 * Where the machine's CPU went during a run: the host, PostgreSQL's connections to the
 * benchmark database, autocannon (this process), and everything else. On a 2-core machine
 * all of them share the same cores, so "everything else" (a test suite, a build) lowers
 * the figures; it is reported so that a busy run can be recognised.
 * Linux only (/proc); elsewhere the shares are simply not reported.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds a process has used, from stat(5) fields 14 and 15; undefined if unreadable. */
function processSeconds(pid: number): number | undefined {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
		return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
	} catch {
		return undefined;
	}
}

/** Busy and total CPU seconds of the whole machine, all cores. */
function machineSeconds(): { busy: number; total: number } {
	let idle = 0;
	let total = 0;
	for (const cpu of os.cpus()) {
		const t = cpu.times;
		idle += t.idle;
		total += t.idle + t.user + t.nice + t.sys + t.irq;
	}
	return { busy: (total - idle) / 1000, total: total / 1000 };
}

export interface CpuShares {
	/** CPU milliseconds per request. */
	host: number;
	postgres: number;
	autocannon: number;
	other: number;
	/** Share of the machine's capacity that was busy. */
	busy: number;
}

interface Snapshot {
	machine: { busy: number; total: number };
	host: number | undefined;
	postgres: Array<number | undefined>;
	self: NodeJS.CpuUsage;
}

export class CpuMeter {
	private start: Snapshot | undefined;

	constructor(
		private readonly hostPid: number | undefined,
		private readonly postgresPids: () => Promise<number[]>
	) {}

	private pids: number[] = [];

	async begin(): Promise<void> {
		this.pids = await this.postgresPids();
		this.start = this.snapshot();
	}

	private snapshot(): Snapshot {
		return {
			machine: machineSeconds(),
			host: this.hostPid === undefined ? undefined : processSeconds(this.hostPid),
			postgres: this.pids.map(processSeconds),
			self: process.cpuUsage()
		};
	}

	/** Per-request shares since begin(), or undefined where /proc is not available. */
	end(requests: number): CpuShares | undefined {
		const start = this.start;
		if (!start || requests <= 0) return undefined;
		const now = this.snapshot();
		if (start.host === undefined || now.host === undefined) return undefined;
		const host = now.host - start.host;
		let postgres = 0;
		now.postgres.forEach((seconds, i) => {
			const before = start.postgres[i];
			if (seconds !== undefined && before !== undefined) postgres += seconds - before;
		});
		const self = process.cpuUsage(start.self);
		const autocannon = (self.user + self.system) / 1e6;
		const busy = now.machine.busy - start.machine.busy;
		const perRequest = (seconds: number) => (seconds * 1000) / requests;
		return {
			host: perRequest(host),
			postgres: perRequest(postgres),
			autocannon: perRequest(autocannon),
			other: perRequest(Math.max(0, busy - host - postgres - autocannon)),
			busy: busy / Math.max(1e-9, now.machine.total - start.machine.total)
		};
	}
}

/** Share of the machine's CPU left idle over `ms`. */
export async function idleShare(ms = 1_000): Promise<number> {
	const before = machineSeconds();
	await new Promise((r) => setTimeout(r, ms));
	const after = machineSeconds();
	return 1 - (after.busy - before.busy) / Math.max(1e-9, after.total - before.total);
}
