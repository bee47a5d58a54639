import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import semver from 'semver';

/**
 * Every installed package supports the Node.js versions README and the Dockerfile promise:
 * nothing may run outside its declared range (sanitize-html 2.18 and cookie 2 need Node 22).
 */
describe('engines', () => {
	const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
		packages: Record<string, { version?: string; engines?: { node?: string } | string[]; dev?: boolean }>;
	};
	const promised = (
		JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
			engines: { node: string };
		}
	).engines.node;

	it('README and package.json promise Node 20.19 or newer, and this is such a Node', () => {
		expect(semver.satisfies(process.version, promised)).toBe(true);
		expect(readFileSync(new URL('../../README.md', import.meta.url), 'utf8')).toContain(
			'Node.js 20.19 or newer'
		);
		expect(readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8')).toMatch(/FROM node:20/);
	});

	it('no installed package declares a Node range that leaves out the lowest version promised', () => {
		const lowest = semver.minVersion(promised)!.version;
		const outside = Object.entries(lock.packages)
			.filter(([path, pkg]) => path && pkg.engines && !Array.isArray(pkg.engines) && pkg.engines.node)
			.filter(([, pkg]) => {
				const range = (pkg.engines as { node: string }).node;
				return semver.validRange(range) !== null && !semver.satisfies(lowest, range);
			})
			.map(
				([path, pkg]) =>
					`${path.replace(/^node_modules\//, '')}@${pkg.version}: ${(pkg.engines as { node: string }).node}`
			);
		expect(outside).toEqual([]);
	});
});
