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

/**
 * A date from the form's three boxes (day, month, year; GOV.UK date input) as "YYYY-MM-DD" for
 * the schema to check, or the single field's own value when the boxes were not sent.
 */
function dateFrom(form: FormData, name: string): string | undefined {
	const part = (p: string) => String(form.get(`${name}-${p}`) ?? '').trim();
	const [day, month, year] = [part('day'), part('month'), part('year')];
	if (!form.has(`${name}-day`) && !form.has(`${name}-month`) && !form.has(`${name}-year`)) return undefined;
	if (!day && !month && !year) return '';
	// Anything but digits, or a missing part, reaches the schema as something it refuses by name.
	if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year))
		return `${year}-${month}-${day}!`;
	return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

export function parsePracticeForm(form: FormData): ParsedPractice {
	const topicValues = form.getAll('topics').filter((v): v is string => typeof v === 'string');
	for (const name of ['startDate', 'endDate']) {
		const combined = dateFrom(form, name);
		if (combined !== undefined) form.set(name, combined);
	}
	const parsed = parseForm(practiceDraftSchema, form);
	const values = { ...parsed.values, topics: topicValues.join(',') };
	if (!parsed.ok) return { ok: false, errors: parsed.errors, values };
	if (topicValues.some((v) => !/^\d{1,9}$/.test(v))) {
		return { ok: false, errors: { topics: 'Choose topics from the list' }, values };
	}
	return { ok: true, data: { ...parsed.data, topics: topicValues.map(Number) }, values };
}
