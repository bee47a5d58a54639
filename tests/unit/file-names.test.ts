/**
 * File names as kept and sent back (issue 17): no folders, no control or bidirectional
 * characters, the real extension, at most 200 characters; Content-Disposition per RFC 6266
 * with an ASCII fallback and the UTF-8 name per RFC 5987.
 */
import { describe, expect, it } from 'vitest';
import {
	cleanFileName,
	contentDisposition,
	MAX_NAME_LENGTH
} from '../../src/lib/server/library/file-names.ts';
import { KINDS_BY_TYPE } from '../../src/lib/server/library/file-types.ts';

const pdf = KINDS_BY_TYPE.get('application/pdf')!;
const jpeg = KINDS_BY_TYPE.get('image/jpeg')!;

describe('cleanFileName', () => {
	it.each([
		['report.pdf', 'report.pdf'],
		['../../../etc/passwd', 'passwd.pdf'],
		['C:\\Users\\pc123\\Desktop\\brief.PDF', 'brief.pdf'],
		['evil\u202Efdp.exe', 'evilfdp.exe.pdf'],
		['zero\u200Bwidth.pdf', 'zerowidth.pdf'],
		['line\nbreak.pdf', 'line break.pdf'],
		['nul\u0000byte.pdf', 'nulbyte.pdf'],
		['.hidden.pdf', 'hidden.pdf'],
		['...', 'file.pdf'],
		['', 'file.pdf'],
		['a<b>c:d"e|f?g*h.pdf', 'a_b_c_d_e_f_g_h.pdf'],
		['trailing dots...  ', 'trailing dots.pdf']
	])('%j becomes %j', (given, kept) => {
		expect(cleanFileName(given, pdf)).toBe(kept);
	});

	it('keeps .jpeg for a JPEG, and gives a misnamed picture its real extension', () => {
		expect(cleanFileName('photo.jpeg', jpeg)).toBe('photo.jpeg');
		expect(cleanFileName('photo.png', jpeg)).toBe('photo.png.jpg');
	});

	it('cuts long names to 200 characters, keeping the extension and whole characters', () => {
		expect(cleanFileName(`${'x'.repeat(600)}.pdf`, pdf)).toBe(`${'x'.repeat(196)}.pdf`);
		const emoji = cleanFileName(`${'😀'.repeat(150)}.pdf`, pdf);
		expect(emoji.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
		expect(emoji).toMatch(/^(😀)+\.pdf$/u);
	});
});

describe('contentDisposition', () => {
	it('sends an ASCII fallback and the UTF-8 name', () => {
		expect(contentDisposition('Résumé "final".pdf', false)).toBe(
			`attachment; filename="Resume _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf`
		);
		expect(contentDisposition("it's (1).png", true)).toBe(
			`inline; filename="it's (1).png"; filename*=UTF-8''it%27s%20%281%29.png`
		);
	});
});
