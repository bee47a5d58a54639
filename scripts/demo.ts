/**
 * npm run demo [-- --force]
 *
 * Fills Muster's database with fictional content written for it, so a newcomer finds a
 * living forum: accounts of every kind, groups of every visibility and audience, weeks of
 * discussion (one thread runs to several pages) with helpful marks, answers, mentions and
 * quotes, a good-practice library, and unread posts waiting on every account's home page.
 * Prints what it made and how to sign in. Uses DATABASE_URL, or the embedded database in
 * DATA_DIR (./data) as npm start does; the embedded one is locked, so stop Muster first.
 *
 * The demo goes into a database once: where it is already, every run is refused (with or
 * without --force) and nothing is written. A database with other accounts is refused unless
 * --force, which adds the demo beside them and never deletes anything.
 * Exits non-zero, with one line, on any error (the stack too when DEBUG is set).
 */
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { loadConfig } from '../src/lib/server/config.ts';
import { createContext, type AppContext } from '../src/lib/server/context.ts';
import type { Database } from '../src/lib/server/db/schema.ts';
import { migrateToLatest, migrationStatus } from '../src/lib/server/db/migrator.ts';
import { generateToken } from '../src/lib/server/auth/tokens.ts';
import { passwordProblem } from '../src/lib/server/auth/password.ts';
import { createLogger } from '../src/lib/server/logger.ts';
import { describeStartupError } from '../src/server/startup-errors.ts';
import {
	checkOrganisations,
	createAccounts,
	createGroups,
	DemoClock,
	demoPresent,
	holdDemoMail,
	META,
	outboxMark,
	signInDetails,
	unreadThreads,
	type DemoTally,
	type DemoWorld,
	type SignInDetail
} from './demo-seed.ts';
import { schedulePending, scheduleThreads, scheduleVisits, Timeline } from './demo-timeline.ts';
import { schedulePractice } from './demo-practice.ts';

const USAGE = 'usage: npm run demo [-- --force]';
const REFUSAL = 'This database already has accounts; `npm run demo -- --force` adds the demo beside them.';

/** The one line a database that has the demo already gets: how to start again from nothing. */
function alreadyHere(ctx: AppContext): string {
	const afresh = ctx.config.databaseUrl
		? 'set DATABASE_URL to an empty database'
		: `stop Muster, delete its data directory (${ctx.config.dataDir})`;
	return `The demo is already in this database, so nothing was added (--force adds it only beside other accounts). To start afresh, ${afresh} and run npm run demo again.`;
}

/** Accounts already in the database (none when the schema is not there yet). */
async function accountCount(db: Kysely<Database>): Promise<number> {
	const { rows } = await sql<{ table: string | null }>`select to_regclass('users')::text as table`.execute(
		db
	);
	if (!rows[0]?.table) return 0;
	const count = await sql<{ n: number }>`select count(*)::int as n from users`.execute(db);
	return Number(count.rows[0]?.n ?? 0);
}

/** The schema, as npm start would leave it: migrated, unless MIGRATE_ON_START=false. */
async function ensureSchema(ctx: AppContext): Promise<string[]> {
	if (ctx.config.migrateOnStart) return migrateToLatest(ctx.db);
	const { pending } = await migrationStatus(ctx.db);
	if (pending.length > 0) {
		throw new Error(
			`${pending.length} migration(s) pending and MIGRATE_ON_START=false: run npm run migrate first`
		);
	}
	return [];
}

/** One password for every demo account, new each run: printed, never published. */
function demoPassword(): string {
	const password = `demo-${generateToken()
		.slice(0, 16)
		.replace(/(.{4})(?=.)/g, '$1-')}`;
	const problem = passwordProblem(password);
	if (problem) throw new Error(`the demo password is not acceptable: ${problem}`);
	return password;
}

function table(rows: string[][]): string {
	const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
	return rows.map((r) => `  ${r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`.trimEnd()).join('\n');
}

function plural(n: number, one: string, many = `${one}s`): string {
	return `${n} ${n === 1 ? one : many}`;
}

async function report(
	world: DemoWorld,
	tally: DemoTally,
	practice: string,
	unread: { min: number; max: number },
	details: SignInDetail[]
) {
	const { ctx } = world;
	const origin = ctx.config.origin;
	const roles = {
		administrator: 'administrators',
		moderator: 'moderators',
		reviewer: 'reviewers',
		police: 'police',
		partner: 'partners',
		guest: 'guests'
	} as const;
	const byRole = (Object.keys(roles) as (keyof typeof roles)[])
		.map((role) => [role, details.filter((d) => d.role === role).length] as const)
		.filter(([, n]) => n > 0)
		.map(([role, n]) => (n === 1 ? `1 ${role}` : `${n} ${roles[role]}`));
	const groups = await ctx.db
		.selectFrom('groups')
		.select(['slug', 'name', 'visibility', 'audience', 'memberCount'])
		.where(
			'slug',
			'in',
			Object.values(world.groups).map((g) => g.slug)
		)
		.orderBy('id')
		.execute();
	const audience = { police: 'police only', police_partner: 'police and partners' } as const;
	const p = world.people;
	const lines = [
		`Demo content written to ${ctx.database.location}:`,
		'',
		`  ${plural(details.length, 'account')}: ${byRole.join(', ')}`,
		`  ${plural(groups.length, 'group')}:`,
		table(
			groups.map((g) => [
				`  ${g.name}`,
				`${g.visibility}, ${audience[g.audience]}`,
				plural(g.memberCount, 'member'),
				`${origin}/groups/${g.slug}`
			])
		),
		`  ${plural(tally.threads, 'thread')} with ${plural(tally.replies, 'reply', 'replies')}, ` +
			`${plural(tally.helpful, 'helpful mark')}, ${plural(tally.answers, 'chosen answer')}, ` +
			`${plural(tally.mentions, 'mention')}, ${plural(tally.quotes, 'quote')}, ${tally.pinned} pinned and ${tally.locked} locked`,
		`  Unread: every account has new posts waiting on its home page, in ${unread.min} to ${plural(unread.max, 'discussion')}`,
		`  Waiting: ${p.owen.person.name}'s request to join ${world.groups.slavery.name}; ` +
			`an invitation for ${p.aisha.person.name} to ${world.groups.tasking.name}`,
		`  ${practice}`,
		'  E-mail the demo caused (mentions, invitations, decisions) is never sent; under npm run dev, administrators see it at /dev/outbox.',
		'',
		`Sign in at ${origin}/login. Every demo account has the password ${details[0]!.password}`,
		'The administrator, moderators and reviewer also need two-factor codes: add their key to an authenticator app.',
		'',
		table([
			['e-mail', 'password', 'role', 'two-factor key', 'name (organisation)'],
			...details.map((d) => [
				d.email,
				d.password,
				d.role,
				d.totpSecret ?? '-',
				`${d.name} (${d.organisation})`
			])
		])
	];
	console.log(lines.join('\n'));
}

async function run(): Promise<number> {
	let force: boolean;
	try {
		const { values } = parseArgs({ args: process.argv.slice(2), options: { force: { type: 'boolean' } } });
		force = values.force ?? false;
	} catch (error) {
		throw new Error(`${(error as Error).message} (${USAGE})`);
	}
	const loaded = loadConfig(process.env);
	if (!loaded.ok) throw new Error(`the configuration has problems:\n  ${loaded.errors.join('\n  ')}`);
	const password = demoPassword();
	const ctx = await createContext(loaded.config, {
		migrate: false,
		// Quiet: the one warning that matters here (SECRET_KEY) is said below, after the refusal check.
		logger: createLogger({ ...loaded.config, logLevel: 'error' })
	});
	try {
		// Before anything is written (migrations included): a refused run changes nothing.
		if (await demoPresent(ctx.db)) {
			process.stderr.write(`${alreadyHere(ctx)}\n`);
			return 1;
		}
		if ((await accountCount(ctx.db)) > 0 && !force) {
			process.stderr.write(`${REFUSAL}\n`);
			return 1;
		}
		const applied = await ensureSchema(ctx);
		if (applied.length > 0) console.log(`Applied ${plural(applied.length, 'migration')}.`);
		if (ctx.config.databaseUrl && !ctx.config.secretKey) {
			console.log(
				'SECRET_KEY is not set: the two-factor keys are sealed with the development key, so run Muster without SECRET_KEY too.'
			);
		}
		await checkOrganisations(ctx);
		const started = performance.now();
		const clock = new DemoClock(new Date());
		const demoCtx: AppContext = { ...ctx, now: () => clock.now() };
		const base = {
			ctx: demoCtx,
			clock,
			meta: META,
			mail: { since: await outboxMark(ctx), subjects: new Set<string>() }
		};
		const people = await createAccounts(demoCtx, clock, password);
		const groups = await createGroups({ ...base, people });
		const world: DemoWorld = { ...base, people, groups, threads: {} };
		const timeline = new Timeline(clock);
		const tally = scheduleThreads(world, timeline);
		const practice = schedulePractice(world, timeline);
		scheduleVisits(world, timeline);
		schedulePending(world, timeline);
		await timeline.play();
		await holdDemoMail(world);
		const unread = await unreadThreads(world);
		const nothingNew = Object.values(people).filter((a) => unread[a.key] === 0);
		if (nothingNew.length > 0) {
			throw new Error(
				`the demo left ${nothingNew.map((a) => a.person.name).join(', ')} with nothing unread (see VISITS in scripts/demo-content.ts)`
			);
		}
		const counts = Object.values(unread);
		const range = { min: Math.min(...counts), max: Math.max(...counts) };
		await report(world, tally, practice, range, signInDetails(people, password));
		console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
		return 0;
	} finally {
		await ctx.close();
	}
}

run().then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		// A locked data directory's message says how to stop the Muster holding it.
		process.stderr.write(`npm run demo failed: ${describeStartupError(error)}\n`);
		if (process.env.DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
		process.exitCode = 1;
	}
);
