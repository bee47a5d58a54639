/**
 * The home page says what is current for each person: their groups with what is new in
 * each, new good practice they may read, and what waits on them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '../support/test-context.ts';
import { buildWorld, type ViewerName, type World } from '../support/world.ts';
import { textOf } from '../support/web-client.ts';

let host: TestHost;
let world: World;

beforeAll(async () => {
	host = await createTestHost('home');
	world = await buildWorld(host.ctx);
});
afterAll(async () => {
	await host?.close();
});

async function home(viewer: ViewerName): Promise<string> {
	const token = await world.newSession(viewer);
	const res = await host.app.inject({
		method: 'GET',
		url: '/',
		headers: { cookie: `muster_session=${token}` }
	});
	expect(res.statusCode).toBe(200);
	return textOf(res.body);
}

describe('the home page', () => {
	it('shows a member their groups with what is new, and new good practice, and nothing "coming soon"', async () => {
		const text = await home('police');
		expect(text).toContain('Your groups');
		// The moderator replied to the police officer's thread: one discussion with a new post.
		expect(text).toMatch(/Open world \d+ 1 discussion with new posts/);
		expect(text).toMatch(/New good practice Car wash welfare visits \d+/);
		expect(text).not.toContain('Coming soon');
		expect(text).not.toContain('Waiting for you');
		// Never a group the person is not in.
		expect(text).not.toContain('Closed world');
	});

	it('shows a moderator the requests waiting for their decision', async () => {
		const text = await home('moderator');
		expect(text).toContain('Waiting for you');
		expect(text).toMatch(/1 request to join Restricted world \d+ to decide/);
		expect(text).toMatch(/Closed world \d+ Nothing new/);
	});

	it('shows a guest their invitation, and says what the library is for', async () => {
		const text = await home('guest');
		expect(text).toMatch(/Waiting for you An invitation to join Restricted world \d+/);
		expect(text).toContain('You are not in any groups yet.');
		expect(text).toContain('The good-practice library is for police and partner accounts.');
		expect(text).not.toContain('Car wash welfare visits');
	});
});
