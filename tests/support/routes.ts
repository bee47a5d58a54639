/**
 * Every route SvelteKit built, from its own build manifest (so a route added without a test
 * row is noticed), each with an address in a test world and the names of its form actions.
 * Shared by the route-access and hostile-input tests.
 */
import type { World } from './world.ts';

interface ManifestRoute {
	id: string;
	page: { leaf: number } | null;
	endpoint: unknown;
}
interface Manifest {
	_: {
		routes: ManifestRoute[];
		nodes: Array<() => Promise<{ server?: { actions?: Record<string, unknown> } }>>;
	};
}

export interface RouteCase {
	/** The route id, with " (private)" for group routes visited in the private group. */
	key: string;
	routeId: string;
	path: string;
	/** A page (not only an endpoint). */
	page: boolean;
	actions: string[];
}

/** A token no link was ever made with. */
export const UNKNOWN_TOKEN = 'abcdefghijklmnopqrstuvwxyz234567';

export function pathFor(world: World, routeId: string, variant: 'open' | 'private' = 'open'): string {
	const group = variant === 'open' ? world.open : world.closed;
	const id = routeId.startsWith('/admin/organisations')
		? String(world.organisationId)
		: world.users.police.id;
	const values: Record<string, string> = {
		slug: group.slug,
		thread: group.threadPath.split('/').at(-1)!,
		post: String(group.postId),
		id,
		userId: variant === 'open' ? world.users.police.id : world.users.moderator.id,
		entry: world.practice.path.split('/').at(-1)!,
		document: String(routeId.startsWith('/library') ? world.siteDocumentId : group.documentId),
		token: UNKNOWN_TOKEN
	};
	return routeId.replace(/\[(\w+)\]/g, (_, name: string) => values[name]!) || '/';
}

/** Every built route (group routes twice: in the open and the private group). */
export async function routeCases(world: World): Promise<RouteCase[]> {
	const { manifest } = (await import(
		new URL('../../.svelte-kit/output/server/manifest.js', import.meta.url).href
	)) as { manifest: Manifest };
	const cases: RouteCase[] = [];
	for (const route of manifest._.routes) {
		let actions: string[] = [];
		if (route.page) {
			const node = await manifest._.nodes[route.page.leaf]!();
			actions = Object.keys(node.server?.actions ?? {});
		}
		const variants: Array<'open' | 'private'> = route.id.startsWith('/groups/[slug]')
			? ['open', 'private']
			: ['open'];
		for (const variant of variants) {
			cases.push({
				key: variant === 'private' ? `${route.id} (private)` : route.id,
				routeId: route.id,
				path: pathFor(world, route.id, variant),
				page: route.page !== null,
				actions
			});
		}
	}
	return cases;
}
