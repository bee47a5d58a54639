import { describe, expect, it } from 'vitest';
import { assertTestDatabaseName } from '../support/test-database.ts';

describe('the test harness database guard', () => {
	it.each(['muster_test_1', 'test', 'muster-test', 'TEST_muster', 'muster_test'])('accepts %s', (name) => {
		expect(() => assertTestDatabaseName(name)).not.toThrow();
	});

	it.each(['muster', 'postgres', 'production', 'contest', 'muster_testing', 'latest'])(
		'refuses %s',
		(name) => {
			expect(() => assertTestDatabaseName(name)).toThrow(/must mark it as a test database/);
		}
	);
});
