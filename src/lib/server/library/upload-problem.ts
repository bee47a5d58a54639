/**
 * An upload that was refused goes back to its form page (the form posts to the host, not to a
 * SvelteKit action, so that the file streams to storage). The message travels in the address,
 * signed, so the page shows only messages Muster wrote, never text someone put in a link; what
 * the person typed (title, description, folder) comes back with it, so nothing is lost.
 */
import type { SecretBox } from '../auth/secret-box.ts';

const PURPOSE = 'upload-problem';

export interface UploadProblem {
	field: string;
	message: string;
}

export function problemParams(secrets: SecretBox, problem: UploadProblem): URLSearchParams {
	const encoded = Buffer.from(JSON.stringify([problem.field, problem.message])).toString('base64url');
	return new URLSearchParams({ problem: encoded, sig: secrets.sign(PURPOSE, encoded) });
}

export function readProblem(secrets: SecretBox, params: URLSearchParams): UploadProblem | null {
	const encoded = params.get('problem') ?? '';
	const sig = params.get('sig') ?? '';
	if (!encoded || encoded.length > 4000 || !sig || !secrets.verify(PURPOSE, encoded, sig)) return null;
	try {
		const [field, message] = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as unknown[];
		return typeof field === 'string' && typeof message === 'string' ? { field, message } : null;
	} catch {
		return null;
	}
}
