import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints, after Vitest's own report, how many tests each project ran (so the number of stories tested
 * in Chromium and of end-to-end tests is visible) and a plain closing line: `tests: N passed, N failed`.
 */
export class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const perProject = new Map<string, { passed: number; failed: number; skipped: number }>();
    for (const module of testModules) {
      const name = module.project.name || 'default';
      const row = perProject.get(name) ?? { passed: 0, failed: 0, skipped: 0 };
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') row.passed += 1;
        else if (state === 'failed') row.failed += 1;
        else row.skipped += 1;
      }
      perProject.set(name, row);
    }
    const labels: Record<string, string> = {
      storybook: 'stories rendered, played and axe-checked in Chromium',
      e2e: 'end-to-end tests in Chromium over real HTTP',
      hosts: 'the packed kit in real host stacks (next build + next start, Express, Vite, Tailwind, shadcn) in Chromium',
      jsdom: 'hook and component tests (jsdom, React 19)',
      react18: 'the same hook and component tests on React 18',
      node: 'core, sandbox, server and SSR tests (node)',
    };
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    console.log('\nbillpay-connect test summary');
    for (const [name, row] of perProject) {
      const label = labels[name.split(' ')[0] ?? name] ?? '';
      console.log(`  ${name.padEnd(22)} ${String(row.passed + row.failed).padStart(4)}  ${label}`);
      passed += row.passed;
      failed += row.failed;
      skipped += row.skipped;
    }
    console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  }
}
