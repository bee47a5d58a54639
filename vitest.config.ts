import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		projects: [
			{
				test: {
					name: 'unit',
					sequence: { groupOrder: 0 },
					include: ['tests/unit/**/*.test.ts'],
					environment: 'node'
				}
			},
			{
				test: {
					name: 'integration',
					sequence: { groupOrder: 1 },
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					// Each file makes its own database; two cores, so two at a time.
					maxWorkers: 2,
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			}
		]
	}
});
