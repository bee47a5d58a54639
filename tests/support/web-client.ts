/**
 * A browser-like client over app.inject: keeps cookies, submits forms as a browser
 * without JavaScript would (urlencoded, same-origin), and can follow redirects.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../src/lib/server/context.ts';

export interface WebResponse {
	status: number;
	location: string | undefined;
	body: string;
	headers: Record<string, string | string[] | number | undefined>;
	setCookies: string[];
}

export class WebClient {
	readonly cookies = new Map<string, string>();

	constructor(
		private readonly app: FastifyInstance,
		private readonly origin: string,
		private readonly userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0'
	) {}

	private cookieHeader(): string {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	private remember(setCookie: string | string[] | undefined): string[] {
		const list = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
		for (const line of list) {
			const [pair, ...attrs] = line.split(';');
			const eq = pair!.indexOf('=');
			const name = pair!.slice(0, eq).trim();
			const value = pair!.slice(eq + 1).trim();
			const expired = attrs.some((a) => /max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
			if (expired || value === '') this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
		return list;
	}

	async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<WebResponse> {
		const res = await this.app.inject({
			method,
			url,
			headers: {
				// Sent to Muster's own address, as a browser at ORIGIN would be.
				host: new URL(this.origin).host,
				cookie: this.cookieHeader(),
				'user-agent': this.userAgent,
				accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
				...(form ? { 'content-type': 'application/x-www-form-urlencoded', origin: this.origin } : {})
			},
			payload: form ? new URLSearchParams(form).toString() : undefined
		});
		const setCookies = this.remember(res.headers['set-cookie']);
		const location = res.headers.location as string | undefined;
		return { status: res.statusCode, location, body: res.body, headers: res.headers, setCookies };
	}

	get(url: string): Promise<WebResponse> {
		return this.request('GET', url);
	}

	post(url: string, form: Record<string, string> = {}): Promise<WebResponse> {
		return this.request('POST', url, form);
	}

	/** GET or POST, then follow 30x redirects with GET, as a browser does. */
	async follow(first: Promise<WebResponse>, limit = 5): Promise<WebResponse & { url: string | undefined }> {
		let res = await first;
		let url: string | undefined;
		for (let i = 0; i < limit && res.location && res.status >= 300 && res.status < 400; i++) {
			url = res.location;
			res = await this.get(res.location);
		}
		return { ...res, url };
	}
}

/** The newest e-mail to an address, from the outbox table. */
export async function lastMail(
	ctx: AppContext,
	to: string
): Promise<{ subject: string; text: string } | undefined> {
	const row = await ctx.db
		.selectFrom('outbox')
		.select(['subject', 'textBody'])
		.where('toAddress', '=', to)
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();
	return row ? { subject: row.subject, text: row.textBody } : undefined;
}

export async function mailCount(ctx: AppContext, to: string): Promise<number> {
	const row = await ctx.db
		.selectFrom('outbox')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('toAddress', '=', to)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** The first link in a text to this site's path prefix, as a path. */
export function linkIn(text: string, prefix: string): string {
	const match = text.match(new RegExp(`https?://[^\\s/]+(${prefix.replace(/\//g, '\\/')}[^\\s]*)`));
	if (!match) throw new Error(`no ${prefix} link in:\n${text}`);
	return match[1]!;
}

/** HTML-unescaped visible text, for asserting what a person reads. */
export function textOf(html: string): string {
	return html
		.replace(/<script[\s\S]*?<\/script>/g, '')
		.replace(/<[^>]+>/g, ' ')
		.replace(/&amp;/g, '&')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;|&#x27;/g, "'")
		.replace(/\s+/g, ' ');
}
