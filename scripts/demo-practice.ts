/**
 * The demo's good-practice library (entries in demo-practice-entries.ts), written through the
 * practice service on the demo's timeline, so versions, reviews, discussion threads and audit
 * rows are the app's own. The administrator first makes the reviewer a site-wide practice
 * reviewer; a group's entries are reviewed by that group's owner.
 */
import { createDraft } from '../src/lib/server/practice/practice-drafting.service.ts';
import { review, submitForReview } from '../src/lib/server/practice/practice-review.service.ts';
import { setPracticeReviewer } from '../src/lib/server/practice/topics.service.ts';
import { practiceDraftSchema, type PracticeDraftInput } from '../src/lib/server/practice/practice.schemas.ts';
import { GROUPS, type DemoGroup } from './demo-content.ts';
import { ENTRIES, type DemoEntry } from './demo-practice-entries.ts';
import { THREADS, type Timeline } from './demo-timeline.ts';
import type { DemoWorld } from './demo-seed.ts';

const MINUTE = 60_000;

async function draftInput(world: DemoWorld, entry: DemoEntry): Promise<PracticeDraftInput> {
	const author = world.people[entry.by];
	const topics = await world.ctx.db
		.selectFrom('practiceTopics')
		.select(['id', 'name'])
		.where('name', 'in', entry.topics)
		.execute();
	if (topics.length !== entry.topics.length) {
		throw new Error(`the demo entry "${entry.fields.title}" has topics that are not in the list`);
	}
	const complete = entry.outcome !== 'draft';
	const fields = practiceDraftSchema.parse({
		...entry.fields,
		...(complete
			? {
					leadOrganisation: String(author.user.organisationId ?? ''),
					contact: author.user.displayName,
					contactId: author.user.id
				}
			: {})
	});
	return { ...fields, topics: topics.map((t) => t.id) };
}

/** Content mistakes are found before anything is written, with the entry named. */
function check(world: DemoWorld, entry: DemoEntry): void {
	const fail = (problem: string) => {
		throw new Error(`the demo entry "${entry.fields.title}": ${problem}`);
	};
	const reviewed = entry.outcome === 'published' || entry.outcome === 'returned';
	if (reviewed !== (entry.review !== undefined)) fail('only published and returned entries have a review');
	if (entry.review) {
		const group: DemoGroup | undefined = entry.group ? GROUPS[entry.group] : undefined;
		const reviewer = group ? group.owner : 'ruth';
		if (entry.review.by !== reviewer) fail(`it is reviewed by ${world.people[reviewer].person.name}`);
		if (entry.review.by === entry.by) fail('nobody reviews their own entry');
	}
	if (entry.fromThread) {
		const thread = THREADS.find((t) => t.key === entry.fromThread);
		if (!thread || thread.group !== entry.group) fail('it must be written up from a thread of its group');
	}
}

/** Schedules the demo's practice entries; returns one line saying what is made. */
export function schedulePractice(world: DemoWorld, timeline: Timeline): string {
	const { ctx, clock, people: p, meta } = world;
	timeline.add(clock.moment(18, 9, 0), async () => {
		await setPracticeReviewer(ctx, p.helen.user, p.ruth.user.id, true, 'Good practice review lead.', meta);
	});

	for (const entry of ENTRIES) {
		check(world, entry);
		const author = p[entry.by].user;
		let id = 0;
		const drafted = clock.moment(entry.drafted.daysAgo, ...entry.drafted.time);
		timeline.add(drafted, async () => {
			const input = await draftInput(world, entry);
			const source = entry.fromThread ? world.threads[entry.fromThread] : undefined;
			if (entry.fromThread && !source)
				throw new Error(`the demo entry "${input.title}" comes before its thread`);
			const group = entry.group ? world.groups[entry.group].slug : undefined;
			({ id } = await createDraft(ctx, author, { groupSlug: group, fromThread: source?.id }, input, meta));
		});
		if (entry.outcome === 'draft') continue;
		timeline.add(drafted + 95 * MINUTE, async () => {
			// The site's other practice reviewers (outside the demo) are e-mailed too; that mail is held.
			world.mail.subjects.add(`Good practice to review: “${entry.fields.title}”`);
			await submitForReview(ctx, author, id, meta);
		});
		if (!entry.review) continue;
		const { at, by, comment } = entry.review;
		const decision = entry.outcome === 'published' ? 'publish' : 'return';
		timeline.add(clock.moment(at.daysAgo, ...at.time), async () => {
			await review(ctx, p[by].user, id, { decision, comment }, meta);
		});
	}

	const count = (outcome: DemoEntry['outcome'], group: boolean) =>
		ENTRIES.filter((e) => e.outcome === outcome && (e.group !== undefined) === group).length;
	return (
		`Practice entries: ${count('published', false)} published site-wide (reviewed by ${p.ruth.person.name}) ` +
		`and ${count('published', true)} in groups; ${count('in_review', false) + count('in_review', true)} in review ` +
		`(${count('in_review', true)} a group's); ${count('returned', false)} returned with comments; ` +
		`${count('draft', false)} draft`
	);
}
