// Copies the README's and docs' pictures from the committed visual references (stories/__screenshots__/, written by
// `npm run test:screenshots:update`) into docs/screenshots/. Run by that command; on its own: npm run docs:screenshots.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';

/** Each picture the docs show: the story, the theme and width of its reference, and the file name in docs/screenshots/. */
const pictures = [
  { story: 'components-platformpicker--all-states', theme: 'light', width: 1280, file: 'platform-picker-all-states.png' },
  { story: 'components-connectbutton--all-states', theme: 'light', width: 1280, file: 'connect-button-all-states.png' },
  { story: 'components-connectionmanager--all-states', theme: 'light', width: 1280, file: 'connection-manager-all-states.png' },
];

const missing = pictures.map((p) => `stories/__screenshots__/${p.story}/${p.theme}-${p.width}.png`).filter((f) => !existsSync(f));
if (missing.length) {
  console.error(`docs:screenshots: no reference ${missing.join(', ')}; run npm run test:screenshots:update first.`);
  process.exit(1);
}
mkdirSync('docs/screenshots', { recursive: true });
for (const p of pictures) copyFileSync(`stories/__screenshots__/${p.story}/${p.theme}-${p.width}.png`, `docs/screenshots/${p.file}`);
console.log(`docs:screenshots: copied ${pictures.map((p) => p.file).join(', ')}`);
