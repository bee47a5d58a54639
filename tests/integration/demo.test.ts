/**
 * `npm run demo` as a person runs it (tsx, a fresh database): it fills the database with
 * groups of every visibility and a living discussion through Muster's own services, the
 * sign-in details it prints work through the real sign-in form, a second run refuses
 * without changing anything, --force adds a second demo beside the first, and a locked
 * embedded data directory is refused. Runs on PostgreSQL, or on an embedded database in a
 * temporary DATA_DIR when the suite has no DATABASE_URL.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createContext, setAppContext, type AppContext } from '../../src/lib/server/context.ts';
import { lockDataDir } from '../../src/lib/server/db/data-dir-lock.ts';
import { buildApp } from '../../src/server/app.ts';
import { signIn } from '../support/accounts.ts';
import { HANDLER_PATH, testConfig } from '../support/test-context.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { WebClient } from '../support/web-client.ts';

// Each run is a real process (tsx compiles on start; the embedded database's first start takes seconds).
vi.setConfig({ testTimeout: 180_000, hookTimeout: 60_000 });

const execFileAsync = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');
const SECRET_KEY = 'demo-test-secret-key-0123456789abcdef';
const REFUSAL = 'This database already has accounts; `npm run demo -- --force` adds the demo beside them.';
const ROLES = ['administrator', 'moderator', 'reviewer', 'police', 'partner', 'guest'];

interface Run {
	code: number;
	stdout: string;
	stderr: string;
}

interface Account {
	email: string;
	password: string;
	role: string;
	totpSecret: string | undefined;
}

const cleanups: Array<() => Promise<void> | void> = [];
let database: TestDatabase;
let env: Record<string, string>;
let first: Run;
let accounts: Account[];

function tempDir(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-demo-'));
	cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
	return dir;
}

async function demo(args: string[] = [], runEnv = env): Promise<Run> {
	try {
		const { stdout, stderr } = await execFileAsync(TSX, ['scripts/demo.ts', ...args], {
			env: { PATH: process.env.PATH, HOME: process.env.HOME, SECRET_KEY, ...runEnv }
		});
		return { code: 0, stdout, stderr };
	} catch (error) {
		const failed = error as { code?: number; stdout?: string; stderr?: string };
		return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
	}
}

/** A context on the demo's database (the embedded one is locked while it is open). */
async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
	const ctx = await createContext(testConfig({ ...env, SECRET_KEY }), { migrate: false });
	try {
		return await fn(ctx);
	} finally {
		await ctx.close();
	}
}

/** The sign-in table the demo prints: e-mail, password, role, two-factor key, name. */
function signInTable(stdout: string): Account[] {
	const lines = stdout.split('\n');
	const header = lines.findIndex((line) => /^\s+e-mail\s+password\s+role/.test(line));
	expect(header).toBeGreaterThan(-1);
	return lines
		.slice(header + 1)
		.filter((line) => line.includes('@'))
		.map((line) => {
			const [email, password, role, key] = line.trim().split(/\s{2,}/);
			return { email: email!, password: password!, role: role!, totpSecret: key === '-' ? undefined : key };
		});
}

/** What a refused run must leave exactly as it was. */
async function snapshot(ctx: AppContext): Promise<Record<string, number>> {
	const tables = [
		'users',
		'groups',
		'group_members',
		'membership_requests',
		'invitations',
		'threads',
		'posts',
		'post_helpful',
		'events',
		'audit_log',
		'outbox',
		'rate_limits',
		'kysely_migration'
	];
	// The good-practice library's tables, where its migration is there.
	for (const table of ['practices', 'practice_versions', 'practice_reviews']) {
		const { rows } = await sql<{ t: string | null }>`select to_regclass(${table})::text as t`.execute(ctx.db);
		if (rows[0]?.t) tables.push(table);
	}
	const counts: Record<string, number> = {};
	for (const table of tables) {
		const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
			ctx.db
		);
		counts[table] = Number(rows[0]!.n);
	}
	return counts;
}

beforeAll(async () => {
	database = await createTestDatabase('demo');
	cleanups.push(() => database.drop());
	env = database.url ? { DATABASE_URL: database.url } : { DATA_DIR: path.join(tempDir(), 'data') };
	first = await demo();
}, 180_000);

afterAll(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('npm run demo', () => {
	it('fills a fresh database through the services: every kind of account, group and discussion', async () => {
		expect(first.stderr).toBe('');
		expect(first.code).toBe(0);
		expect(first.stdout).toContain('Demo content written to');
		accounts = signInTable(first.stdout);
		expect(new Set(accounts.map((a) => a.role))).toEqual(new Set(ROLES));
		// One password for all, acceptable to Muster's own rules; keys for those who need two-factor.
		expect(new Set(accounts.map((a) => a.password)).size).toBe(1);
		expect(accounts[0]!.password.length).toBeGreaterThanOrEqual(12);
		for (const a of accounts) {
			expect(a.totpSecret !== undefined).toBe(['administrator', 'moderator', 'reviewer'].includes(a.role));
		}
		const printed = /(\d+) threads with (\d+) replies, (\d+) helpful marks, (\d+) chosen answer/.exec(
			first.stdout
		);
		expect(printed).not.toBeNull();
		const [threadCount, replyCount, helpfulCount, answerCount] = printed!.slice(1).map(Number);

		await withContext(async (ctx) => {
			const users = await ctx.db
				.selectFrom('users')
				.leftJoin('organisations', 'organisations.id', 'users.organisationId')
				.select([
					'users.email',
					'users.kind',
					'users.isAdmin',
					'users.emailVerifiedAt',
					'users.totpEnabledAt'
				])
				.select('organisations.kind as organisationKind')
				.execute();
			expect(users).toHaveLength(accounts.length);
			for (const user of users) {
				const account = accounts.find((a) => a.email === user.email)!;
				expect(user.emailVerifiedAt).not.toBeNull();
				// The kind comes from the organisation the domain belongs to, as at registration.
				expect(user.kind).toBe(user.organisationKind ?? 'guest');
				expect(user.isAdmin).toBe(account.role === 'administrator');
				expect(user.totpEnabledAt !== null).toBe(account.totpSecret !== undefined);
			}
			expect(users.map((u) => u.kind).sort()).toEqual(expect.arrayContaining(['guest', 'partner', 'police']));

			const groups = await ctx.db
				.selectFrom('groups')
				.select(['id', 'slug', 'name', 'visibility', 'audience', 'memberCount'])
				.execute();
			const named = (name: string) => groups.find((g) => g.name === name)!;
			expect(named('Modern slavery and human trafficking')).toMatchObject({
				visibility: 'restricted',
				audience: 'police_partner'
			});
			expect(named('County lines practitioners')).toMatchObject({ visibility: 'open', audience: 'police' });
			expect(named('Op Fictional — covert tasking')).toMatchObject({
				visibility: 'private',
				audience: 'police'
			});
			// Counters kept by the services agree with the rows.
			for (const group of groups) {
				const members = await ctx.db
					.selectFrom('groupMembers')
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.where('groupId', '=', group.id)
					.executeTakeFirstOrThrow();
				expect(Number(members.n)).toBe(group.memberCount);
			}

			const demoGroupIds = [
				'Modern slavery and human trafficking',
				'County lines practitioners',
				'Op Fictional — covert tasking'
			].map((n) => named(n).id);
			const threads = await ctx.db
				.selectFrom('threads')
				.select(['id', 'pinned', 'lockedAt', 'postCount', 'answerPostId', 'createdAt'])
				.where('groupId', 'in', demoGroupIds)
				.execute();
			expect(threads).toHaveLength(threadCount!);
			expect(threads.reduce((n, t) => n + t.postCount - 1, 0)).toBe(replyCount);
			expect(threads.filter((t) => t.answerPostId !== null)).toHaveLength(answerCount!);
			expect(threads.some((t) => t.pinned)).toBe(true);
			expect(threads.some((t) => t.lockedAt !== null)).toBe(true);
			const posts = await ctx.db
				.selectFrom('posts')
				.select(['id', 'html', 'helpfulCount', 'createdAt'])
				.where(
					'threadId',
					'in',
					threads.map((t) => t.id)
				)
				.execute();
			const helpful = await ctx.db
				.selectFrom('postHelpful')
				.select(['postId'])
				.where(
					'postId',
					'in',
					posts.map((p) => p.id)
				)
				.execute();
			expect(helpful).toHaveLength(helpfulCount!);
			expect(posts.reduce((n, p) => n + p.helpfulCount, 0)).toBe(helpfulCount);
			expect(posts.some((p) => p.html.includes('href="/people/'))).toBe(true); // a mention
			expect(posts.some((p) => p.html.includes('<table>'))).toBe(true); // Markdown, rendered
			// Dated over the last few weeks, never in the future.
			const times = posts.map((p) => p.createdAt.getTime());
			expect(Math.max(...times)).toBeLessThan(Date.now());
			expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(7 * 24 * 3600_000);

			// What the services record besides: events for live updates, and the audit trail.
			const events = await ctx.db
				.selectFrom('events')
				.select(['type', (eb) => eb.fn.countAll<number>().as('n')])
				.groupBy('type')
				.execute();
			const eventCount = (type: string) => Number(events.find((e) => e.type === type)?.n ?? 0);
			expect(eventCount('post.created')).toBeGreaterThanOrEqual(posts.length);
			expect(eventCount('post.helpful')).toBe(helpfulCount);
			const audit = await ctx.db.selectFrom('auditLog').select('action').execute();
			const actions = new Set(audit.map((a) => a.action));
			for (const action of [
				'group.created',
				'group.joined',
				'group.request_approved',
				'group.invitation_accepted',
				'group.role_changed',
				'group.thread_pinned',
				'group.thread_locked'
			]) {
				expect(actions).toContain(action);
			}

			// Left waiting: a request for a moderator, and an invitation that has not expired.
			const pending = await ctx.db
				.selectFrom('membershipRequests')
				.select('id')
				.where('status', '=', 'pending')
				.execute();
			expect(pending).toHaveLength(1);
			const invitations = await ctx.db
				.selectFrom('invitations')
				.select('expiresAt')
				.where('status', '=', 'pending')
				.execute();
			expect(invitations).toHaveLength(1);
			expect(invitations[0]!.expiresAt.getTime()).toBeGreaterThan(Date.now());

			// No e-mail to the fictional people is left for a dispatcher to send.
			const unsent = await ctx.db.selectFrom('outbox').select('id').where('sentAt', 'is', null).execute();
			expect(unsent).toHaveLength(0);

			// Good practice: published, in review (a group's) and draft.
			if (first.stdout.includes('Practice entries: skipped')) return;
			const { rows } = await sql<{
				status: string;
				groupId: number | null;
			}>`select v.status, p.group_id from practices p join practice_versions v on v.practice_id = p.id`.execute(
				ctx.db
			);
			expect(rows.filter((r) => r.status === 'published').length).toBeGreaterThanOrEqual(1);
			expect(rows.filter((r) => r.status === 'in_review').length).toBeGreaterThanOrEqual(1);
			expect(rows.filter((r) => r.status === 'draft').length).toBeGreaterThanOrEqual(1);
			expect(rows.some((r) => r.groupId !== null)).toBe(true);
			expect(actions).toContain('practice.published');
		});
	});

	it('prints sign-in details that work through the sign-in form, two-factor included', async () => {
		if (!fs.existsSync(HANDLER_PATH)) throw new Error(`run npm run build first (${HANDLER_PATH} is missing)`);
		const ctx = await createContext(testConfig({ ...env, SECRET_KEY }), { migrate: false });
		setAppContext(ctx);
		const app = await buildApp(ctx, { svelteKitHandler: HANDLER_PATH, schemaCheckMs: 0 });
		try {
			await app.ready();
			for (const account of accounts) {
				const client = new WebClient(app, ctx.config.origin);
				await signIn(client, ctx, {
					id: '',
					email: account.email,
					password: account.password,
					totpKey: account.totpSecret ? decodeBase32IgnorePadding(account.totpSecret) : undefined
				});
				const groups = await client.get('/groups');
				expect(groups.status).toBe(200);
				if (account.role === 'guest') {
					// A guest sees the group they were invited to, and its discussions.
					const page = await client.get('/groups/modern-slavery-and-human-trafficking');
					expect(page.status).toBe(200);
					expect(page.body).toContain('Joint visits to hand car washes');
				}
			}
		} finally {
			await app.close();
			setAppContext(undefined);
			await ctx.close();
		}
	});

	it('refuses a database that already has accounts, and changes nothing', async () => {
		const before = await withContext(snapshot);
		const again = await demo();
		expect(again.code).toBe(1);
		expect(again.stderr.trim()).toBe(REFUSAL);
		expect(again.stdout).toBe('');
		expect(await withContext(snapshot)).toEqual(before);
	});

	it('with --force adds a second demo beside the first and deletes nothing', async () => {
		const before = await withContext(snapshot);
		const forced = await demo(['--force']);
		expect(forced.stderr).toBe('');
		expect(forced.code).toBe(0);
		const second = signInTable(forced.stdout);
		expect(second).toHaveLength(accounts.length);
		expect(second.every((a) => !accounts.some((b) => b.email === a.email))).toBe(true);
		await withContext(async (ctx) => {
			const after = await snapshot(ctx);
			for (const table of Object.keys(before)) {
				if (table !== 'kysely_migration') expect(after[table]).toBeGreaterThanOrEqual(before[table]!);
			}
			expect(after.users).toBe(before.users! + second.length);
			const emails = (await ctx.db.selectFrom('users').select('email').execute()).map((u) => u.email);
			for (const a of accounts) expect(emails).toContain(a.email);
			const names = (await ctx.db.selectFrom('groups').select('name').execute()).map((g) => g.name);
			expect(names).toContain('Modern slavery and human trafficking');
			expect(names).toContain('Modern slavery and human trafficking (demo 2)');
			// Nothing for a dispatcher to send, not even to the first demo's practice reviewer.
			const unsent = await ctx.db.selectFrom('outbox').select('id').where('sentAt', 'is', null).execute();
			expect(unsent).toHaveLength(0);
		});
	});

	it('refuses clearly while Muster holds the embedded database', async () => {
		const dataDir = path.join(tempDir(), 'data');
		const lock = lockDataDir(dataDir);
		try {
			const refused = await demo([], { DATA_DIR: dataDir });
			expect(refused.code).toBe(1);
			expect(refused.stderr.trim()).toBe(
				`npm run demo failed: Another Muster process is using ${dataDir} (pid ${process.pid}). Stop it first (Ctrl-C in its terminal, or kill ${process.pid}), or set DATA_DIR to use another directory`
			);
			expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(false);
		} finally {
			lock.release();
		}
	});
});
