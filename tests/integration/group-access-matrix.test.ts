/**
 * The access matrix (tests/support/group-matrix.ts: every group action × every kind of viewer ×
 * every visibility) decided on standings loaded from a real database, so the standing query
 * is checked as well as the policy (which tests/unit/group-policy.test.ts checks alone); and
 * the SQL forms of the policy, which must admit exactly what it allows.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/test-context.ts';
import { createUser } from '../support/accounts.ts';
import { GROUP_ACTIONS } from '../../src/lib/server/policy/group.policy.ts';
import {
	EXPECTED,
	OUTCOME,
	VIEWERS,
	VISIBILITIES,
	matrixStanding,
	type Viewer
} from '../support/group-matrix.ts';
import {
	decision,
	listedInDirectory,
	loadGroupAccess,
	moderatedGroupIds,
	readableGroupIds,
	readersOfGroup
} from '../../src/lib/server/policy/group.access.ts';
import { listDirectory } from '../../src/lib/server/groups/group.service.ts';
import { validateSessionToken, createSession, type SessionUser } from '../../src/lib/server/auth/session.ts';
import { mayReadPostWords } from '../../src/lib/server/policy/post.policy.ts';
import { mayViewProfile } from '../../src/lib/server/policy/person.access.ts';
import { search } from '../../src/lib/server/search/search.service.ts';
import { parseSearch, type SearchKind } from '../../src/lib/server/search/search.query.ts';

let t: TestContext;
const users = new Map<Viewer, SessionUser | null>();
/** group ids: [visibility][audience] */
const groups = new Map<string, number>();

async function sessionUser(
	email: string,
	options: Parameters<typeof createUser>[2] = {}
): Promise<SessionUser> {
	const user = await createUser(t.ctx, email, options);
	const { token } = await createSession(t.ctx.db, user.id, { twoFactorVerified: true }, t.ctx.now());
	const validated = await validateSessionToken(t.ctx.db, token, t.ctx.now());
	if (validated) return validated.user;
	// Suspended accounts cannot hold a session: build what the policy would be told.
	const row = await t.ctx.db
		.selectFrom('users')
		.select(['kind', 'status'])
		.where('id', '=', user.id)
		.executeTakeFirstOrThrow();
	return {
		id: user.id,
		email,
		displayName: email,
		kind: row.kind,
		isAdmin: false,
		status: row.status,
		organisationId: null,
		emailVerified: true,
		twoFactorEnabled: false
	};
}

beforeAll(async () => {
	t = await createTestContext('matrix');
	const key = new Uint8Array(20).fill(7);
	users.set('anonymous', null);
	const unverified = await createUser(t.ctx, 'unverified@kent.police.uk', { verified: false });
	users.set('unverified', {
		id: unverified.id,
		email: unverified.email,
		displayName: 'u',
		kind: 'police',
		isAdmin: false,
		status: 'active',
		organisationId: null,
		emailVerified: false,
		twoFactorEnabled: false
	});
	users.set('guest', await sessionUser('guest@example.org'));
	users.set('partner outside the audience', await sessionUser('outside@nca.gov.uk'));
	users.set('partner in the audience', await sessionUser('inside@nca.gov.uk'));
	users.set('police non-member', await sessionUser('nonmember@kent.police.uk'));
	users.set('member', await sessionUser('member@kent.police.uk'));
	users.set('moderator', await sessionUser('moderator@kent.police.uk', { totpKey: key }));
	users.set('owner', await sessionUser('owner@kent.police.uk', { totpKey: key }));
	users.set('banned', await sessionUser('banned@kent.police.uk'));
	const suspended = await sessionUser('suspended@kent.police.uk');
	await t.ctx.db.updateTable('users').set({ status: 'suspended' }).where('id', '=', suspended.id).execute();
	users.set('suspended', { ...suspended, status: 'suspended' });
	users.set('site administrator', await sessionUser('admin@kent.police.uk', { admin: true, totpKey: key }));
	users.set('invited', await sessionUser('invited@kent.police.uk'));

	for (const visibility of VISIBILITIES) {
		for (const audience of ['police', 'police_partner'] as const) {
			const group = await t.ctx.db
				.insertInto('groups')
				.values({
					slug: `${visibility}-${audience.replace('_', '-')}`,
					name: `${visibility} ${audience}`,
					visibility,
					audience
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			groups.set(`${visibility}/${audience}`, group.id);
			const add = (viewer: Viewer, role: 'owner' | 'moderator' | 'member') =>
				t.ctx.db
					.insertInto('groupMembers')
					.values({ groupId: group.id, userId: users.get(viewer)!.id, role })
					.execute();
			await add('owner', 'owner');
			await add('moderator', 'moderator');
			await add('member', 'member');
			await t.ctx.db
				.insertInto('groupBans')
				.values({ groupId: group.id, userId: users.get('banned')!.id, reason: 'test' })
				.execute();
			await t.ctx.db
				.insertInto('invitations')
				.values({
					groupId: group.id,
					email: 'invited@kent.police.uk',
					tokenHash: `hash-${group.id}`,
					expiresAt: new Date(Date.now() + 86_400_000)
				})
				.execute();
		}
	}
});
afterAll(async () => {
	await t?.close();
});

/** The ids of the matrix's groups a condition admits, in order. */
async function sqlGroups(
	where: (eb: ExpressionBuilder<Database, 'groups'>) => Expression<SqlBool>
): Promise<number[]> {
	const rows = await t.ctx.db
		.selectFrom('groups')
		.select('groups.id')
		.where('groups.id', 'in', [...groups.values()])
		.where(where)
		.orderBy('groups.id')
		.execute();
	return rows.map((r) => r.id);
}

describe('the group access matrix', () => {
	it('has a row for every action the policy knows, and only those', () => {
		expect(Object.keys(EXPECTED).sort()).toEqual([...GROUP_ACTIONS].sort());
		for (const action of GROUP_ACTIONS)
			expect(Object.keys(EXPECTED[action]).sort()).toEqual([...VIEWERS].sort());
	});

	const cells = GROUP_ACTIONS.flatMap((action) => VIEWERS.map((viewer) => [action, viewer] as const));
	it.each(cells)('%s by %s', async (action, viewer) => {
		const got: string[] = [];
		for (const visibility of VISIBILITIES) {
			// The partner outside the audience meets police-only groups; everyone else groups that admit partners.
			const audience = viewer === 'partner outside the audience' ? 'police' : 'police_partner';
			const access = await loadGroupAccess(
				t.ctx.db,
				users.get(viewer)!,
				{ id: groups.get(`${visibility}/${audience}`)! },
				new Date()
			);
			const result = decision(access!, action);
			got.push(result.ok ? 'A' : OUTCOME[result.code]);
		}
		expect(`${action} by ${viewer}: ${got.join('')}`).toBe(
			`${action} by ${viewer}: ${EXPECTED[action][viewer]}`
		);
	});

	it('loads each viewer’s standing in each group as the pure matrix assumes it', async () => {
		for (const viewer of VIEWERS) {
			for (const visibility of VISIBILITIES) {
				const audience = viewer === 'partner outside the audience' ? 'police' : 'police_partner';
				const access = await loadGroupAccess(
					t.ctx.db,
					users.get(viewer)!,
					{ id: groups.get(`${visibility}/${audience}`)! },
					new Date()
				);
				expect([viewer, visibility, access!.standing]).toEqual([viewer, visibility, matrixStanding(viewer)]);
			}
		}
	});

	it('the directory lists exactly the groups the policy lets each viewer see there', async () => {
		for (const viewer of VIEWERS) {
			const user = users.get(viewer);
			if (!user || !user.emailVerified || user.status !== 'active') continue;
			const listed = (await listDirectory(t.ctx, user, {})).groups.map((g) => g.slug).sort();
			const allowed: string[] = [];
			for (const [key, id] of groups) {
				const access = await loadGroupAccess(t.ctx.db, user, { id }, new Date());
				if (decision(access!, 'view_directory_entry').ok)
					allowed.push(key.replace('/', '-').replace('_', '-'));
			}
			expect(listed, viewer).toEqual(allowed.sort());
		}
	});

	// The SQL forms of the policy, which every list and search filters by: each admits exactly the
	// groups the policy allows, for every viewer (anonymous, unconfirmed and suspended included).
	it.each([
		[
			'read_threads',
			(user: SessionUser | null) => sqlGroups((eb) => eb('groups.id', 'in', readableGroupIds(eb, user)))
		],
		['view_directory_entry', (user: SessionUser | null) => sqlGroups((eb) => listedInDirectory(eb, user))],
		[
			'moderate_posts',
			(user: SessionUser | null) => sqlGroups((eb) => eb('groups.id', 'in', moderatedGroupIds(eb, user)))
		]
	] as const)(
		'the SQL for %s admits exactly the groups the policy allows each viewer',
		async (action, admitted) => {
			for (const viewer of VIEWERS) {
				const user = users.get(viewer)!;
				const allowed: number[] = [];
				for (const id of groups.values()) {
					const access = await loadGroupAccess(t.ctx.db, user, { id }, new Date());
					if (decision(access!, action).ok) allowed.push(id);
				}
				expect([viewer, ...(await admitted(user))]).toEqual([viewer, ...allowed.sort((a, b) => a - b)]);
			}
		}
	);

	// Notifications choose their recipients the other way round: of all the matrix's accounts, the
	// readers of each group are exactly the viewers the policy lets read its discussions.
	it('the SQL for the readers of a group admits exactly the accounts the policy lets read it', async () => {
		const accounts = [...users.entries()].filter((e): e is [Viewer, SessionUser] => e[1] !== null);
		for (const [key, id] of groups) {
			const admitted = (
				await t.ctx.db
					.selectFrom('users')
					.select('users.id')
					.where((eb) => eb('users.id', 'in', readersOfGroup(eb, id)))
					.where(
						'users.id',
						'in',
						accounts.map(([, u]) => u.id)
					)
					.execute()
			).map((r) => r.id);
			const allowed: string[] = [];
			for (const [, user] of accounts) {
				const access = await loadGroupAccess(t.ctx.db, user, { id }, new Date());
				if (access && decision(access, 'read_threads').ok) allowed.push(user.id);
			}
			const name = (ids: string[]) => accounts.filter(([, u]) => ids.includes(u.id)).map(([v]) => v);
			expect([key, ...name(admitted)]).toEqual([key, ...name(allowed)]);
		}
	});

	// Search asks the same SQL: on a thread with a visible, a hidden and a deleted post in every
	// group of the matrix, each viewer finds (and counts) exactly what the policy lets them read.
	it('search finds exactly the threads, posts, groups and people the policy lets each viewer see', async () => {
		const marker = 'zanzibarite';
		const owner = users.get('owner')!;
		const posts: Array<{ groupId: number; id: number; deletedAt: Date | null; hiddenAt: Date | null }> = [];
		const threads = new Map<number, number>();
		for (const groupId of groups.values()) {
			await t.ctx.db
				.updateTable('groups')
				.set({ description: `The ${marker} directory entry` })
				.where('id', '=', groupId)
				.execute();
			const thread = await t.ctx.db
				.insertInto('threads')
				.values({ groupId, authorId: owner.id, title: `The ${marker} thread`, postCount: 3 })
				.returning('id')
				.executeTakeFirstOrThrow();
			threads.set(Number(thread.id), groupId);
			for (const [number, state] of (['visible', 'hidden', 'deleted'] as const).entries()) {
				const facts = {
					hiddenAt: state === 'hidden' ? new Date() : null,
					deletedAt: state === 'deleted' ? new Date() : null
				};
				const post = await t.ctx.db
					.insertInto('posts')
					.values({
						threadId: thread.id,
						number: number + 1,
						authorId: owner.id,
						source: `A ${state} ${marker} post`,
						html: '',
						...facts
					})
					.returning('id')
					.executeTakeFirstOrThrow();
				posts.push({ groupId, id: Number(post.id), ...facts });
			}
		}
		const found = async (user: SessionUser, kind: SearchKind, q = marker) => {
			const { request } = parseSearch(new URLSearchParams({ q, kind }));
			const result = await search(t.ctx, user, request);
			return { hrefs: result.hits.map((h) => h.href).sort(), count: result.counts[kind] };
		};
		for (const viewer of VIEWERS) {
			const user = users.get(viewer);
			if (!user) continue; // search is a signed-in page: page-access turns the anonymous away
			const allowed = { post: [] as string[], thread: [] as string[], group: [] as string[] };
			for (const [key, groupId] of groups) {
				const access = (await loadGroupAccess(t.ctx.db, user, { id: groupId }, new Date()))!;
				const slug = key.replace('/', '-').replace('_', '-');
				if (decision(access, 'view_directory_entry').ok) allowed.group.push(`/groups/${slug}`);
				if (!decision(access, 'read_threads').ok) continue;
				const moderator = decision(access, 'moderate_posts').ok;
				for (const [threadId, inGroup] of threads) {
					if (inGroup !== groupId) continue;
					const path = `/groups/${slug}/t/${threadId}-the-${marker}-thread`;
					allowed.thread.push(path);
					for (const post of posts.filter((p) => p.groupId === groupId && mayReadPostWords(p, moderator)))
						allowed.post.push(`${path}?page=1#post-${post.id}`);
				}
			}
			for (const kind of ['post', 'thread', 'group'] as const) {
				const got = await found(user, kind);
				expect([viewer, kind, got.count, ...got.hrefs]).toEqual([
					viewer,
					kind,
					allowed[kind].length,
					...allowed[kind].sort()
				]);
			}
		}
		// People: exactly those whose profile the profile page would show (an unconfirmed account is
		// nobody yet), found by their own name.
		const searcher = users.get('member')!;
		for (const viewer of VIEWERS) {
			const person = users.get(viewer);
			if (!person) continue;
			const row = await t.ctx.db
				.selectFrom('users')
				.select(['id', 'displayName', 'emailVerifiedAt'])
				.where('id', '=', person.id)
				.executeTakeFirstOrThrow();
			const got = await found(searcher, 'person', row.displayName);
			expect([viewer, got.hrefs.includes(`/people/${row.id}`)]).toEqual([viewer, mayViewProfile(row)]);
		}
	});

	it('a moderator without two-factor is sent to set it up before any moderation', async () => {
		await t.ctx.db
			.updateTable('users')
			.set({ totpEnabledAt: null, totpKeyEncrypted: null })
			.where('email', '=', 'moderator@kent.police.uk')
			.execute();
		const moderator = { ...users.get('moderator')!, twoFactorEnabled: false };
		const access = await loadGroupAccess(
			t.ctx.db,
			moderator,
			{ id: groups.get('restricted/police_partner')! },
			new Date()
		);
		expect(decision(access!, 'approve')).toMatchObject({ ok: false, code: 'two_factor' });
		expect(decision(access!, 'view_members')).toEqual({ ok: true });
	});

	it('an archived group is read-only for everyone, its owners included', async () => {
		const id = groups.get('open/police_partner')!;
		await sql`update groups set archived_at = now() where id = ${id}`.execute(t.ctx.db);
		for (const viewer of ['police non-member', 'member', 'owner', 'site administrator'] as const) {
			const access = await loadGroupAccess(t.ctx.db, users.get(viewer)!, { id }, new Date());
			expect(decision(access!, 'view_group')).toEqual({ ok: true });
			for (const action of ['join', 'ask', 'invite', 'approve', 'change_role', 'edit_settings'] as const) {
				expect(decision(access!, action), `${action} by ${viewer}`).toMatchObject({
					ok: false,
					code: 'conflict'
				});
			}
		}
		const owner = await loadGroupAccess(t.ctx.db, users.get('owner')!, { id }, new Date());
		expect(decision(owner!, 'archive')).toEqual({ ok: true }); // to unarchive
	});
});
