import { useEffect, useId, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import type { MessagesOverride, Platform } from '../../core/index.js';
import { useCodatContext, usePlatforms, type HookClientOptions, type UsePlatformsOptions } from '../../hooks/index.js';
import { useMessages } from '../shared/default-messages.js';
import { Notice } from '../shared/error-notice.js';
import { logoSource, PlatformMark } from '../shared/platform-mark.js';
import { refocus } from '../shared/focus.js';
import { Check } from '../shared/icons.js';
import { useToneRef } from '../shared/host-tone.js';
import { slots, type StyleProps } from '../shared/slots.js';

/** Parts of `PlatformPicker` that take classes. */
export type PlatformPickerPart =
  | 'label'
  | 'field'
  | 'search'
  | 'grid'
  | 'tile'
  | 'monogram'
  | 'logo'
  | 'name'
  | 'badge'
  | 'indicator'
  | 'empty'
  | 'clear'
  | 'notListed'
  | 'skeleton'
  | 'retry';

/** Props of `PlatformPicker`. */
export interface PlatformPickerProps extends StyleProps<PlatformPickerPart>, HookClientOptions {
  /** The selected platform key (controlled). */
  value?: string | null | undefined;
  /** The initially selected platform key (uncontrolled). */
  defaultValue?: string | undefined;
  /** Fires when the user selects a platform. */
  onValueChange?: ((platformKey: string, platform: Platform) => void) | undefined;
  /** Where the list comes from. @default 'builtin' */
  source?: UsePlatformsOptions['source'];
  /** Which Bill Pay list to offer: `sync` (current Bill Pay) or `async`. @default the provider's, else 'sync' */
  platformList?: UsePlatformsOptions['platformList'];
  /** Which platforms to offer, in order. @default the keys of `platformList` */
  platformKeys?: readonly string[] | undefined;
  /** Tiles per row used by ArrowUp/ArrowDown when the layout cannot be measured. @default 3 */
  columns?: number | undefined;
  /** Show the search field. @default true */
  searchable?: boolean | undefined;
  /**
   * Show each platform's logo, served by the kit's proxy from your own origin (`img-src 'self'` is enough), over
   * its monogram once it has loaded; the monogram stays when there is none.
   * @default the client's `logos`: on when the provider calls the proxy with fetch, off with a custom fetcher
   */
  showLogos?: boolean | undefined;
  /** Form field name: renders a hidden input with the selected key. */
  name?: string | undefined;
  /** Disable selection. @default false */
  disabled?: boolean | undefined;
  /**
   * Offers "Can't find your software?" when the search matches nothing, and calls this with the search text
   * when it is clicked: send the customer to your own help, a request form or another way to pay. Without it,
   * only "Clear search" is offered.
   */
  onPlatformNotListed?: ((query: string) => void) | undefined;
  /** Text overrides. */
  messages?: MessagesOverride | undefined;
}

/**
 * The customer's accounting software as a grid of tiles with search; radio-group semantics. A search never hides
 * the chosen tile: it stays in the grid, checked, until another is chosen.
 */
export function PlatformPicker(props: PlatformPickerProps) {
  const { value, defaultValue, onValueChange, columns = 3, searchable = true, showLogos, disabled = false } = props;
  const cls = slots<PlatformPickerPart>('picker', props);
  const messages = useMessages(props.messages);
  const result = usePlatforms(props);
  const { emit, client } = useCodatContext('PlatformPicker', props);
  const { platforms, status, query, setQuery } = result;
  const [inner, setInner] = useState(defaultValue);
  const selected = value === undefined ? inner : (value ?? undefined);
  const [focusKey, setFocusKey] = useState<string>();
  const typeAhead = useRef({ text: '', timer: undefined as ReturnType<typeof setTimeout> | undefined });
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const toneRef = useToneRef(props.unstyled, root);
  const retried = useRef(false);
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => () => clearTimeout(typeAhead.current.timer), []);

  useEffect(() => {
    // "Try again" goes away with the error it explains: once the list has loaded, give focus to the
    // tiles, or to the new "Try again" if it failed again.
    if (!retried.current || status === 'loading') return;
    retried.current = false;
    refocus(root.current?.querySelector<HTMLElement>('[role="alert"] button, [role="radio"][tabindex="0"]'));
  }, [status]);

  const select = (platform: Platform) => {
    setFocusKey(platform.key);
    if (disabled) return;
    if (value === undefined) setInner(platform.key);
    if (platform.key === selected) return;
    emit({ type: 'platform-selected', platformKey: platform.key });
    onValueChange?.(platform.key, platform);
  };

  // The matches, and the chosen platform in its place even when the search leaves it out: what "Connect X" would
  // connect stays in view.
  const shown = result.allPlatforms.filter((p) => p.key === selected || platforms.includes(p));
  const keys = shown.map((p) => p.key);
  const tabbable = keys.includes(focusKey!) ? focusKey : keys.includes(selected!) ? selected : keys[0];

  // Focus leaving the group: Tab back in lands on the checked tile (which a controlled parent may have
  // changed meanwhile), not on the last one focused.
  const onBlur = (event: FocusEvent<HTMLDivElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setFocusKey(undefined);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const { key, currentTarget: grid } = event;
    // The grid's children are the tiles, in the order of `platforms`.
    const tiles = [...grid.children] as HTMLElement[];
    const current = Math.max(0, keys.indexOf(tabbable!));
    const last = keys.length - 1;
    const moveTo = (index: number) => {
      tiles[index]?.focus();
      select(shown[index]!);
    };
    const step = getComputedStyle(grid).direction === 'rtl' ? -1 : 1;
    // Tiles per row: those level with the first one, or `columns` when the layout cannot be measured.
    const row = tiles.every((n) => !n.offsetTop) ? columns : tiles.filter((n) => n.offsetTop === tiles[0]!.offsetTop).length;
    const target = { ArrowRight: current + step, ArrowLeft: current - step, ArrowDown: current + row, ArrowUp: current - row, Home: 0, End: last }[
      key
    ];
    if (target !== undefined) {
      event.preventDefault();
      moveTo(Math.min(last, Math.max(0, target)));
      return;
    }
    const state = typeAhead.current;
    if ((key === ' ' && !state.text) || key === 'Enter') {
      const platform = shown[current];
      if (platform) {
        if (key === ' ') event.preventDefault();
        select(platform);
      }
      return;
    }
    if (key.length === 1 && (state.text || /\S/.test(key)) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      clearTimeout(state.timer);
      state.text += key.toLowerCase();
      state.timer = setTimeout(() => {
        state.text = '';
      }, 500); // type-ahead resets after half a second without typing
      // A new search starts after the current tile; a longer one may match the current tile again.
      const start = current + (state.text.length === 1 ? 1 : 0);
      const match = [...shown.slice(start), ...shown.slice(0, start)].find((p) => p.name.toLowerCase().startsWith(state.text));
      if (match) moveTo(shown.indexOf(match));
    }
  };

  const ariaDisabled = disabled || undefined;
  const searchId = `${id}-search`;
  const gridId = `${id}-grid`;
  const labelId = `${id}-label`;
  const trimmed = query.trim();
  // No match: say so, and offer the ways on (clear the search; the host's own path when the software is not listed).
  const empty = (
    <div className={cls('empty')} id={shown.length ? undefined : gridId}>
      <p>{messages.pickerEmpty(trimmed)}</p>
      {trimmed || props.onPlatformNotListed ? (
        <div>
          {trimmed ? (
            <button
              type="button"
              className={cls('clear', 'bpc-button')}
              onClick={() => {
                setQuery('');
                search.current?.focus();
              }}
            >
              {messages.pickerClearSearch}
            </button>
          ) : null}
          {props.onPlatformNotListed ? (
            <button type="button" className={cls('notListed', 'bpc-button')} data-variant="link" onClick={() => props.onPlatformNotListed?.(trimmed)}>
              {messages.pickerNotListed}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
  return (
    <div ref={toneRef} className={cls('root')} data-status={status} data-disabled={disabled ? '' : undefined}>
      {searchable ? (
        <>
          {/* Named for screen readers; the field's icon and placeholder say it on screen, under the host's title. */}
          <label className={cls('label', 'bpc-sr')} htmlFor={searchId}>
            {messages.pickerSearchLabel}
          </label>
          <span className={cls('field')}>
            {props.unstyled ? null : (
              <svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" aria-hidden="true">
                <circle cx="7" cy="7" r="4.75" />
                <path d="m10.5 10.5 3.5 3.5" />
              </svg>
            )}
            <input
              ref={search}
              id={searchId}
              className={cls('search')}
              type="search"
              autoComplete="off"
              spellCheck={false}
              placeholder={messages.pickerSearchPlaceholder}
              value={query}
              aria-controls={gridId}
              onChange={(event) => setQuery(event.target.value)}
            />
          </span>
          <p role="status" className="bpc-sr">
            {status === 'loading' ? '' : messages.pickerCount(platforms.length)}
          </p>
        </>
      ) : null}
      <Notice
        error={result.error}
        messages={messages}
        unstyled={props.unstyled}
        actionClassName={cls('retry', 'bpc-button')}
        onRetry={() => {
          retried.current = true;
          result.refetch();
        }}
      />
      <span id={labelId} className="bpc-sr">
        {messages.pickerLabel}
      </span>
      {status === 'loading' ? (
        <div className={cls('grid')} id={gridId} aria-busy="true" aria-label={messages.pickerLoading} role="group">
          {[0, 1, 2, 3, 4, 5].map((n) => (
            // Shaped like a tile: the mark and the name.
            <div key={n} className={cls('skeleton')}>
              <span />
              <span />
            </div>
          ))}
        </div>
      ) : !shown.length ? (
        empty
      ) : (
        <div
          role="radiogroup"
          id={gridId}
          aria-labelledby={labelId}
          aria-disabled={ariaDisabled}
          className={cls('grid')}
          onKeyDown={disabled ? undefined : onKeyDown}
          onBlur={onBlur}
        >
          {shown.map((platform) => {
            const checked = platform.key === selected;
            const badgeId = `${id}-${platform.key}`;
            const logoUrl = logoSource(client, platform.key, showLogos);
            return (
              <div
                key={platform.key}
                role="radio"
                aria-checked={checked}
                aria-disabled={ariaDisabled}
                // Named by the platform alone; a badge is its description ("QuickBooks Desktop", not "… Desktop Desktop").
                aria-label={platform.name}
                aria-describedby={platform.isOfflineConnector || platform.isBeta ? badgeId : undefined}
                tabIndex={platform.key === tabbable && !disabled ? 0 : -1}
                className={cls('tile')}
                data-key={platform.key}
                data-selected={checked ? '' : undefined}
                onClick={() => select(platform)}
                onFocus={() => setFocusKey(platform.key)}
              >
                <PlatformMark
                  key={logoUrl}
                  platformKey={platform.key}
                  monogram={platform.monogram}
                  logoUrl={logoUrl}
                  className={cls('monogram')}
                  logoClassName={cls('logo')}
                />
                <span className={cls('name')}>{platform.name}</span>
                {platform.isOfflineConnector || platform.isBeta ? (
                  <span id={badgeId} className={cls('badge')}>
                    {[platform.isOfflineConnector && messages.pickerDesktopBadge, platform.isBeta && messages.pickerBetaBadge].filter(Boolean).join(' · ')}
                  </span>
                ) : null}
                <span className={cls('indicator')} aria-hidden="true">
                  {checked ? <Check unstyled={props.unstyled} /> : null}
                </span>
              </div>
            );
          })}
        </div>
      )}
      {shown.length && !platforms.length ? empty : null}
      {props.name ? <input type="hidden" name={props.name} value={selected ?? ''} /> : null}
    </div>
  );
}
