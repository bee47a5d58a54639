/**
 * `npm run demo` as a person runs it (tsx, a fresh database): it fills the database through
 * Muster's own services with groups of every visibility and audience, weeks of discussion (a
 * thread several pages long among them), a good-practice library and unread posts for every
 * account; the sign-in details it prints work through the real sign-in form; a second run,
 * with or without --force, refuses and changes nothing, so the demo is never there twice;
 * --force adds it beside other people's accounts; and a locked embedded data directory is
 * refused. Runs on PostgreSQL, or on an embedded database in a temporary DATA_DIR when the
 * suite has no DATABASE_URL.
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
import { createGroup } from '../../src/lib/server/groups/group.service.ts';
import { POSTS_PER_PAGE } from '../../src/lib/server/discussions/thread-paths.ts';
import { buildApp } from '../../src/server/app.ts';
import { createUser, signIn } from '../support/accounts.ts';
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

/** What a run on a database that has the demo already says, and nothing else. */
function alreadyHere(runEnv: Record<string, string>): string {
	const afresh = runEnv.DATABASE_URL
		? 'set DATABASE_URL to an empty database'
		: `stop Muster, delete its data directory (${runEnv.DATA_DIR})`;
	return `The demo is already in this database, so nothing was added (--force adds it only beside other accounts). To start afresh, ${afresh} and run npm run demo again.`;
}

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
async function withContext<T>(fn: (ctx: AppContext) => Promise<T>, runEnv = env): Promise<T> {
	const ctx = await createContext(testConfig({ ...runEnv, SECRET_KEY }), { migrate: false });
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
		'thread_reads',
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
		expect(threadCount).toBeGreaterThanOrEqual(40);

		await withContext(async (ctx) => {
			const users = await ctx.db
				.selectFrom('users')
				.leftJoin('organisations', 'organisations.id', 'users.organisationId')
				.select([
					'users.id',
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
			const demoUserIds = new Set(users.map((u) => u.id));

			const groups = await ctx.db
				.selectFrom('groups')
				.select(['id', 'slug', 'name', 'visibility', 'audience', 'memberCount', 'createdBy'])
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
			// At least eight groups of the demo's own: two or more of each visibility, and every
			// visibility for each audience (police only; police and partners).
			const demoGroups = groups.filter((g) => g.createdBy !== null && demoUserIds.has(g.createdBy));
			expect(demoGroups.length).toBeGreaterThanOrEqual(8);
			for (const visibility of ['open', 'restricted', 'private'] as const) {
				expect(demoGroups.filter((g) => g.visibility === visibility).length).toBeGreaterThanOrEqual(2);
				for (const audience of ['police', 'police_partner'] as const) {
					expect(demoGroups.some((g) => g.visibility === visibility && g.audience === audience)).toBe(true);
				}
			}
			// Counters kept by the services agree with the rows.
			for (const group of groups) {
				const members = await ctx.db
					.selectFrom('groupMembers')
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.where('groupId', '=', group.id)
					.executeTakeFirstOrThrow();
				expect(Number(members.n)).toBe(group.memberCount);
			}

			// The threads the demo started (a published entry's discussion is the practice service's).
			const discussions = await ctx.db
				.selectFrom('practices')
				.select('discussionThreadId')
				.where('discussionThreadId', 'is not', null)
				.execute();
			const threads = await ctx.db
				.selectFrom('threads')
				.select(['id', 'pinned', 'lockedAt', 'postCount', 'answerPostId', 'createdAt'])
				.where(
					'groupId',
					'in',
					demoGroups.map((g) => g.id)
				)
				.where('id', 'not in', [0, ...discussions.map((d) => d.discussionThreadId!)])
				.execute();
			expect(threads).toHaveLength(threadCount!);
			expect(threads.reduce((n, t) => n + t.postCount - 1, 0)).toBe(replyCount);
			expect(threads.filter((t) => t.answerPostId !== null)).toHaveLength(answerCount!);
			expect(answerCount).toBeGreaterThanOrEqual(1);
			expect(threads.filter((t) => t.pinned).length).toBeGreaterThanOrEqual(2);
			expect(threads.filter((t) => t.lockedAt !== null).length).toBeGreaterThanOrEqual(2);
			const posts = await ctx.db
				.selectFrom('posts')
				.select(['id', 'threadId', 'number', 'html', 'helpfulCount', 'createdAt'])
				.where(
					'threadId',
					'in',
					threads.map((t) => t.id)
				)
				.execute();
			// A discussion of several pages, every post of it there.
			const longest = threads.reduce((a, b) => (b.postCount > a.postCount ? b : a));
			expect(longest.postCount).toBeGreaterThanOrEqual(50);
			expect(longest.postCount).toBeGreaterThan(2 * POSTS_PER_PAGE);
			expect(
				posts
					.filter((p) => p.threadId === longest.id)
					.map((p) => p.number)
					.sort((a, b) => a - b)
			).toEqual(Array.from({ length: longest.postCount }, (_, i) => i + 1));
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
			// A quote of another post, as the Quote button writes it: the words, and a link to the post.
			expect(posts.some((p) => /<blockquote>[\s\S]*href="\/groups\/[^"]+\/p\/\d+"/.test(p.html))).toBe(true);
			// Dated over the last few weeks, never in the future.
			const times = posts.map((p) => p.createdAt.getTime());
			expect(Math.max(...times)).toBeLessThan(Date.now());
			expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(7 * 24 * 3600_000);

			// Every account has unread posts in a group it belongs to (what its home page shows), and
			// has read others: a discussion whose posts outnumber what they have read, or never opened.
			for (const user of users) {
				const { rows } = await sql<{ unread: number; all: number }>`
					select count(*) filter (where r.user_id is null or t.post_count > r.last_read_number)::int as unread,
						count(*)::int as all
					from group_members m
					join threads t on t.group_id = m.group_id
					left join thread_reads r on r.thread_id = t.id and r.user_id = m.user_id
					where m.user_id = ${user.id}`.execute(ctx.db);
				expect(rows[0]!.unread, `${user.email} has nothing unread`).toBeGreaterThan(0);
				expect(rows[0]!.unread, `${user.email} has read nothing`).toBeLessThan(rows[0]!.all);
			}

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
				'group.thread_locked',
				'practice.published',
				'practice.returned'
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

			// Good practice: ten or more entries, mostly published, some in review, a draft, and a group's.
			const entries = await ctx.db
				.selectFrom('practices')
				.innerJoin('practiceVersions', 'practiceVersions.practiceId', 'practices.id')
				.select(['practices.id', 'practices.groupId', 'practiceVersions.status'])
				.where(
					'practices.authorId',
					'in',
					users.map((u) => u.id)
				)
				.execute();
			const entryCount = new Set(entries.map((e) => e.id)).size;
			const withStatus = (status: string) => entries.filter((e) => e.status === status).length;
			expect(entryCount).toBeGreaterThanOrEqual(10);
			expect(withStatus('published')).toBeGreaterThan(entryCount / 2);
			expect(withStatus('in_review')).toBeGreaterThanOrEqual(2);
			expect(withStatus('draft')).toBeGreaterThanOrEqual(1);
			expect(entries.some((e) => e.groupId !== null && e.status === 'published')).toBe(true);
			expect(entries.some((e) => e.groupId !== null && e.status === 'in_review')).toBe(true);
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

	it('refuses to add the demo a second time, with or without --force, and changes nothing', async () => {
		const before = await withContext(snapshot);
		for (const args of [[], ['--force']]) {
			const again = await demo(args);
			expect(again.code).toBe(1);
			expect(again.stderr.trim()).toBe(alreadyHere(env));
			expect(again.stdout).toBe('');
			expect(await withContext(snapshot)).toEqual(before);
		}
	});

	it('with --force adds the demo beside other accounts, once, and deletes nothing', async () => {
		const other = await createTestDatabase('demo-beside');
		cleanups.push(() => other.drop());
		const otherEnv: Record<string, string> = other.url
			? { DATABASE_URL: other.url }
			: { DATA_DIR: path.join(tempDir(), 'data') };
		// Someone else's account, and their group with the same name as one of the demo's.
		const ctx = await createContext(testConfig({ ...otherEnv, SECRET_KEY }), { migrate: true });
		try {
			const owner = await createUser(ctx, 'sam.officer@kent.police.uk', { displayName: 'Sam Officer' });
			const row = await ctx.db
				.selectFrom('users')
				.select(['kind', 'organisationId'])
				.where('id', '=', owner.id)
				.executeTakeFirstOrThrow();
			await createGroup(
				ctx,
				{
					id: owner.id,
					email: owner.email,
					displayName: 'Sam Officer',
					kind: row.kind,
					isAdmin: false,
					status: 'active',
					organisationId: row.organisationId,
					emailVerified: true,
					twoFactorEnabled: false
				},
				{
					name: 'County lines practitioners',
					description: 'Our own group.',
					visibility: 'open',
					audience: 'police'
				},
				{ ip: null, userAgent: 'test' }
			);
		} finally {
			await ctx.close();
		}

		const before = await withContext(snapshot, otherEnv);
		const refused = await demo([], otherEnv);
		expect(refused.code).toBe(1);
		expect(refused.stderr.trim()).toBe(REFUSAL);
		expect(await withContext(snapshot, otherEnv)).toEqual(before);

		const forced = await demo(['--force'], otherEnv);
		expect(forced.stderr).toBe('');
		expect(forced.code).toBe(0);
		// The demo's own addresses, as in a database of its own: nothing numbered.
		expect(signInTable(forced.stdout).map((a) => a.email)).toEqual(accounts.map((a) => a.email));
		await withContext(async (beside) => {
			const after = await snapshot(beside);
			for (const table of Object.keys(before)) {
				if (table !== 'kysely_migration') expect(after[table]).toBeGreaterThanOrEqual(before[table]!);
			}
			expect(after.users).toBe(before.users! + accounts.length);
			const emails = (await beside.db.selectFrom('users').select('email').execute()).map((u) => u.email);
			expect(emails).toContain('sam.officer@kent.police.uk');
			const names = (await beside.db.selectFrom('groups').select('name').execute()).map((g) => g.name);
			expect(names.filter((n) => n.startsWith('County lines practitioners')).sort()).toEqual([
				'County lines practitioners',
				'County lines practitioners (demo)'
			]);
			const unsent = await beside.db.selectFrom('outbox').select('id').where('sentAt', 'is', null).execute();
			expect(unsent).toHaveLength(0);
		}, otherEnv);

		// And never twice: a second --force is refused like any other run.
		const beforeAgain = await withContext(snapshot, otherEnv);
		const again = await demo(['--force'], otherEnv);
		expect(again.code).toBe(1);
		expect(again.stderr.trim()).toBe(alreadyHere(otherEnv));
		expect(await withContext(snapshot, otherEnv)).toEqual(beforeAgain);
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
