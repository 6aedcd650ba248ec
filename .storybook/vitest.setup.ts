import { afterEach, beforeEach, vi } from 'vitest';
import { matchStoryScreenshots } from './visual.js';

/**
 * The stories' "now" in the test run: 2026-11-20 11:30 UTC, two hours after `linkedQuickBooks` last synced. Only
 * `Date` stops (timers run as usual), so what a story shows from the clock (the sandbox's `lastSync` of a connection
 * linked in the play function, a Retry-After countdown, a relative date) is the same in every run and picture.
 */
const STORY_NOW = Date.parse('2026-11-20T11:30:00Z');

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: STORY_NOW });
});

// Visual regression: after a story's play function and axe check pass, the page must look like the story's
// references in stories/__screenshots__/ (light and dark, 1280 and 375 px wide). `npm run test:screenshots:update`
// rewrites them after an intended change to the look.
afterEach(async (context) => {
  try {
    const storyId = (context.task.meta as { storyId?: string }).storyId;
    if (!storyId || context.task.result?.state === 'fail') return;
    await matchStoryScreenshots(storyId);
  } finally {
    vi.useRealTimers();
  }
}, 120_000);
