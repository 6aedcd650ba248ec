import { afterEach } from 'vitest';
import { page } from 'vitest/browser';

// Each component's all-states story is photographed in Chromium for reviewers (git-ignored folder).
afterEach(async (context) => {
  const name = context.task.name;
  if (!/all states/i.test(name) || context.task.result?.state === 'fail') return;
  const file = context.task.file.name.split('/').pop()?.replace(/\.stories\.tsx?$/, '') ?? 'story';
  const slug = `${file}-${name}`.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  // The story renders inside the runner's iframe, which clips at its own height: grow it to the content first.
  const height = Math.ceil(document.documentElement.scrollHeight);
  if (height > window.innerHeight) await page.viewport(window.innerWidth, height);
  await page.screenshot({ path: `../screenshots/${slug}.png`, fullPage: true } as Parameters<typeof page.screenshot>[0]);
});
