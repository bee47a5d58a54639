/**
 * The forms on a page, as a person (or a hostile script) finds them in its HTML: where each
 * submits to, and its fields with the values the page filled in. Muster's markup is
 * server-rendered by Svelte and simple enough to read with patterns.
 */

export interface FormField {
	name: string;
	/** input type, "textarea" or "select". */
	type: string;
	value: string;
	/** For radios and checkboxes: whether it is chosen. */
	checked?: boolean;
	options?: string[];
}

export interface PageForm {
	method: 'GET' | 'POST';
	/** Where each submit button sends the form (the form's action, or a button's formaction). */
	targets: Array<{ action: string; button?: { name: string; value: string } }>;
	fields: FormField[];
}

/** A start tag's attributes, quotes respected (a value may hold ">"). */
const ATTRS = `((?:[^>"']|"[^"]*"|'[^']*')*)`;
const startTag = (name: string) => new RegExp(`<${name}\\b${ATTRS}>`, 'g');

export function decodeEntities(text: string): string {
	return text
		.replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
		.replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
		.replace(/&quot;/g, '"')
		.replace(/&apos;/g, "'")
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&nbsp;/g, '\u00a0')
		.replace(/&amp;/g, '&');
}

function attributes(tag: string): Record<string, string> {
	const found: Record<string, string> = {};
	for (const m of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)"|='([^']*)'|=([^\s>"']+))?/g)) {
		const name = m[1]!.toLowerCase();
		const value = m[2] ?? m[3] ?? m[4];
		// A bare element name is not an attribute; `form="…"` (a control outside its form) is.
		if (value === undefined && ['input', 'textarea', 'select', 'button', 'form'].includes(name)) continue;
		found[name] ??= decodeEntities(value ?? '');
	}
	return found;
}

/** Every form on the page, resolved against the page's own path. */
export function formsIn(html: string, pagePath: string): PageForm[] {
	const forms: PageForm[] = [];
	for (const m of html.matchAll(new RegExp(`<form\\b${ATTRS}>([\\s\\S]*?)</form>`, 'g'))) {
		const attrs = attributes(m[1]!);
		const body = m[2]!;
		const method = (attrs.method ?? 'GET').toUpperCase() === 'POST' ? 'POST' : 'GET';
		const action = resolve(attrs.action ?? '', pagePath);
		const fields: FormField[] = [];
		for (const input of body.matchAll(startTag('input'))) {
			const a = attributes(input[1]!);
			if (!a.name) continue;
			const type = (a.type ?? 'text').toLowerCase();
			fields.push({ name: a.name, type, value: a.value ?? '', checked: 'checked' in a });
		}
		for (const textarea of body.matchAll(new RegExp(`<textarea\\b${ATTRS}>([\\s\\S]*?)</textarea>`, 'g'))) {
			const a = attributes(textarea[1]!);
			if (a.name) fields.push({ name: a.name, type: 'textarea', value: decodeEntities(textarea[2]!) });
		}
		for (const select of body.matchAll(new RegExp(`<select\\b${ATTRS}>([\\s\\S]*?)</select>`, 'g'))) {
			const a = attributes(select[1]!);
			if (!a.name) continue;
			const options = [...select[2]!.matchAll(startTag('option'))].map((o) => attributes(o[1]!));
			const chosen = options.find((o) => 'selected' in o) ?? options[0];
			fields.push({
				name: a.name,
				type: 'select',
				value: chosen?.value ?? '',
				options: options.map((o) => o.value ?? '')
			});
		}
		const targets: PageForm['targets'] = [];
		// Its submit buttons: those inside it, and those elsewhere that name it (form="its id").
		const buttons = [
			...[...body.matchAll(startTag('button'))].filter((b) => attributes(b[1]!).form === undefined),
			...(attrs.id
				? [...html.matchAll(startTag('button'))].filter((b) => attributes(b[1]!).form === attrs.id)
				: [])
		];
		for (const button of buttons) {
			const a = attributes(button[1]!);
			if ((a.type ?? 'submit') !== 'submit') continue;
			targets.push({
				action: a.formaction !== undefined ? resolve(a.formaction, pagePath) : action,
				button: a.name ? { name: a.name, value: a.value ?? '' } : undefined
			});
		}
		if (targets.length === 0) targets.push({ action });
		forms.push({ method, targets, fields });
	}
	return forms;
}

function resolve(action: string, pagePath: string): string {
	const url = new URL(action, `http://muster.invalid${pagePath}`);
	return `${url.pathname}${url.search}`;
}

/** The form's values as a browser would send them, with one field replaced. */
export function submission(form: PageForm, replace?: { name: string; value: string }): URLSearchParams {
	const body = new URLSearchParams();
	const seenRadio = new Set<string>();
	for (const field of form.fields) {
		if (replace && field.name === replace.name) {
			if (seenRadio.has(field.name) || body.has(field.name)) continue;
			body.append(field.name, replace.value);
			seenRadio.add(field.name);
			continue;
		}
		if ((field.type === 'radio' || field.type === 'checkbox') && !field.checked) continue;
		if (field.type === 'submit' || field.type === 'button') continue;
		body.append(field.name, field.value);
	}
	return body;
}

/** What a field shows after the page came back: its value, or its text for a textarea. */
export function shownValue(html: string, name: string): string | undefined {
	for (const textarea of html.matchAll(new RegExp(`<textarea\\b${ATTRS}>([\\s\\S]*?)</textarea>`, 'g'))) {
		if (attributes(textarea[1]!).name === name) return decodeEntities(textarea[2]!);
	}
	for (const input of html.matchAll(startTag('input'))) {
		const a = attributes(input[1]!);
		if (a.name === name && !['radio', 'checkbox', 'hidden'].includes(a.type ?? 'text')) return a.value ?? '';
	}
	return undefined;
}

/**
 * Does the page name a problem with this field: its error message linked from the summary, or
 * a message a screen reader reads with it (through its own or its fieldset's aria-describedby,
 * as a GOV.UK date input does for its three boxes)?
 */
export function saysWhy(html: string, name: string): boolean {
	const ids = new Set([name]);
	const described = new Set<string>();
	for (const m of html.matchAll(new RegExp(`<(?:input|textarea|select)\\b${ATTRS}>`, 'g'))) {
		const a = attributes(m[1]!);
		if (a.name !== name) continue;
		if (a.id) ids.add(a.id);
		for (const id of (a['aria-describedby'] ?? '').split(/\s+/)) described.add(id);
		// The fieldset still open where the field is.
		const before = html.slice(0, m.index);
		const opened = before.lastIndexOf('<fieldset');
		if (opened > before.lastIndexOf('</fieldset>')) {
			const fieldset = attributes(new RegExp(`^<fieldset\\b${ATTRS}>`).exec(before.slice(opened))?.[1] ?? '');
			for (const id of (fieldset['aria-describedby'] ?? '').split(/\s+/)) described.add(id);
		}
	}
	const errorShown = (id: string) =>
		id !== '' && new RegExp(`<[a-z]+\\b[^>]*\\bid="${id}"[^>]*\\bclass="[^"]*error-message`).test(html);
	return (
		[...ids].some((id) => html.includes(`href="#${id}"`) || html.includes(`id="${id}-error"`)) ||
		[...described].some(errorShown)
	);
}
