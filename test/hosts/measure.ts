/**
 * What the kit looks like on a page, read from computed styles in the browser, and a comparator with readable
 * diffs. `measureKit` runs in the page (Playwright's `page.evaluate(measureKit, input)`), so it is one
 * self-contained function: everything it needs is declared inside it.
 */

/** One part of the kit: found with `selector` inside the scope element (first match). */
export interface PartSpec {
  name: string;
  selector: string;
  /** Should sit at the start edge of the kit's root: its distance from the root's content box is measured. */
  start?: boolean;
  /** A control whose outline identifies it (WCAG 1.4.11): measure its border against what is behind it and its fill. */
  boundary?: boolean;
}

/** The platform picker's parts inside a ConfigureCustomer with one tile chosen, as both host-stack tests measure them. */
export const chosenPickerParts: PartSpec[] = [
  { name: 'root', selector: '.bpc-configure' },
  { name: 'picker', selector: '.bpc-picker', start: true },
  { name: 'picker label', selector: '.bpc-picker__label', start: true },
  { name: 'picker search', selector: '.bpc-picker__search', start: true, boundary: true },
  { name: 'tile', selector: '.bpc-picker__tile:not([data-selected])', start: true, boundary: true },
  { name: 'tile name', selector: '.bpc-picker__tile:not([data-selected]) .bpc-picker__name' },
  // The platform's mark: its monogram, or its logo where logos are served.
  { name: 'tile mark', selector: '.bpc-picker__tile:not([data-selected]) .bpc-picker__monogram' },
  { name: 'selected tile', selector: '.bpc-picker__tile[data-selected]', boundary: true },
];

/** What `measureKit` is asked for. */
export interface MeasureInput {
  /** The element holding one rendering of the kit (its first `.bpc-*` root is "the kit's root" below). */
  scope: string;
  parts: readonly PartSpec[];
  /** Where to look for text whose contrast is checked (defaults to `scope`). */
  textScopes?: readonly string[];
  /** Text under these is left out of the contrast check (host-coloured parts). */
  textSkip?: string;
}

/** The computed look of one part. Colours are `rgba(r, g, b, a)` in sRGB whatever the page wrote them in. */
export interface PartStyle {
  padding: string;
  margin: string;
  borderWidth: string;
  borderStyle: string;
  borderColor: string;
  radius: string;
  background: string;
  backgroundImage: string;
  boxShadow: string;
  color: string;
  textAlign: string;
  fontWeight: string;
  /** Font size as a multiple of the kit root's (the kit inherits the host's size on purpose). */
  fontSize: number;
  /** Font size in px, to compare lengths the kit sets in em. */
  fontPx: number;
  /** Line height as a multiple of the part's own font size. */
  lineHeight: number;
  display: string;
  listStyle: string;
  /** Product of the opacities from the part up to the document. */
  opacity: number;
  /** The outline (`none` when it has no style or width): the focus ring where the part has focus. */
  outline: string;
  /** For text fields: the placeholder's colour. */
  placeholder?: string;
  /** For `start` parts: px from the kit root's content-box start edge. */
  offsetStart?: number;
  /** For `boundary` parts: the border's contrast against what is behind the part and against its own fill. */
  boundaryContrast?: { behind: number; fill: number };
}

/** One run of visible text and its contrast (WCAG 1.4.3). */
export interface TextContrast {
  text: string;
  /** The element's kit class (or tag), to find it. */
  where: string;
  color: string;
  background: string;
  ratio: number;
  /** 3 for large text (24px, or 18.66px bold), else 4.5. */
  required: number;
}

/** What one rendering of the kit measures. */
export interface Measurement {
  parts: Record<string, PartStyle | null>;
  texts: TextContrast[];
  /** The kit root's color-scheme: which palette it uses. */
  kitScheme: string;
  /** The page behind the kit root (its parent up to the canvas), and whether it is dark. */
  hostBackground: string;
  hostDark: boolean;
}

/** Runs in the page. */
export function measureKit(input: MeasureInput): Measurement {
  const canvas = document.createElement('canvas');
  canvas.width = 1;
  canvas.height = 1;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  type Rgba = [number, number, number, number];
  // Any computed colour (oklch(), lab(), color(srgb …), rgb()) to sRGB bytes, as the browser paints it.
  const rgba = (css: string): Rgba => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = '#000';
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const [r = 0, g = 0, b = 0, a = 0] = ctx.getImageData(0, 0, 1, 1).data;
    return [r, g, b, Math.round((a / 255) * 100) / 100];
  };
  const show = ([r, g, b, a]: Rgba) => `rgba(${r}, ${g}, ${b}, ${a})`;
  const over = (top: Rgba, below: Rgba): Rgba => {
    const a = top[3];
    return [0, 1, 2].map((i) => Math.round(top[i]! * a + below[i]! * (1 - a))).concat(1) as Rgba;
  };
  const luminance = ([r, g, b]: Rgba) => {
    const lin = (c: number) => {
      const s = c / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const contrast = (a: Rgba, b: Rgba) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return Math.round(((hi! + 0.05) / (lo! + 0.05)) * 100) / 100;
  };
  // The canvas behind everything: white, or dark where the root's color-scheme makes it so.
  const canvasColor = (): Rgba => {
    const scheme = getComputedStyle(document.documentElement).colorScheme;
    const osDark = matchMedia('(prefers-color-scheme: dark)').matches;
    return /dark/.test(scheme) && (!/light/.test(scheme) || osDark) ? [18, 18, 18, 1] : [255, 255, 255, 1];
  };
  // What is painted behind `from`'s content: its own background and its ancestors', composited down to the first opaque one.
  const backgroundOf = (from: Element | null): Rgba => {
    const layers: Rgba[] = [];
    for (let node = from; node; node = node.parentElement) {
      const layer = rgba(getComputedStyle(node).backgroundColor);
      if (layer[3] > 0) layers.push(layer);
      if (layer[3] >= 1) break;
    }
    let color = layers.length && layers[layers.length - 1]![3] >= 1 ? layers.pop()! : canvasColor();
    while (layers.length) color = over(layers.pop()!, color);
    return color;
  };
  const opacityOf = (el: Element) => {
    let product = 1;
    for (let node: Element | null = el; node; node = node.parentElement) product *= Number(getComputedStyle(node).opacity);
    return Math.round(product * 100) / 100;
  };
  const edges = ['top', 'right', 'bottom', 'left'];
  const sides = (style: CSSStyleDeclaration, prefix: string, suffix = '') => edges.map((side) => style.getPropertyValue(`${prefix}-${side}${suffix}`)).join(' ');

  const scope = document.querySelector(input.scope);
  if (!scope) throw new Error(`measureKit: no element matches ${input.scope}`);
  const find = (selector: string) => (scope.matches(selector) ? scope : scope.querySelector(selector));
  const root = find('[class*="bpc-"]') ?? scope;
  const rootStyle = getComputedStyle(root);
  const rootFont = parseFloat(rootStyle.fontSize);
  const rootBox = root.getBoundingClientRect();
  const rtl = rootStyle.direction === 'rtl';
  const rootStart = rtl ? rootBox.right - parseFloat(rootStyle.paddingRight) - parseFloat(rootStyle.borderRightWidth) : rootBox.left + parseFloat(rootStyle.paddingLeft) + parseFloat(rootStyle.borderLeftWidth);

  const parts: Record<string, PartStyle | null> = {};
  for (const spec of input.parts) {
    const el = find(spec.selector);
    if (!el) {
      parts[spec.name] = null;
      continue;
    }
    const s = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const fontSize = parseFloat(s.fontSize);
    const drawn = (side: string) => parseFloat(s.getPropertyValue(`border-${side}-width`)) > 0 && !/none|hidden/.test(s.getPropertyValue(`border-${side}-style`));
    const part: PartStyle = {
      padding: sides(s, 'padding'),
      margin: sides(s, 'margin'),
      // A side without width shows neither style nor colour (Tailwind's preflight gives every element `0 solid`).
      borderWidth: sides(s, 'border', '-width'),
      borderStyle: edges.map((side) => (drawn(side) ? s.getPropertyValue(`border-${side}-style`) : 'none')).join(' '),
      borderColor: edges.map((side) => (drawn(side) ? show(rgba(s.getPropertyValue(`border-${side}-color`))) : '-')).join(' '),
      radius: s.borderTopLeftRadius,
      background: show(rgba(s.backgroundColor)),
      outline: /none|hidden/.test(s.outlineStyle) || parseFloat(s.outlineWidth) === 0 ? 'none' : `${s.outlineWidth} ${s.outlineStyle} ${show(rgba(s.outlineColor))} offset ${s.outlineOffset}`,
      backgroundImage: s.backgroundImage,
      boxShadow: s.boxShadow.replace(/(?:oklch|oklab|lab|lch|color|rgba?)\([^)]*\)/g, (c) => show(rgba(c))),
      color: show(rgba(s.color)),
      textAlign: s.textAlign,
      fontWeight: s.fontWeight,
      fontSize: Math.round((fontSize / rootFont) * 100) / 100,
      fontPx: fontSize,
      lineHeight: s.lineHeight === 'normal' ? NaN : Math.round((parseFloat(s.lineHeight) / fontSize) * 100) / 100,
      display: s.display,
      listStyle: s.listStyleType,
      opacity: opacityOf(el),
    };
    if (el instanceof HTMLInputElement) part.placeholder = show(rgba(getComputedStyle(el, '::placeholder').color));
    if (spec.start) part.offsetStart = Math.round(rtl ? rootStart - box.right : box.left - rootStart);
    if (spec.boundary) {
      const border = rgba(s.borderTopColor);
      part.boundaryContrast = { behind: contrast(over(border, backgroundOf(el.parentElement)), backgroundOf(el.parentElement)), fill: contrast(over(border, backgroundOf(el)), backgroundOf(el)) };
    }
    parts[spec.name] = part;
  }

  const texts: TextContrast[] = [];
  const skip = input.textSkip ? [...document.querySelectorAll(input.textSkip)] : [];
  for (const textScope of (input.textScopes ?? [input.scope]).flatMap((selector) => [...document.querySelectorAll(selector)])) {
    const walker = document.createTreeWalker(textScope, NodeFilter.SHOW_TEXT);
    const seen = new Set<Element>();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      // Inactive controls are exempt from WCAG 1.4.3.
      if (!el || seen.has(el) || !node.textContent?.trim() || skip.some((s) => s.contains(el)) || el.closest('[aria-disabled="true"], :disabled')) continue;
      seen.add(el);
      const s = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      // Not painted, or visually hidden for screen readers only.
      if (s.visibility !== 'visible' || box.width <= 1 || box.height <= 1 || s.clipPath.startsWith('inset(50%')) continue;
      const fg = rgba(s.color);
      const bg = backgroundOf(el);
      const opacity = opacityOf(el);
      const painted = over([fg[0], fg[1], fg[2], fg[3] * opacity], bg);
      const size = parseFloat(s.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
      const kitClass = [...el.classList].find((c) => c.startsWith('bpc-'));
      texts.push({
        text: node.textContent.trim().slice(0, 40),
        where: kitClass ?? `${el.tagName.toLowerCase()} in ${[...(el.closest('[class*="bpc-"]')?.classList ?? [])].find((c) => c.startsWith('bpc-')) ?? '?'}`,
        color: show(fg),
        background: show(bg),
        ratio: contrast(painted, bg),
        required: large ? 3 : 4.5,
      });
    }
  }

  const host = backgroundOf(root.parentElement);
  return {
    parts,
    texts,
    kitScheme: rootStyle.colorScheme,
    hostBackground: show(host),
    // Below 0.179 white text contrasts more than black: the luminance where a page stops reading as light.
    hostDark: luminance(host) < 0.179,
  };
}

/** Every field that makes the kit's shape, not its colours: `compareParts(actual, reference, geometry)`. */
export const geometry: readonly (keyof PartStyle)[] = ['padding', 'margin', 'borderWidth', 'borderStyle', 'radius', 'textAlign', 'fontWeight', 'fontSize', 'lineHeight', 'display', 'listStyle', 'offsetStart'];

/** Which fields of a part to compare, and how. */
const lengths = ['padding', 'margin', 'borderWidth', 'radius'] as const;
const exact = ['borderStyle', 'borderColor', 'background', 'outline', 'backgroundImage', 'boxShadow', 'color', 'placeholder', 'textAlign', 'fontWeight', 'display', 'listStyle', 'opacity'] as const;
const near = { fontSize: 0.02, lineHeight: 0.02, offsetStart: 1 } as const;

/**
 * The differences between a rendering's parts and the reference's (the parts both were measured for), one
 * readable line each
 * (`tile.padding: 0px 0px 0px 0px, reference 12px 12px 12px 12px`); empty when they match.
 * `only` limits the comparison to some fields (e.g. geometry without colours).
 */
export function compareParts(actual: Measurement['parts'], reference: Measurement['parts'], only?: readonly (keyof PartStyle)[]): string[] {
  const diffs: string[] = [];
  for (const [name, ref] of Object.entries(reference)) {
    const got = actual[name];
    // Parts the rendering was not asked for are left out; parts asked for and not found are reported.
    if (!ref || got === undefined) continue;
    if (!got) {
      diffs.push(`${name}: missing (the reference has it)`);
      continue;
    }
    for (const key of lengths) {
      if (only && !only.includes(key)) continue;
      if (!sameLengths(got[key], ref[key], got.fontPx, ref.fontPx)) diffs.push(`${name}.${key}: ${got[key]}, reference ${ref[key]}`);
    }
    for (const key of exact) {
      if (only && !only.includes(key)) continue;
      if (got[key] !== ref[key]) diffs.push(`${name}.${key}: ${got[key]}, reference ${ref[key]}`);
    }
    for (const [key, tolerance] of Object.entries(near) as [keyof typeof near, number][]) {
      if (only && !only.includes(key)) continue;
      const [a, b] = [got[key], ref[key]];
      if (a === undefined && b === undefined) continue;
      if (a === undefined || b === undefined || !(Math.abs(a - b) <= tolerance || (Number.isNaN(a) && Number.isNaN(b)))) diffs.push(`${name}.${key}: ${a}, reference ${b}`);
    }
  }
  return diffs;
}

/**
 * Whether two lists of px lengths match side by side: in px, or in em of each part's font size (the kit sets
 * some lengths in em, which follow the host's font size by design).
 */
function sameLengths(a: string, b: string, fontA: number, fontB: number): boolean {
  const [xs, ys] = [a, b].map((list) => list.split(' ').map(parseFloat));
  return xs!.length === ys!.length && xs!.every((x, i) => Math.abs(x - ys![i]!) < 0.5 || Math.abs(x / fontA - ys![i]! / fontB) < 0.01);
}

/** Texts below their WCAG AA minimum, one readable line each; empty when all pass. */
export function contrastFailures(texts: readonly TextContrast[]): string[] {
  return texts.filter((t) => t.ratio < t.required).map((t) => `${t.where} "${t.text}": ${t.ratio}:1 (needs ${t.required}:1), ${t.color} on ${t.background}`);
}
