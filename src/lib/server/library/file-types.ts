/**
 * What a file really is, from its contents (`file-type` reads its magic numbers and, for Office
 * and OpenDocument files, the names inside the zip), never from its name or the type the
 * browser declared. Only the kinds on the allow-list are stored; everything else (programs,
 * scripts, web pages, SVG, archives, unknown binaries) is refused with a message that says what
 * Muster accepts.
 */
import { open } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';

export interface FileKind {
	/** The type the file is served with. */
	mediaType: string;
	/** The extension its name should end with. */
	extension: string;
	/** Shown in lists: "PDF", "Word document". */
	label: string;
	/** Shown in the browser (pictures and PDFs) rather than downloaded. */
	inline: boolean;
	/** A picture Muster re-encodes and may show in a post. */
	picture: boolean;
}

const kind = (
	mediaType: string,
	extension: string,
	label: string,
	inline = false,
	picture = false
): FileKind => ({
	mediaType,
	extension,
	label,
	inline,
	picture
});

/** The allow-list, by the extension `file-type` reports. */
const DETECTED: Record<string, FileKind> = {
	pdf: kind('application/pdf', 'pdf', 'PDF', true),
	docx: kind(
		'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
		'docx',
		'Word document'
	),
	xlsx: kind(
		'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		'xlsx',
		'Excel spreadsheet'
	),
	pptx: kind(
		'application/vnd.openxmlformats-officedocument.presentationml.presentation',
		'pptx',
		'PowerPoint presentation'
	),
	odt: kind('application/vnd.oasis.opendocument.text', 'odt', 'OpenDocument text'),
	ods: kind('application/vnd.oasis.opendocument.spreadsheet', 'ods', 'OpenDocument spreadsheet'),
	odp: kind('application/vnd.oasis.opendocument.presentation', 'odp', 'OpenDocument presentation'),
	rtf: kind('application/rtf', 'rtf', 'Rich Text document'),
	png: kind('image/png', 'png', 'PNG picture', true, true),
	jpg: kind('image/jpeg', 'jpg', 'JPEG picture', true, true),
	gif: kind('image/gif', 'gif', 'GIF picture', true, true),
	webp: kind('image/webp', 'webp', 'WebP picture', true, true)
};

const TEXT = kind('text/plain', 'txt', 'Text file');
const CSV = kind('text/csv', 'csv', 'CSV spreadsheet');

/** Every kind Muster stores, by media type (for labels of stored files). */
export const KINDS_BY_TYPE: ReadonlyMap<string, FileKind> = new Map(
	[...Object.values(DETECTED), TEXT, CSV].map((k) => [k.mediaType, k])
);

export const ACCEPTED_SUMMARY =
	'Upload a PDF, Word, Excel, PowerPoint, OpenDocument, RTF, text or CSV file, or a PNG, JPEG, GIF or WebP picture.';

/** What detected kinds are called when refused, so the message names the real thing. */
const REFUSED_NAMES: Record<string, string> = {
	exe: 'a Windows program',
	elf: 'a program',
	macho: 'a program',
	msi: 'a Windows installer',
	apk: 'an Android app',
	zip: 'a zip archive',
	rar: 'a RAR archive',
	'7z': 'a 7-Zip archive',
	gz: 'a compressed archive',
	tar: 'an archive',
	xml: 'an XML or web file',
	html: 'a web page',
	svg: 'an SVG picture',
	swf: 'a Flash file',
	doc: 'an old-style Word document (save it as .docx)',
	xls: 'an old-style Excel spreadsheet (save it as .xlsx)',
	ppt: 'an old-style PowerPoint presentation (save it as .pptx)',
	cfb: 'an old-style Office file (save it in the newer format, such as .docx)'
};

export type Detection = { ok: true; kind: FileKind } | { ok: false; message: string };

/** Text looks like a web page, SVG, XML or a script when it starts like one. */
const MARKUP_OR_SCRIPT =
	/^(?:\uFEFF)?\s*(?:<!doctype|<html|<svg|<\?xml|<script|<head|<body|<iframe|<!--|#!)/i;

const TEXT_SAMPLE_BYTES = 1024 * 1024;

async function readStart(path: string, bytes: number): Promise<Buffer> {
	const handle = await open(path, 'r');
	try {
		const buffer = Buffer.alloc(bytes);
		const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
		return buffer.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
}

/** Plain UTF-8 text: no NUL bytes, decodes cleanly (the sample may end inside a character). */
function isText(sample: Buffer): boolean {
	if (sample.includes(0)) return false;
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
		return true;
	} catch {
		return false;
	}
}

function extensionOf(name: string): string {
	const dot = name.lastIndexOf('.');
	return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Detects the kind of the file at `path` (already stored in full); `name` decides only text vs CSV. */
export async function detectFileKind(path: string, name: string): Promise<Detection> {
	const found = await fileTypeFromFile(path);
	if (found) {
		const allowed = DETECTED[found.ext];
		if (allowed) return { ok: true, kind: allowed };
		const what = REFUSED_NAMES[found.ext] ?? `a .${found.ext} file`;
		return { ok: false, message: `This file is ${what}, which Muster does not accept. ${ACCEPTED_SUMMARY}` };
	}
	const sample = await readStart(path, TEXT_SAMPLE_BYTES);
	if (sample.length === 0)
		return { ok: false, message: 'The file is empty. Choose a file with something in it.' };
	if (!isText(sample))
		return {
			ok: false,
			message: `Muster could not tell what kind of file this is, so it was not accepted. ${ACCEPTED_SUMMARY}`
		};
	const text = sample.subarray(0, 4096).toString('utf8');
	if (MARKUP_OR_SCRIPT.test(text))
		return {
			ok: false,
			message: `This file is a web page, SVG picture or script, which Muster does not accept. ${ACCEPTED_SUMMARY}`
		};
	const extension = extensionOf(name);
	if (extension === 'csv') return { ok: true, kind: CSV };
	if (extension === '' || extension === 'txt' || extension === 'text') return { ok: true, kind: TEXT };
	return {
		ok: false,
		message: `This file is named .${extension} but holds plain text, so it was not accepted. Name it .txt or .csv if it is text. ${ACCEPTED_SUMMARY}`
	};
}

/** A label for a stored file's media type. */
export function kindLabel(mediaType: string): string {
	return KINDS_BY_TYPE.get(mediaType)?.label ?? 'File';
}

export function kindOf(mediaType: string): FileKind | undefined {
	return KINDS_BY_TYPE.get(mediaType);
}
