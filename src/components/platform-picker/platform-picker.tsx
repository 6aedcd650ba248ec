import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { MessagesOverride, Platform } from '../../core/index.js';
import { usePlatforms, type HookClientOptions, type UsePlatformsOptions } from '../../hooks/index.js';
import { useMessages } from '../shared/default-messages.js';
import { ErrorNotice } from '../shared/error-notice.js';
import { slots, type StyleProps } from '../shared/slots.js';

/** Parts of `PlatformPicker` that take classes. */
export type PlatformPickerPart =
  | 'label'
  | 'search'
  | 'grid'
  | 'tile'
  | 'monogram'
  | 'logo'
  | 'name'
  | 'badge'
  | 'empty'
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
  /** Which platforms to offer, in order. @default the six Bill Pay platforms */
  platformKeys?: readonly string[] | undefined;
  /** Tiles per row used by ArrowUp/ArrowDown when the layout cannot be measured. @default 3 */
  columns?: number | undefined;
  /** Show the search field. @default true */
  searchable?: boolean | undefined;
  /** Show the integrations' remote logo images instead of monograms (needs img-src for Codat's CDN). @default false */
  showLogos?: boolean | undefined;
  /** Form field name: renders a hidden input with the selected key. */
  name?: string | undefined;
  /** Disable selection. @default false */
  disabled?: boolean | undefined;
  /** Text overrides. */
  messages?: MessagesOverride | undefined;
}

const typeAheadResetMs = 500;

/** The customer's accounting software as a grid of tiles with search; radio-group semantics. */
export function PlatformPicker(props: PlatformPickerProps) {
  const { value, defaultValue, onValueChange, columns = 3, searchable = true, showLogos = false, disabled = false } = props;
  const cls = slots<PlatformPickerPart>('picker', props);
  const messages = useMessages(props.messages);
  const result = usePlatforms({ source: props.source, platformKeys: props.platformKeys, client: props.client, fetcher: props.fetcher });
  const { platforms, status, query, setQuery } = result;
  const [inner, setInner] = useState(defaultValue);
  const selected = value === undefined ? inner : (value ?? undefined);
  const [focusKey, setFocusKey] = useState<string | undefined>(undefined);
  const tiles = useRef(new Map<string, HTMLDivElement>());
  const typeAhead = useRef({ text: '', timer: undefined as ReturnType<typeof setTimeout> | undefined });
  const id = useId();

  useEffect(() => () => clearTimeout(typeAhead.current.timer), []);

  const select = useCallback(
    (platform: Platform) => {
      if (disabled) return;
      if (value === undefined) setInner(platform.key);
      if (platform.key !== selected) onValueChange?.(platform.key, platform);
    },
    [disabled, value, selected, onValueChange],
  );

  const tabbable = platforms.some((p) => p.key === focusKey)
    ? focusKey
    : platforms.some((p) => p.key === selected)
      ? selected
      : platforms[0]?.key;

  const moveTo = (index: number) => {
    const platform = platforms[index];
    if (!platform) return;
    setFocusKey(platform.key);
    tiles.current.get(platform.key)?.focus();
    select(platform);
  };

  const rowLength = () => {
    const nodes = platforms.map((p) => tiles.current.get(p.key)).filter((n): n is HTMLDivElement => n !== undefined);
    const top = nodes[0]?.offsetTop;
    if (top === undefined || nodes.every((n) => n.offsetTop === 0)) return columns;
    return Math.max(1, nodes.filter((n) => n.offsetTop === top).length);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const current = Math.max(
      0,
      platforms.findIndex((p) => p.key === tabbable),
    );
    const last = platforms.length - 1;
    const rtl = typeof document !== 'undefined' && getComputedStyle(event.currentTarget).direction === 'rtl';
    const next: Record<string, number> = {
      ArrowRight: rtl ? current - 1 : current + 1,
      ArrowLeft: rtl ? current + 1 : current - 1,
      ArrowDown: current + rowLength(),
      ArrowUp: current - rowLength(),
      Home: 0,
      End: last,
    };
    const target = next[event.key];
    if (target !== undefined) {
      event.preventDefault();
      moveTo(Math.min(last, Math.max(0, target)));
      return;
    }
    const typing = typeAhead.current.text !== '';
    if ((event.key === ' ' && !typing) || event.key === 'Enter') {
      const platform = platforms[current];
      if (platform && event.key === ' ') event.preventDefault();
      if (platform) select(platform);
      return;
    }
    if (event.key.length === 1 && (typing || /\S/.test(event.key)) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const state = typeAhead.current;
      clearTimeout(state.timer);
      state.text += event.key.toLowerCase();
      state.timer = setTimeout(() => {
        state.text = '';
      }, typeAheadResetMs);
      const order = [...platforms.slice(current + (state.text.length === 1 ? 1 : 0)), ...platforms.slice(0, current + (state.text.length === 1 ? 1 : 0))];
      const match = order.find((p) => p.name.toLowerCase().startsWith(state.text));
      if (match) moveTo(platforms.indexOf(match));
    }
  };

  const searchId = `${id}-search`;
  const gridId = `${id}-grid`;
  const labelId = `${id}-label`;
  return (
    <div className={cls('root')} data-status={status} data-disabled={disabled ? '' : undefined}>
      {searchable ? (
        <>
          <label className={cls('label')} htmlFor={searchId}>
            {messages.pickerSearchLabel}
          </label>
          <input
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
          <p role="status" className="bpc-sr">
            {status === 'loading' ? '' : messages.pickerCount(platforms.length)}
          </p>
        </>
      ) : null}
      {result.status === 'error' ? (
        <ErrorNotice error={result.error} messages={messages} unstyled={props.unstyled}>
          <button type="button" className={cls('retry', 'bpc-button')} onClick={result.refetch}>
            {messages.retry}
          </button>
        </ErrorNotice>
      ) : null}
      <span id={labelId} className="bpc-sr">
        {messages.pickerLabel}
      </span>
      {status === 'loading' ? (
        <div className={cls('grid')} id={gridId} aria-busy="true" aria-label={messages.pickerLoading} role="group">
          {[0, 1, 2, 3, 4, 5].map((n) => (
            <div key={n} className={cls('skeleton')} />
          ))}
        </div>
      ) : platforms.length === 0 ? (
        <p className={cls('empty')} id={gridId}>
          {messages.pickerEmpty(query.trim())}
        </p>
      ) : (
        <div
          role="radiogroup"
          id={gridId}
          aria-labelledby={labelId}
          aria-disabled={disabled || undefined}
          className={cls('grid')}
          onKeyDown={disabled ? undefined : onKeyDown}
        >
          {platforms.map((platform) => {
            const checked = platform.key === selected;
            return (
              <div
                key={platform.key}
                ref={(node) => {
                  if (node) tiles.current.set(platform.key, node);
                  else tiles.current.delete(platform.key);
                }}
                role="radio"
                aria-checked={checked}
                aria-disabled={disabled || undefined}
                tabIndex={platform.key === tabbable && !disabled ? 0 : -1}
                className={cls('tile')}
                data-key={platform.key}
                data-selected={checked ? '' : undefined}
                onClick={() => {
                  setFocusKey(platform.key);
                  select(platform);
                }}
                onFocus={() => setFocusKey(platform.key)}
              >
                {showLogos && platform.logoUrl ? (
                  <img className={cls('logo')} src={platform.logoUrl} alt="" width={40} height={40} />
                ) : (
                  <span className={cls('monogram')} data-platform={platform.key} aria-hidden="true">
                    {platform.monogram}
                  </span>
                )}
                <span className={cls('name')}>{platform.name}</span>
                {platform.isOfflineConnector ? <span className={cls('badge')}>{messages.pickerDesktopBadge}</span> : null}
                {platform.isBeta ? <span className={cls('badge')}>{messages.pickerBetaBadge}</span> : null}
              </div>
            );
          })}
        </div>
      )}
      {props.name ? <input type="hidden" name={props.name} value={selected ?? ''} /> : null}
    </div>
  );
}
