/**
 * Signing up through a running host's own pages over HTTP (for hosts started as real
 * processes, whose database a test cannot reach): register, read the confirmation link
 * from the e-mail (the host sends it over SMTP to the test's sink), confirm, sign in.
 * Returns the session token.
 */
import { waitForMail, type MailSink } from './mail-sink.ts';

const PASSWORD = 'plum-orbit-lantern-42';

async function form(base: string, origin: string, path: string, fields: Record<string, string>, cookie = '') {
	return fetch(`${base}${path}`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin,
			accept: 'text/html',
			...(cookie ? { cookie } : {})
		},
		body: new URLSearchParams(fields).toString()
	});
}

export async function signUpOverHttp(
	base: string,
	origin: string,
	email: string,
	mail: MailSink
): Promise<string> {
	const registered = await form(base, origin, '/register', {
		email,
		displayName: email.split('@')[0]!,
		password: PASSWORD
	});
	if (registered.status !== 303) throw new Error(`registration failed: ${registered.status}`);
	const confirmation = await waitForMail(() => mail.mails(), email, 'Confirm your e-mail address for Muster');
	const link = /\/verify-email\/([a-z2-7]{32})/.exec(confirmation.text)?.[0];
	if (!link) throw new Error('no confirmation link in the outbox');
	const confirmed = await form(base, origin, link, {});
	if (confirmed.status !== 303) throw new Error(`confirmation failed: ${confirmed.status}`);
	const signedIn = await form(base, origin, '/login', { email, password: PASSWORD });
	const token = /muster_session=([a-z2-7]{32})/.exec(signedIn.headers.get('set-cookie') ?? '')?.[1];
	if (!token) throw new Error(`sign-in failed: ${signedIn.status}`);
	return token;
}
