/**
 * One description of a message, two bodies: plain text, and accessible HTML (a language, a
 * title, real links with their own words, no layout tables, no images), so both always say the
 * same. Everything given is text: the HTML escapes it.
 */
export interface MessageLink {
	text: string;
	href: string;
}

export interface Message {
	/** "Hello Sam Officer," */
	greeting: string;
	paragraphs: string[];
	/** Items with links (a digest's list). */
	items?: MessageLink[];
	/** The one thing to do, as a link. */
	action?: MessageLink;
	/** Why this message came, and how to stop it. */
	unsubscribe?: { reason: string; href: string };
	origin: string;
}

const HTML_ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;'
};

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

export function renderMessage(subject: string, message: Message): { text: string; html: string } {
	const text = [
		message.greeting,
		...message.paragraphs,
		...(message.items?.length
			? [message.items.map((item) => `- ${item.text}\n  ${item.href}`).join('\n')]
			: []),
		...(message.action ? [`${message.action.text}: ${message.action.href}`] : []),
		`--\nMuster: ${message.origin}` +
			(message.unsubscribe
				? `\n${message.unsubscribe.reason} To stop these e-mails: ${message.unsubscribe.href}`
				: '\nIf you did not expect this e-mail, you can ignore it.')
	].join('\n\n');
	const p = (t: string) => `<p>${escapeHtml(t)}</p>`;
	const link = (l: MessageLink) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a>`;
	const html = [
		'<!doctype html>',
		'<html lang="en-GB">',
		'<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
		`<title>${escapeHtml(subject)}</title></head>`,
		'<body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #0b0c0c;">',
		p(message.greeting),
		...message.paragraphs.map(p),
		...(message.items?.length
			? [`<ul>${message.items.map((item) => `<li>${link(item)}</li>`).join('')}</ul>`]
			: []),
		...(message.action ? [`<p>${link(message.action)}</p>`] : []),
		'<hr>',
		`<p style="font-size: 14px;">Muster: ${link({ text: message.origin, href: message.origin })}` +
			(message.unsubscribe
				? `<br>${escapeHtml(message.unsubscribe.reason)} ${link({ text: 'Stop these e-mails', href: message.unsubscribe.href })}`
				: '<br>If you did not expect this e-mail, you can ignore it.') +
			'</p>',
		'</body>',
		'</html>'
	].join('\n');
	return { text, html };
}
