/**
 * File names as people gave them, made safe to keep and to send back: no folders (path
 * separators), no control or bidirectional-override characters (which can make "gpj.exe" read
 * as "exe.jpg"), at most 200 characters, and ending in the extension of what the file really is.
 * Sent back with RFC 6266 / RFC 5987 `Content-Disposition` (a plain ASCII fallback and the UTF-8
 * name).
 */
import type { FileKind } from './file-types.ts';

export const MAX_NAME_LENGTH = 200;

// C0 and C1 controls, DEL, bidi embeddings/overrides/isolates and marks, zero-width characters,
// line and paragraph separators, and the byte-order mark.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

/** The cleaned name, with the right extension for `kind`; never empty. */
export function cleanFileName(given: string, kind: FileKind): string {
	// Tabs and line breaks become spaces; every other unsafe character goes.
	let name = given
		.normalize('NFC')
		.replace(/[\t\n\r\v\f]/g, ' ')
		.replace(UNSAFE, '');
	// Only the last part of a path: browsers on some systems send "C:\\folder\\file.pdf".
	name = name.split(/[\\/]/).pop() ?? '';
	// Characters that file systems refuse or treat specially.
	name = name
		.replace(/[<>:"|?*]/g, '_')
		.replace(/\s+/g, ' ')
		.trim();
	name = name.replace(/^\.+/, '').replace(/[. ]+$/, '');
	const wanted = `.${kind.extension}`;
	const current = name.lastIndexOf('.') > 0 ? name.slice(name.lastIndexOf('.')).toLowerCase() : '';
	const same = current === wanted || (kind.extension === 'jpg' && current === '.jpeg');
	let base = same ? name.slice(0, name.length - current.length) : name;
	const extension = same ? current : wanted;
	if (base === '') base = 'file';
	// Keep the extension when cutting to length; never cut a surrogate pair in half.
	const room = MAX_NAME_LENGTH - extension.length;
	if (base.length > room) base = base.slice(0, room).replace(/[\ud800-\udbff]$/, '');
	return `${base.trimEnd()}${extension}`;
}

/** The name as ASCII, for clients that cannot read `filename*`. */
function asciiFallback(name: string): string {
	const plain = name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^\x20-\x7e]/g, '_')
		.replace(/["\\]/g, '_');
	return plain || 'file';
}

/** RFC 5987's encoding: percent-encode everything but the attribute characters. */
function encodeRfc5987(value: string): string {
	return encodeURIComponent(value).replace(
		/['()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
	);
}

export function contentDisposition(name: string, inline: boolean): string {
	return `${inline ? 'inline' : 'attachment'}; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}
