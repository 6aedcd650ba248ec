// Copies the light all-states screenshots that the Storybook tests write to screenshots/ into
// docs/screenshots/, which the README shows. Run after npm test: npm run docs:screenshots.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';

if (!existsSync('screenshots')) {
  console.error('docs:screenshots: run npm test first; it writes screenshots/.');
  process.exit(1);
}
mkdirSync('docs/screenshots', { recursive: true });
const files = readdirSync('screenshots').filter((f) => f.endsWith('-all-states.png'));
for (const f of files) copyFileSync(`screenshots/${f}`, `docs/screenshots/${f}`);
console.log(`docs:screenshots: copied ${files.join(', ')}`);
