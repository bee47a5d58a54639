/**
 * The practice form at the edges: the choices it offers, and the submitted form as input
 * for the practice service (topics are several values of one field).
 */
import type { AppContext } from '../context.ts';
import { parseForm, type FieldErrors, type FormValues } from '../forms.ts';
import {
	EFFECTIVENESS,
	EFFECTIVENESS_HINT,
	REGIONS,
	SCALES,
	SECTIONS,
	STAGES,
	practiceDraftSchema,
	type PracticeDraftInput
} from '../practice/practice.schemas.ts';
import { liveTopics } from '../practice/topics.service.ts';

export async function practiceFormOptions(ctx: AppContext) {
	const [topics, organisations] = await Promise.all([
		liveTopics(ctx),
		ctx.db.selectFrom('organisations').select(['id', 'name']).orderBy('name').execute()
	]);
	const options = (labels: Record<string, string>) =>
		Object.entries(labels).map(([value, label]) => ({ value, label }));
	return {
		topics,
		organisations,
		effectiveness: Object.entries(EFFECTIVENESS).map(([value, label]) => ({
			value,
			label,
			hint: EFFECTIVENESS_HINT[value as keyof typeof EFFECTIVENESS_HINT]
		})),
		stages: options(STAGES),
		scales: options(SCALES),
		regions: options(REGIONS),
		sections: SECTIONS.map(([name, label, hint]) => ({ name, label, hint }))
	};
}

export type ParsedPractice =
	| { ok: true; data: PracticeDraftInput; values: FormValues }
	| { ok: false; errors: FieldErrors; values: FormValues };

export function parsePracticeForm(form: FormData): ParsedPractice {
	const topicValues = form.getAll('topics').filter((v): v is string => typeof v === 'string');
	const parsed = parseForm(practiceDraftSchema, form);
	const values = { ...parsed.values, topics: topicValues.join(',') };
	if (!parsed.ok) return { ok: false, errors: parsed.errors, values };
	if (topicValues.some((v) => !/^\d{1,9}$/.test(v))) {
		return { ok: false, errors: { topics: 'Choose topics from the list' }, values };
	}
	return { ok: true, data: { ...parsed.data, topics: topicValues.map(Number) }, values };
}
