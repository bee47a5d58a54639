import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.ts';

describe('migrations/index.ts', () => {
	it('lists every migration file in the folder, in name order, under its file name', () => {
		const files = fs
			.readdirSync(new URL('../../migrations/', import.meta.url))
			.filter((f) => f.endsWith('.ts') && f !== 'index.ts')
			.map((f) => f.replace(/\.ts$/, ''))
			.sort();
		expect(Object.keys(migrations).sort()).toEqual(files);
		for (const name of files) {
			expect(name).toMatch(/^\d{14}_[a-z0-9_]+$/);
			expect(typeof migrations[name]?.up).toBe('function');
			expect(typeof migrations[name]?.down).toBe('function');
		}
	});
});
