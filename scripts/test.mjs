// `npm test`: the whole suite, in order: type check, lint, build, unit and integration
// tests (Vitest), browser tests (Playwright). Every stage runs even if an earlier one
// failed (except those that need the build), then one closing line counts the results.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = { passed: 0, failed: 0, skipped: 0 };
const failedStages = [];
mkdirSync('test-results', { recursive: true });

function stage(name, command, args) {
	console.log(`\n=== ${name}: ${[command, ...args].join(' ')}\n`);
	const run = spawnSync(command, args, { stdio: 'inherit', env: process.env });
	const ok = run.status === 0;
	if (!ok) failedStages.push(name);
	return ok;
}

function count(name, ok) {
	if (ok) results.passed += 1;
	else results.failed += 1;
}

function readJson(file) {
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

count('check', stage('type check', 'npm', ['run', '--silent', 'check']));
count('lint', stage('lint', 'npm', ['run', '--silent', 'lint']));
const built = stage('build', 'npm', ['run', '--silent', 'build']);
count('build', built);

const vitestFile = 'test-results/vitest.json';
rmSync(vitestFile, { force: true });
const vitestOk = stage('unit and integration tests', 'npx', [
	'vitest',
	'run',
	'--reporter=default',
	'--reporter=json',
	`--outputFile.json=${vitestFile}`
]);
const vitest = readJson(vitestFile);
if (vitest) {
	results.passed += vitest.numPassedTests ?? 0;
	results.failed += vitest.numFailedTests ?? 0;
	results.skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
	// A file that failed to load has no tests to count: count the file.
	if (!vitestOk && (vitest.numFailedTests ?? 0) === 0) results.failed += 1;
} else if (!vitestOk) {
	results.failed += 1;
}

const e2eFile = 'test-results/e2e-results.json';
rmSync(e2eFile, { force: true });
if (built && existsSync('dist/server/main.js')) {
	const e2eOk = stage('browser tests', 'npx', ['playwright', 'test']);
	const e2e = readJson(e2eFile);
	if (e2e?.stats) {
		results.passed += (e2e.stats.expected ?? 0) + (e2e.stats.flaky ?? 0);
		results.failed += e2e.stats.unexpected ?? 0;
		results.skipped += e2e.stats.skipped ?? 0;
		if (!e2eOk && (e2e.stats.unexpected ?? 0) === 0) results.failed += 1;
	} else if (!e2eOk) {
		results.failed += 1;
	}
} else {
	console.log('\n=== browser tests: not run, because the build failed');
	failedStages.push('browser tests');
	results.failed += 1;
}

console.log('');
if (failedStages.length > 0) console.log(`Failed stages: ${failedStages.join(', ')}`);
console.log(`Tests: ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
process.exit(failedStages.length > 0 || results.failed > 0 ? 1 : 0);
