/**
 * A good-practice entry as a form: what a draft needs (a title), what a submission for
 * review needs (every field a reader relies on), and the labels of the controlled lists.
 * Modelled on the College of Policing Practice Bank and the EMMIE framework: what the
 * problem was, what was done, what was meant to happen, the evidence, and the costs.
 */
import { z } from 'zod';
import { TOO_DEEP, tooDeeplyNested } from '../markdown/markdown.ts';
import { EFFECTIVENESS_LABELS, REGION_LABELS, SCALE_LABELS, STAGE_LABELS } from '../../practice-labels.ts';
import { threadSlug } from '../discussions/thread-paths.ts';
import type { PracticeEffectiveness, PracticeScale, PracticeStage, Row } from '../db/schema.ts';

export const EFFECTIVENESS = EFFECTIVENESS_LABELS as Record<PracticeEffectiveness, string>;
export const EFFECTIVENESS_HINT: Record<PracticeEffectiveness, string> = {
	worked: 'Evaluated, and the evidence shows it achieved what it set out to do',
	promising: 'Some evidence of a positive effect, not yet conclusive',
	untested: 'Running or planned, with no evaluation yet',
	did_not_work: 'Evaluated, and it did not achieve what it set out to do: shared so others can learn'
};
export const STAGES = STAGE_LABELS as Record<PracticeStage, string>;
export const SCALES = SCALE_LABELS as Record<PracticeScale, string>;
export const REGIONS = REGION_LABELS as Record<string, string>;

export const SECTIONS = [
	['aim', 'Aim or problem', 'What problem did this address, and what did it aim to achieve?'],
	['done', 'What was done', 'What was done, by whom, and how. Enough for another force to repeat it.'],
	['outcome', 'Intended outcome', 'What was meant to change, and how you would know.'],
	['results', 'Results and evidence', 'What happened, and how you know: figures, evaluation, feedback.'],
	['lessons', 'Lessons and costs', 'What you would do differently, what it cost, and what it needs to work.']
] as const;
export type SectionName = (typeof SECTIONS)[number][0];

const keys = <T extends string>(record: Record<T, string>) => Object.keys(record) as [T, ...T[]];
const optionalChoice = <T extends string>(record: Record<T, string>, message: string) =>
	z
		.union([z.literal(''), z.enum(keys(record), { message })])
		.default('')
		.transform((v) => (v === '' ? null : v));

const section = z
	.string()
	.trim()
	.max(20_000, { message: 'Each section must be 20,000 characters or fewer' })
	.refine((v) => !tooDeeplyNested(v), { message: TOO_DEEP })
	.default('');

const isoDate = (label: string) =>
	z
		.string()
		.trim()
		.default('')
		.refine(
			// A real calendar date (not 30 February, which Date.parse rolls into March), year 1 on.
			(v) => {
				if (v === '') return true;
				if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || v.startsWith('0000')) return false;
				const parsed = new Date(`${v}T00:00:00Z`);
				return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === v;
			},
			{
				message: `Enter the ${label} as a real date, with a day, month and year, for example 1 3 2026`
			}
		)
		.transform((v) => (v === '' ? null : v));

/** What a saved draft holds; everything but the title may still be empty. */
export const practiceDraftSchema = z
	.object({
		title: z
			.string({ message: 'Enter a title' })
			.trim()
			.min(3, { message: 'Enter a title of at least 3 characters' })
			.max(150, { message: 'The title must be 150 characters or fewer' }),
		summary: z
			.string()
			.trim()
			.max(300, { message: 'The summary must be 300 characters or fewer' })
			.default(''),
		aim: section,
		done: section,
		outcome: section,
		results: section,
		lessons: section,
		effectiveness: optionalChoice(EFFECTIVENESS, 'Choose whether it works'),
		stage: optionalChoice(STAGES, 'Choose a stage'),
		scale: optionalChoice(SCALES, 'Choose a scale'),
		region: optionalChoice(REGIONS, 'Choose a region'),
		leadOrganisation: z
			.string()
			.trim()
			.default('')
			.refine((v) => v === '' || /^\d{1,9}$/.test(v), { message: 'Choose the lead organisation' })
			.transform((v) => (v === '' ? null : Number(v))),
		partners: z
			.string()
			.trim()
			.max(500, { message: 'Partner organisations must be 500 characters or fewer' })
			.default(''),
		targetGroup: z
			.string()
			.trim()
			.max(200, { message: 'The target group must be 200 characters or fewer' })
			.default(''),
		startDate: isoDate('start date'),
		endDate: isoDate('end date'),
		contact: z
			.string()
			.trim()
			.max(100, { message: 'The contact’s name must be 100 characters or fewer' })
			.default(''),
		/** The person picked when several match the name (or the one already chosen). */
		contactId: z.string().trim().max(36).default(''),
		links: z
			.string()
			.trim()
			.max(5000)
			.default('')
			.transform((v) =>
				v
					.split(/\r?\n/)
					.map((line) => line.trim())
					.filter(Boolean)
			)
			.refine((lines) => lines.length <= 10, { message: 'Add at most 10 links' })
			.refine((lines) => lines.every((line) => /^https:\/\/[^\s<>"]+$/i.test(line) && URL.canParse(line)), {
				message: 'Each link must be a full web address starting with https:// (one a line)'
			})
	})
	.refine((v) => !v.startDate || !v.endDate || v.endDate >= v.startDate, {
		path: ['endDate'],
		message: 'The end date must be the same as or after the start date'
	});

export type PracticeDraftInput = z.output<typeof practiceDraftSchema> & { topics: number[] };

/** What a submission for review must have: every field a reader relies on. */
export function missingForReview(
	v: Pick<
		Row<'practiceVersions'>,
		| 'summary'
		| 'aim'
		| 'done'
		| 'outcome'
		| 'results'
		| 'effectiveness'
		| 'stage'
		| 'scale'
		| 'region'
		| 'leadOrganisationId'
		| 'contactId'
		| 'topicIds'
	>
): Record<string, string> {
	const errors: Record<string, string> = {};
	if (!v.summary) errors.summary = 'Write a summary of up to 300 characters';
	if (!v.aim) errors.aim = 'Say what the aim or problem was';
	if (!v.done) errors.done = 'Say what was done';
	if (!v.outcome) errors.outcome = 'Say what the intended outcome was';
	if (!v.results) errors.results = 'Give the results and evidence, even if it is too early to tell';
	if (!v.effectiveness) errors.effectiveness = 'Choose whether it works';
	if (!v.stage) errors.stage = 'Choose a stage';
	if (v.topicIds.length === 0) errors.topics = 'Choose at least one topic';
	if (!v.leadOrganisationId) errors.leadOrganisation = 'Choose the lead organisation';
	if (!v.region) errors.region = 'Choose a region';
	if (!v.scale) errors.scale = 'Choose a scale';
	if (!v.contactId) errors.contact = 'Name the person readers should contact';
	return errors;
}

/**
 * The library's filters as an address gives them (the library page, and search narrowed to good
 * practice): each kept only when it is one of its known values, anything else ignored.
 */
export function practiceFiltersFrom(params: URLSearchParams) {
	const oneOf = (labels: Record<string, string>, value: string | null) =>
		value && Object.hasOwn(labels, value) ? value : undefined;
	const id = (value: string | null) => (value && /^\d{1,9}$/.test(value) ? Number(value) : undefined);
	return {
		effectiveness: oneOf(EFFECTIVENESS, params.get('effectiveness')),
		stage: oneOf(STAGES, params.get('stage')),
		region: oneOf(REGIONS, params.get('region')),
		scale: oneOf(SCALES, params.get('scale')),
		topic: id(params.get('topic')),
		organisation: id(params.get('organisation'))
	};
}

/** "12-county-lines-triage" → 12. */
export function practiceIdFrom(param: string): number | undefined {
	const match = /^(\d{1,9})(-[a-z0-9-]*)?$/.exec(param);
	return match ? Number(match[1]) : undefined;
}

export function practicePath(entry: { id: number; title: string }): string {
	const slug = threadSlug(entry.title);
	return `/practice/${entry.id}${slug ? `-${slug}` : ''}`;
}

export const reviewSchema = z
	.object({
		decision: z.enum(['publish', 'return'], { message: 'Choose whether to publish or return the entry' }),
		comment: z
			.string()
			.trim()
			.max(2000, { message: 'The comment must be 2,000 characters or fewer' })
			.default('')
	})
	.refine((v) => v.decision === 'publish' || v.comment.length > 0, {
		path: ['comment'],
		message: 'Say what the author needs to change'
	});

export const archiveSchema = z.object({
	reason: z
		.string()
		.trim()
		.min(1, { message: 'Enter a reason' })
		.max(500, { message: 'The reason must be 500 characters or fewer' })
});
