/**
 * The library's file benchmark (issue 17): starts the built host on a free loopback port against
 * DATABASE_URL (seeded by bench/seed.ts; the benchmark member uploads to their group's library),
 * then
 *   1. uploads a 25 MB file while sampling the host's resident memory every 20 ms: the rise must
 *      stay under 50 MB (the upload streams to storage, never held in memory);
 *   2. downloads a 10 MB file 20 at a time, several rounds: throughput and p50/p99 per download,
 *      each body checked byte for byte.
 * (Thread page speed with attachments waits for attachments; `npm run bench:thread` covers the
 * page today.)
 *
 *   DATABASE_URL=postgres://… npx tsx bench/files.ts [--rounds 5] [--concurrency 20]
 *
 * Files go to bench/.results/files (removed at the end). Traffic goes to 127.0.0.1 only, for a
 * bounded time; the host is stopped at the end. Missing a target is reported, not an error.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { ensureBuilt, startHost } from './host.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = path.join(ROOT, 'bench', '.results');
const MB = 1024 * 1024;
const TARGET_RISE_MB = 50;

interface Session {
	cookie: string;
	threadPath: string;
}

function option(name: string, fallback: number): number {
	const at = process.argv.indexOf(name);
	if (at < 0) return fallback;
	const value = Number(process.argv[at + 1]);
	if (!Number.isInteger(value) || value < 1) throw new Error(`${name}: expected a whole number`);
	return value;
}

/** A PDF by its first bytes (so Muster accepts it), the rest random (so nothing compresses it). */
function pdfOf(bytes: number): Buffer {
	const head = Buffer.from('%PDF-1.4\n%');
	const tail = Buffer.from('\n%%EOF\n');
	return Buffer.concat([head, randomBytes(bytes - head.length - tail.length), tail]);
}

function rssMb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
	return kb / 1024;
}

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function upload(base: string, session: Session, slug: string, title: string, data: Buffer) {
	const form = new FormData();
	form.set('title', title);
	form.set('file', new Blob([new Uint8Array(data)], { type: 'application/pdf' }), `${title}.pdf`);
	const res = await fetch(`${base}/groups/${slug}/library/upload`, {
		method: 'POST',
		headers: { cookie: session.cookie, origin: base, accept: 'application/json' },
		body: form
	});
	const body = (await res.json()) as { documentId?: number; error?: { message: string } };
	if (res.status !== 201 || !body.documentId)
		throw new Error(`upload refused (${res.status}): ${body.error?.message ?? 'no reason'}`);
	return body.documentId;
}

async function main() {
	const databaseUrl = process.env.DATABASE_URL;
	if (!databaseUrl) throw new Error('set DATABASE_URL to the database bench/seed.ts filled');
	const rounds = option('--rounds', 5);
	const concurrency = option('--concurrency', 20);
	const session = JSON.parse(readFileSync(path.join(RESULTS_DIR, 'session.json'), 'utf8')) as Session;
	const slug = session.threadPath.split('/')[2]!;
	ensureBuilt(ROOT);
	const filesDir = path.join(RESULTS_DIR, 'files');
	rmSync(filesDir, { recursive: true, force: true });
	// Stored under the results, and the allowance out of the way: the benchmark uploads 35 MB a run.
	process.env.FILES_DIR = filesDir;
	process.env.FILE_QUOTA_MB = '1048576';
	const host = await startHost(ROOT, databaseUrl, path.join(RESULTS_DIR, 'files-host.log'));
	const pid = host.process.pid!;
	let commit = 'unknown';
	try {
		commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
	} catch {
		// Not a checkout.
	}
	console.log(`Commit ${commit}; host pid ${pid}`);
	try {
		// Warm the host up (its code paths and pools), then measure from its settled size.
		await upload(base(host), session, slug, `warm-up ${Date.now()}`, pdfOf(64 * 1024));
		const before = rssMb(pid);
		let peak = before;
		const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 20);
		const big = pdfOf(25 * MB);
		const started = performance.now();
		await upload(base(host), session, slug, `bench 25 MB ${Date.now()}`, big);
		const uploadMs = performance.now() - started;
		clearInterval(sampler);
		peak = Math.max(peak, rssMb(pid));
		const rise = peak - before;
		console.log(
			`Upload of 25 MB: ${Math.round(uploadMs)} ms; host memory ${before.toFixed(1)} MB before, ${peak.toFixed(1)} MB at most: a rise of ${rise.toFixed(1)} MB (target under ${TARGET_RISE_MB} MB: ${rise < TARGET_RISE_MB ? 'met' : 'NOT met'})`
		);

		const ten = pdfOf(10 * MB);
		const tenHash = createHash('sha256').update(ten).digest('hex');
		const documentId = await upload(base(host), session, slug, `bench 10 MB ${Date.now()}`, ten);
		const page = await (
			await fetch(`${base(host)}/groups/${slug}/library/${documentId}`, {
				headers: { cookie: session.cookie }
			})
		).text();
		const href = /href="(\/files\/\d+\/[^"]+)"/.exec(page)?.[1];
		if (!href) throw new Error('the document page has no download link');
		const times: number[] = [];
		let bytes = 0;
		let wrong = 0;
		const all = performance.now();
		for (let round = 0; round < rounds; round++) {
			await Promise.all(
				Array.from({ length: concurrency }, async () => {
					const t = performance.now();
					const res = await fetch(`${base(host)}${href}`, { headers: { cookie: session.cookie } });
					const body = Buffer.from(await res.arrayBuffer());
					times.push(performance.now() - t);
					bytes += body.length;
					if (res.status !== 200 || createHash('sha256').update(body).digest('hex') !== tenHash) wrong += 1;
				})
			);
		}
		const seconds = (performance.now() - all) / 1000;
		times.sort((a, b) => a - b);
		console.log(
			`Downloads of 10 MB, ${concurrency} at a time, ${rounds} rounds: ${times.length} in ${seconds.toFixed(1)} s, ${(bytes / MB / seconds).toFixed(0)} MB/s; p50 ${Math.round(percentile(times, 50))} ms, p99 ${Math.round(percentile(times, 99))} ms; ${wrong} wrong or failed`
		);
		if (wrong > 0) throw new Error('some downloads were not the file');
	} finally {
		await host.stop();
		rmSync(filesDir, { recursive: true, force: true });
		// The benchmark's own documents go with their files, so the next run starts the same.
		const db = new pg.Client({ connectionString: databaseUrl });
		await db.connect();
		try {
			await db.query(
				`delete from documents where title like 'bench % MB %' or title like 'warm-up %';
				 delete from files f where not exists (select 1 from document_versions v where v.file_sha256 = f.sha256)`
			);
		} finally {
			await db.end();
		}
	}
}

function base(host: { base: string }): string {
	return host.base;
}

main().catch((error: unknown) => {
	console.error(`Benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
