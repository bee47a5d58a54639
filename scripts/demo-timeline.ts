/**
 * The demo's weeks of activity, played in order of time. Each thread, reply, helpful mark,
 * answer, pin, lock, visit and practice step is scheduled at its own moment; then all of them
 * run, oldest first, each with the demo clock set to its moment. So threads overlap as they do
 * in a real forum, and whoever reads the groups at a moment reads exactly what was there then.
 */
import { reply, startThread, markRead } from '../src/lib/server/discussions/thread.service.ts';
import { setAnswer, toggleHelpful } from '../src/lib/server/discussions/post.service.ts';
import { setLocked, setPinned } from '../src/lib/server/discussions/thread-moderation.service.ts';
import { askToJoin } from '../src/lib/server/groups/membership.service.ts';
import { escapeMarkdownText } from '../src/lib/server/markdown/markdown.ts';
import { invite } from '../src/lib/server/groups/moderation.service.ts';
import {
	belongsTo,
	GROUPS,
	PEOPLE,
	PENDING_REQUEST,
	VISITS,
	type DemoGroup,
	type DemoReply,
	type DemoThread,
	type GroupKey,
	type PersonKey
} from './demo-content.ts';
import { chatterDelay, chatterText, stableHash } from './demo-chatter.ts';
import { SLAVERY_THREADS } from './demo-threads-slavery.ts';
import { EXPLOITATION_THREADS } from './demo-threads-exploitation.ts';
import { COUNTY_LINES_THREADS } from './demo-threads-county-lines.ts';
import { HELP_THREADS } from './demo-threads-help.ts';
import { RETURNS_THREAD } from './demo-returns.ts';
import type { DemoClock, DemoTally, DemoWorld } from './demo-seed.ts';

export const THREADS: DemoThread[] = [
	...HELP_THREADS,
	...SLAVERY_THREADS,
	...EXPLOITATION_THREADS,
	...COUNTY_LINES_THREADS,
	RETURNS_THREAD
];

const MINUTE = 60_000;

interface Step {
	at: number;
	order: number;
	run: () => Promise<void>;
}

/** Steps at moments (milliseconds), played oldest first; steps at the same moment in the order added. */
export class Timeline {
	private readonly steps: Step[] = [];
	constructor(readonly clock: DemoClock) {}

	add(at: number, run: () => Promise<void>): void {
		// Everything happens before today, whatever time of day the demo is run.
		if (at >= this.clock.moment(0, 0, 0)) throw new Error('a demo step falls today: move it earlier');
		this.steps.push({ at, order: this.steps.length, run });
	}

	async play(): Promise<void> {
		const steps = [...this.steps].sort((a, b) => a.at - b.at || a.order - b.order);
		for (const step of steps) {
			this.clock.to(step.at);
			await step.run();
		}
	}
}

function isModerator(group: DemoGroup, person: PersonKey): boolean {
	return group.owner === person || person in (group.moderators ?? {});
}

/** Content mistakes are found before anything is written, with the thread named. */
function check(thread: DemoThread, replies: DemoReply[]): void {
	const group: DemoGroup = GROUPS[thread.group];
	const fail = (problem: string) => {
		throw new Error(`the demo thread "${thread.title}": ${problem}`);
	};
	const people = [thread.by, ...replies.flatMap((r) => [r.by, ...(r.helpful ?? [])])];
	for (const person of people) {
		if (!belongsTo(thread.group, person)) fail(`${PEOPLE[person].name} is not in ${group.name}`);
	}
	for (const moderator of [thread.pinnedBy, thread.locked?.by]) {
		if (moderator && !(isModerator(group, moderator) && PEOPLE[moderator].twoFactor)) {
			fail(`${PEOPLE[moderator].name} cannot moderate ${group.name}`);
		}
	}
	replies.forEach((r, i) => {
		if (r.helpful?.includes(r.by)) fail(`${PEOPLE[r.by].name} marks their own reply helpful`);
		if (new Set(r.helpful).size !== (r.helpful ?? []).length)
			fail('a reply is marked helpful twice by one person');
		if (r.quotes !== undefined && r.quotes > i) fail(`reply ${i + 1} quotes a later post`);
	});
	if (replies.filter((r) => r.answer).length > 1) fail('more than one answer');
}

/** "@Name" of a member of the group: a mention the app will link and tell them about. */
function mentionsIn(group: GroupKey, body: string): number {
	return (Object.keys(PEOPLE) as PersonKey[]).filter(
		(key) => belongsTo(group, key) && body.includes(`@${PEOPLE[key].name}`)
	).length;
}

/** The reply as the Quote button starts it: the quoted post, and a link to it. */
function quoted(source: string, authorName: string, slug: string, postId: number): string {
	const lines = source.split('\n').map((line) => `> ${line}`);
	return `${lines.join('\n')}\n>\n> — [${escapeMarkdownText(authorName)}](/groups/${slug}/p/${postId})\n\n`;
}

function scheduleThread(world: DemoWorld, timeline: Timeline, spec: DemoThread, tally: DemoTally): void {
	const { ctx, clock, people: p, groups, meta } = world;
	const user = (key: PersonKey) => p[key].user;
	const replies: DemoReply[] = [
		...spec.replies,
		...(spec.chatter ?? []).map((by, n) => ({
			by,
			after: chatterDelay(spec.key, n),
			body: chatterText(spec.key, n)
		}))
	];
	check(spec, replies);
	const slug = () => groups[spec.group].slug;
	// The posts as they are written: what a later reply quotes.
	const posts: { id: number; source: string; by: PersonKey }[] = [];
	let threadId = 0;

	let time = clock.moment(spec.daysAgo, ...spec.time);
	timeline.add(time, async () => {
		const thread = await startThread(ctx, user(spec.by), slug(), { title: spec.title, body: spec.body });
		threadId = thread.id;
		posts.push({ id: thread.firstPostId, source: spec.body, by: spec.by });
		world.threads[spec.key] = { id: thread.id, title: thread.title, group: spec.group };
	});
	tally.threads += 1;
	tally.mentions += mentionsIn(spec.group, spec.body);
	if (spec.pinnedBy) {
		const by = spec.pinnedBy;
		timeline.add(time + 2 * MINUTE, async () => {
			await setPinned(ctx, user(by), slug(), threadId, { pinned: true, reason: 'Read this first.' }, meta);
		});
		tally.pinned += 1;
	}

	let answer: number | undefined;
	replies.forEach((item, i) => {
		// A few seconds either way, so that times do not look machine-made.
		const seconds = (stableHash(`${spec.key}:${i}`) % 50) * 1000;
		const next =
			typeof item.after === 'number'
				? clock.daytime(time + item.after * MINUTE + seconds)
				: clock.moment(item.after.daysAgo, ...item.after.time) + seconds;
		if (next <= time)
			throw new Error(`the demo thread "${spec.title}": reply ${i + 1} comes before the post it follows`);
		time = next;
		const number = i + 1;
		timeline.add(time, async () => {
			let body = item.body;
			if (item.quotes !== undefined) {
				const source = posts[item.quotes]!;
				body = quoted(source.source, PEOPLE[source.by].name, slug(), source.id) + body;
			}
			const post = await reply(ctx, user(item.by), slug(), threadId, body);
			posts[number] = { id: post.id, source: body, by: item.by };
		});
		tally.replies += 1;
		tally.mentions += mentionsIn(spec.group, item.body);
		if (item.quotes !== undefined) tally.quotes += 1;
		if (item.answer) answer = number;
		(item.helpful ?? []).forEach((key, k) => {
			// Marked over the following hours, as people read it.
			timeline.add(time + (11 + 47 * k) * MINUTE, async () => {
				await toggleHelpful(ctx, user(key), slug(), posts[number]!.id);
			});
			tally.helpful += 1;
		});
	});
	if (answer !== undefined) {
		const number = answer;
		timeline.add(time + 3 * MINUTE, async () => {
			await setAnswer(ctx, user(spec.by), slug(), posts[number]!.id, true);
		});
		tally.answers += 1;
	}
	if (spec.locked) {
		const { by, reason } = spec.locked;
		timeline.add(time + 5 * MINUTE, async () => {
			await setLocked(ctx, user(by), slug(), threadId, { lock: true, reason }, meta);
		});
		tally.locked += 1;
	}
}

/** Every thread, with its replies, helpful marks, answer, pin and lock. */
export function scheduleThreads(world: DemoWorld, timeline: Timeline): DemoTally {
	const tally: DemoTally = {
		threads: 0,
		replies: 0,
		helpful: 0,
		answers: 0,
		pinned: 0,
		locked: 0,
		mentions: 0,
		quotes: 0
	};
	for (const spec of THREADS) scheduleThread(world, timeline, spec, tally);
	return tally;
}

/**
 * Each person's visits: everything in their groups up to that moment is read, as if they had
 * opened each discussion. What others post after their last visit is their unread activity.
 */
export function scheduleVisits(world: DemoWorld, timeline: Timeline): void {
	const { ctx, clock, people: p } = world;
	for (const [key, visits] of Object.entries(VISITS) as [PersonKey, (typeof VISITS)[PersonKey]][]) {
		for (const visit of visits) {
			timeline.add(clock.moment(visit.daysAgo, ...visit.time), async () => {
				const threads = await ctx.db
					.selectFrom('threads')
					.innerJoin('groupMembers', 'groupMembers.groupId', 'threads.groupId')
					.select(['threads.id', 'threads.postCount'])
					.where('groupMembers.userId', '=', p[key].user.id)
					.execute();
				for (const thread of threads) {
					await markRead(ctx.db, p[key].user.id, thread.id, thread.postCount, ctx.now());
				}
			});
		}
	}
}

/** Left waiting, so a moderator and an invitee each have something to act on. */
export function schedulePending(world: DemoWorld, timeline: Timeline): void {
	const { ctx, clock, people: p, groups, meta } = world;
	timeline.add(clock.moment(1, 9, 5), async () => {
		await askToJoin(ctx, p.owen.user, groups.slavery.slug, PENDING_REQUEST, meta);
	});
	timeline.add(clock.moment(1, 9, 25), async () => {
		await invite(ctx, p.tom.user, groups.tasking.slug, { email: p.aisha.user.email, days: 14 }, meta);
	});
}
