/**
 * A small world of people, groups, discussions and practice, built through the services
 * (as people would build it), with a session for every kind of viewer. The route-access
 * and hostile-input tests visit every route of the app in it.
 */
import type { AppContext } from '../../src/lib/server/context.ts';
import { createSession, validateSessionToken, type SessionUser } from '../../src/lib/server/auth/session.ts';
import { createGroup } from '../../src/lib/server/groups/group.service.ts';
import { addMember, askToJoin } from '../../src/lib/server/groups/membership.service.ts';
import { invite } from '../../src/lib/server/groups/moderation.service.ts';
import { createThread, reply, startThread } from '../../src/lib/server/discussions/thread.service.ts';
import { threadPath } from '../../src/lib/server/discussions/thread-paths.ts';
import { createDraft, saveDraft } from '../../src/lib/server/practice/practice-drafting.service.ts';
import { review } from '../../src/lib/server/practice/practice-review.service.ts';
import { practiceDraftSchema, practicePath } from '../../src/lib/server/practice/practice.schemas.ts';
import { createUser } from './accounts.ts';
import { SMALL_PDF, storeDocument } from './library.ts';

export const VIEWERS = [
	'anonymous',
	'unconfirmed',
	'password only',
	'guest',
	'partner',
	'police',
	'moderator',
	'admin without two-factor',
	'admin'
] as const;
export type ViewerName = (typeof VIEWERS)[number];

const KEY = new Uint8Array(20).fill(7);
const META = { ip: '127.0.0.1', userAgent: 'world' };

export interface World {
	/** A session cookie value per viewer (none for anonymous); fresh ones from `newSession`. */
	users: Record<Exclude<ViewerName, 'anonymous'>, { id: string; email: string; user: SessionUser | null }>;
	newSession(viewer: ViewerName): Promise<string | undefined>;
	open: {
		slug: string;
		threadPath: string;
		threadId: number;
		postId: number;
		replyId: number;
		/** A document in the group's library, added by the police member. */
		documentId: number;
	};
	/** A restricted group with a partner's request and a guest's invitation waiting (moderator owns it). */
	restricted: { slug: string };
	closed: { slug: string; threadPath: string; threadId: number; postId: number; documentId: number };
	practice: { path: string; id: number };
	/** A document in the site library, published by the administrator. */
	siteDocumentId: number;
	organisationId: number;
}

let worlds = 0;

export async function buildWorld(ctx: AppContext): Promise<World> {
	const n = ++worlds;
	const make = (email: string, options: Parameters<typeof createUser>[2] = {}) =>
		createUser(ctx, email, {
			displayName: email
				.split('@')[0]!
				.replace(/[.\d]+/g, ' ')
				.trim(),
			...options
		});
	const accounts = {
		unconfirmed: await make(`unconfirmed.${n}@kent.police.uk`, { verified: false }),
		'password only': await make(`halfway.${n}@kent.police.uk`, { totpKey: KEY }),
		guest: await make(`guest.${n}@example.org`),
		partner: await make(`partner.${n}@nca.gov.uk`),
		police: await make(`police.${n}@kent.police.uk`),
		moderator: await make(`moderator.${n}@essex.police.uk`, { totpKey: KEY }),
		'admin without two-factor': await make(`admin.nokey.${n}@npcc.police.uk`, { admin: true }),
		admin: await make(`admin.${n}@npcc.police.uk`, { admin: true, totpKey: KEY })
	};
	await ctx.db
		.updateTable('users')
		.set({ practiceReviewer: true })
		.where('id', '=', accounts.moderator.id)
		.execute();

	async function newSession(viewer: ViewerName): Promise<string | undefined> {
		if (viewer === 'anonymous') return undefined;
		const account = accounts[viewer];
		const { token } = await createSession(
			ctx.db,
			account.id,
			{ twoFactorVerified: viewer !== 'password only' && !!account.totpKey },
			ctx.now()
		);
		return token;
	}
	async function sessionUser(viewer: Exclude<ViewerName, 'anonymous'>): Promise<SessionUser> {
		const token = (await newSession(viewer))!;
		return (await validateSessionToken(ctx.db, token, ctx.now()))!.user;
	}
	const police = await sessionUser('police');
	const moderator = await sessionUser('moderator');

	const openSlug = await createGroup(
		ctx,
		moderator,
		{
			name: `Open world ${n}`,
			description: 'An open group.',
			visibility: 'open',
			audience: 'police_partner'
		},
		META
	);
	const closedSlug = await createGroup(
		ctx,
		moderator,
		{ name: `Closed world ${n}`, description: 'A private group.', visibility: 'private', audience: 'police' },
		META
	);
	const openGroup = await ctx.db
		.selectFrom('groups')
		.select('id')
		.where('slug', '=', openSlug)
		.executeTakeFirstOrThrow();
	await ctx.db.transaction().execute((trx) => addMember(trx, openGroup.id, police.id, 'member', ctx.now()));

	const thread = await startThread(ctx, police, openSlug, {
		title: `A discussion ${n}`,
		body: 'What has worked for you?'
	});
	const answer = await reply(ctx, moderator, openSlug, thread.id, 'Joint visits.');
	// Straight into the private group (a second post inside five seconds would be rate limited).
	const closedGroup = await ctx.db
		.selectFrom('groups')
		.select('id')
		.where('slug', '=', closedSlug)
		.executeTakeFirstOrThrow();
	const secret = await ctx.db
		.transaction()
		.execute((trx) =>
			createThread(
				ctx,
				trx,
				closedGroup.id,
				moderator,
				{ title: `Covert meeting ${n}`, body: 'Not for everyone.' },
				ctx.now()
			)
		);

	const restrictedSlug = await createGroup(
		ctx,
		moderator,
		{
			name: `Restricted world ${n}`,
			description: 'A restricted group.',
			visibility: 'restricted',
			audience: 'police_partner'
		},
		META
	);
	await askToJoin(ctx, await sessionUser('partner'), restrictedSlug, 'May I join?', META);
	await invite(ctx, moderator, restrictedSlug, { email: accounts.guest.email, days: 30 }, META);

	const organisation = await ctx.db
		.selectFrom('organisations')
		.select('id')
		.where('name', 'ilike', 'Kent%')
		.executeTakeFirstOrThrow();
	const topic = await ctx.db
		.selectFrom('practiceTopics')
		.select('id')
		.orderBy('id')
		.executeTakeFirstOrThrow();
	const input = {
		...practiceDraftSchema.parse({
			title: `Car wash welfare visits ${n}`,
			summary: 'Joint visits to hand car washes.',
			aim: 'Find people exploited in hand car washes.',
			done: 'Monthly joint visits.',
			outcome: 'More referrals.',
			results: '14 referrals in six months.',
			lessons: 'Interpreters are essential.',
			effectiveness: 'promising',
			stage: 'pilot',
			scale: 'force',
			region: 'south_east',
			leadOrganisation: String(organisation.id),
			partners: 'GLAA',
			targetGroup: 'Workers in hand car washes',
			startDate: '2026-01-05',
			endDate: '',
			contact: police.displayName,
			links: ''
		}),
		topics: [topic.id]
	};
	const entry = await createDraft(ctx, police, {}, input, META);
	await saveDraft(ctx, police, entry.id, input, META, { submit: true });
	await review(ctx, moderator, entry.id, { decision: 'publish', comment: '' }, META);

	const openDocument = await storeDocument(ctx, police, openSlug, {
		title: `Referral pathway ${n}`,
		name: 'pathway.pdf',
		data: SMALL_PDF
	});
	const closedDocument = await storeDocument(ctx, moderator, closedSlug, {
		title: `Covert briefing pack ${n}`,
		name: 'briefing.pdf',
		data: SMALL_PDF
	});

	const siteDocument = await storeDocument(ctx, await sessionUser('admin'), 'site', {
		title: `National guidance ${n}`,
		name: 'guidance.pdf',
		data: SMALL_PDF
	});

	const users = {} as World['users'];
	for (const [name, account] of Object.entries(accounts)) {
		users[name as keyof typeof accounts] = {
			id: account.id,
			email: account.email,
			user: name === 'police' ? police : name === 'moderator' ? moderator : null
		};
	}
	return {
		users,
		newSession,
		open: {
			slug: openSlug,
			threadPath: threadPath(openSlug, thread),
			threadId: thread.id,
			postId: thread.firstPostId,
			replyId: answer.id,
			documentId: openDocument.documentId
		},
		restricted: { slug: restrictedSlug },
		closed: {
			slug: closedSlug,
			threadPath: threadPath(closedSlug, secret),
			threadId: secret.id,
			postId: secret.firstPostId,
			documentId: closedDocument.documentId
		},
		practice: { path: practicePath(entry), id: entry.id },
		siteDocumentId: siteDocument.documentId,
		organisationId: organisation.id
	};
}
