import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore, type ReactNode, type RefObject } from 'react';
import {
  findPlatform,
  platformKeyOf,
  type BillPayError,
  type Clock,
  type CodatClient,
  type Connection,
  type Messages,
  type MessagesOverride,
} from '../../core/index.js';
import {
  useCodatContext,
  useConnection,
  useConnections,
  useRemove,
  useUnlink,
  type HookClientOptions,
  type LaunchMode,
} from '../../hooks/index.js';
import { useMessages } from '../shared/default-messages.js';
import { FlowNotice, Notice, SupportDetails, type ErrorNoticePart } from '../shared/error-notice.js';
import { refocus, useLinkWindowClosed } from '../shared/focus.js';
import { Spinner } from '../shared/icons.js';
import { useToneRef } from '../shared/host-tone.js';
import { logoSource, PlatformMark } from '../shared/platform-mark.js';
import { slots, type StyleProps } from '../shared/slots.js';
import { RemoveDialog } from '../remove-dialog/remove-dialog.js';
import { UnlinkDialog } from '../unlink-dialog/unlink-dialog.js';

/** Parts of `ConnectionManager` that take classes. */
export type ConnectionManagerPart =
  | 'heading'
  | 'list'
  | 'item'
  | 'monogram'
  | 'logo'
  | 'details'
  | 'name'
  | 'badge'
  | 'sync'
  | 'rowError'
  | 'rowStatus'
  | 'actions'
  | 'action'
  | 'empty'
  | 'emptyTitle'
  | 'emptyText'
  | 'skeleton'
  | 'retry';

/**
 * Which optional row actions `ConnectionManager` offers; leave one out or set it `true` to show it. The way
 * forward of a row that is not Linked (Reconnect, Continue) is always offered.
 */
export interface ConnectionManagerActions {
  /** Unlink on Linked rows: reversible, the synced data stays. @default true */
  unlink?: boolean | undefined;
  /** Remove on every row: deletes the connection and its synced data, permanently. @default true */
  remove?: boolean | undefined;
}

/** Props of `ConnectionManager`. */
export interface ConnectionManagerProps extends StyleProps<ConnectionManagerPart>, HookClientOptions {
  /** The company whose connections to show. @default the provider's companyId */
  companyId?: string | undefined;
  /** How Reconnect opens Codat's Link flow. @default 'popup' */
  launch?: LaunchMode | undefined;
  /** What Reconnect does when the browser blocks the popup. @default 'error' (offer "Continue in this tab") */
  popupFallback?: 'redirect' | 'error' | undefined;
  /** Heading level of the list's title. @default 2 */
  headingLevel?: 2 | 3 | 4 | 5 | 6 | undefined;
  /** Hides row actions: `{ unlink: false }` offers no Unlink, `{ remove: false }` no Remove. @default both shown */
  actions?: ConnectionManagerActions | undefined;
  /** Your way to connect, shown in the empty state under its text (e.g. a `ConnectDialog` with its trigger). */
  emptyAction?: ReactNode;
  /** The time source of relative dates ("Last synced 2 hours ago") and Retry-After countdowns, for tests and stories. @default the real clock */
  clock?: Clock | undefined;
  /**
   * Show each row's platform logo, served by the kit's proxy from your own origin, over its monogram once loaded.
   * @default the client's `logos`: on when the provider calls the proxy with fetch, off with a custom fetcher
   */
  showLogos?: boolean | undefined;
  /** Fires once per unlinked connection. */
  onUnlinked?: ((connection: Connection) => void) | undefined;
  /** Fires once per removed (deleted) connection, with the connection as it was listed. */
  onRemoved?: ((connection: Connection) => void) | undefined;
  /** Fires once when a reconnected connection is Linked. */
  onConnected?: ((connection: Connection) => void) | undefined;
  /** Fires once per failed unlink, remove or reconnect. A failed list read is shown with Try again, not reported here. */
  onError?: ((error: BillPayError) => void) | undefined;
  /** Text overrides. */
  messages?: MessagesOverride | undefined;
}

const noSubscribe = () => () => {};
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * When a connection last synced, in the reader's language and time zone: relative while recent ("5 minutes ago",
 * "yesterday"), then the date ("20 Nov 2026"). No seconds, no zone name. Server rendering and hydration show the
 * date in UTC, which reads the same everywhere; the local text follows right after hydration.
 */
function useSyncDate(iso: string, clock: Clock | undefined): string {
  const hydrated = useSyncExternalStore(noSubscribe, () => true, () => false);
  const date = new Date(iso);
  if (isNaN(+date)) return iso;
  if (!hydrated) return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
  const ago = Math.max(0, (clock ?? Date).now() - +date);
  const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (ago < HOUR) return relative.format(-Math.max(1, Math.floor(ago / MINUTE)), 'minute');
  if (ago < DAY) return relative.format(-Math.floor(ago / HOUR), 'hour');
  if (ago < 7 * DAY) return relative.format(-Math.floor(ago / DAY), 'day');
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(date);
}

/**
 * The company's connections with status, last sync and errors. Every row offers a way forward: Unlink on a
 * Linked row, Reconnect on a Deauthorized or Unlinked one, Continue on one waiting for sign-in; and Remove.
 */
export function ConnectionManager(props: ConnectionManagerProps) {
  const cls = slots<ConnectionManagerPart>('manager', props);
  const messages = useMessages(props.messages);
  const context = useCodatContext('ConnectionManager', props);
  const companyId = props.companyId ?? context.companyId;
  const list = useConnections({ ...props, companyId });
  const { status, connections, error } = list;
  const [announcement, setAnnouncement] = useState('');
  const [root, setRoot] = useState<HTMLDivElement | null>(null);
  const toneRef = useToneRef(props.unstyled);
  const rootRef = useCallback(
    (el: HTMLDivElement | null) => {
      setRoot(el);
      toneRef(el);
    },
    [toneRef],
  );
  const heading = useRef<HTMLHeadingElement>(null);
  const rows = useRef<HTMLUListElement>(null);
  const headingId = useId();
  const Heading = `h${props.headingLevel ?? 2}` as 'h2';
  const announce = (text: string) =>
    // The same text again (another connection of the same platform) would not change the live region
    // and go unannounced: alternate a trailing no-break space to make it a change.
    setAnnouncement((previous) => (previous === text ? `${text}\u00a0` : text));
  /** The first action of the row now at `index` (after a removal, the next row's), else the heading. */
  const firstAction = (index: number) =>
    rows.current?.children[index]?.lastElementChild?.querySelector('button') ?? heading.current;
  const retried = useRef(false);
  useEffect(() => {
    // "Try again" goes away with the error once the list loads: focus the heading rather than the page. A
    // retry that fails again brings a new notice (so it is announced again): focus its "Try again", or the
    // heading when that error offers no retry.
    if (!retried.current) return;
    retried.current = false;
    refocus((error && root?.querySelector<HTMLElement>('[role="alert"] button')) || heading.current);
  }, [status, error, root]);

  return (
    <div ref={rootRef} className={cls('root')} data-status={status} aria-busy={status === 'loading' || undefined}>
      <Heading ref={heading} id={headingId} tabIndex={-1} className={cls('heading')}>
        {messages.managerHeading}
      </Heading>
      <Notice
        error={error}
        messages={messages}
        unstyled={props.unstyled}
        actionClassName={cls('retry', 'bpc-button')}
        clock={props.clock}
        onRetry={() => {
          retried.current = true;
          list.refresh();
        }}
      />
      {status === 'loading' ? (
        <ul className={cls('list')} aria-label={messages.managerLoading}>
          {/* Shaped like a row: the mark, the name and the sync line, an action. The list's name says it all. */}
          <li className={cls('skeleton')} aria-hidden="true">
            <span />
            <span />
            <span />
            <span />
          </li>
        </ul>
      ) : !connections.length ? (
        status === 'error' ? null : (
          <div className={cls('empty')}>
            <p className={cls('emptyTitle')}>{messages.managerEmpty}</p>
            <p className={cls('emptyText')}>{messages.managerEmptyDescription}</p>
            {props.emptyAction}
          </div>
        )
      ) : companyId ? (
        <ul ref={rows} className={cls('list')} aria-labelledby={headingId}>
          {connections.map((connection, index) => (
            <ConnectionRow
              key={connection.id}
              connection={connection}
              index={index}
              shared={{ props, companyId, messages, cls, container: root, announce, firstAction, client: context.client }}
            />
          ))}
        </ul>
      ) : null}
      <p role="status" className="bpc-sr">
        {announcement}
      </p>
    </div>
  );
}

/** What every row shares with the manager. */
interface RowShared {
  props: ConnectionManagerProps;
  companyId: string;
  messages: Messages;
  cls: ReturnType<typeof slots<ConnectionManagerPart>>;
  container: HTMLElement | null;
  announce: (text: string) => void;
  firstAction: (index: number) => HTMLElement | null;
  client: CodatClient;
}

function ConnectionRow({ connection, index, shared }: { connection: Connection; index: number; shared: RowShared }) {
  const { props, companyId, messages, cls, announce, firstAction } = shared;
  const { status } = connection;
  // Codat often leaves integrationKey out: the platform is then known by its name.
  const platformKey = platformKeyOf(connection);
  const platform = findPlatform(platformKey);
  const name = connection.platformName || platform?.name || platformKey || '';
  const logoUrl = logoSource(shared.client, platformKey, props.showLogos);
  // The manager's own props carry the hooks' launch, onConnected, onError, client and fetcher.
  const options = { ...props, companyId, connectionId: connection.id };
  const unlink = useUnlink({
    ...options,
    onUnlinked: (unlinked) => {
      announce(messages.unlinked(name));
      props.onUnlinked?.(unlinked);
    },
  });
  const remove = useRemove({
    ...options,
    onRemoved: () => {
      announce(messages.removed(name));
      props.onRemoved?.(connection);
    },
  });
  const reconnect = useConnection({ ...options, popupTitle: messages.connectRedirecting });
  const unlinkTrigger = useRef<HTMLButtonElement>(null);
  const removeTrigger = useRef<HTMLButtonElement>(null);
  const nameId = useId();
  // Back from the Link window: a Linked row swaps Reconnect for Unlink, so focus would fall to the page.
  useLinkWindowClosed(reconnect.status, () => refocus(firstAction(index)));
  /**
   * When a dialog closes and its trigger is gone (an unlinked row swaps Unlink for Reconnect; a removed row
   * goes), focus the first action of the row now at this index (this row's, or the next row's), else the heading.
   */
  const closeFocus = (trigger: RefObject<HTMLButtonElement | null>) => (event: Event) => {
    if (trigger.current?.isConnected) return;
    event.preventDefault();
    firstAction(index)?.focus();
  };
  const slug = status === 'PendingAuth' ? 'pending-auth' : status.toLowerCase();
  const reconnecting = reconnect.status === 'awaiting-auth' || reconnect.status === 'redirecting';
  const action = cls('action', 'bpc-button');
  const shown = props.actions ?? {};
  const dialog = { platformName: name, messages, unstyled: props.unstyled, container: shared.container };
  const synced = useSyncDate(connection.lastSync ?? '', props.clock);
  return (
    <li className={cls('item')} data-status={slug}>
      <PlatformMark
        key={logoUrl}
        platformKey={platformKey}
        monogram={platform?.monogram ?? name.slice(0, 2).toUpperCase()}
        logoUrl={logoUrl}
        className={cls('monogram', 'bpc-picker__monogram')}
        logoClassName={cls('logo', 'bpc-picker__logo')}
      />
      <div className={cls('details')}>
        <span id={nameId} className={cls('name')}>
          {name}
        </span>{' '}
        <span className={cls('badge')} data-status={slug}>
          {messages.status[status]}
        </span>
        <p className={cls('sync')}>
          {connection.lastSync ? (
            <time dateTime={connection.lastSync}>{messages.lastSync(synced)}</time>
          ) : (
            messages.neverSynced
          )}
        </p>
        <ConnectionIssues connection={connection} messages={messages} className={cls('rowError')} unstyled={props.unstyled} />
        {reconnecting ? (
          <p className={cls('rowStatus')}>
            <Spinner unstyled={props.unstyled} />
            {messages.connectAwaiting(name)}
          </p>
        ) : null}
        <FlowNotice
          flow={reconnect}
          cancelled
          onRetry={() => reconnect.launch()}
          messages={messages}
          actionClassName={action}
          unstyled={props.unstyled}
          clock={props.clock}
        />
      </div>
      {/* Focus after a dialog or the Link window reads this row's first action as the last child's first button. */}
      <div className={cls('actions')}>
        {status === 'Deauthorized' || status === 'Unlinked' || status === 'PendingAuth' ? (
          <button type="button" className={action} data-variant="primary" aria-describedby={nameId} onClick={() => reconnect.launch()}>
            {reconnecting ? messages.connectReopen : status === 'PendingAuth' ? messages.continue : messages.reconnect}
          </button>
        ) : null}
        {shown.unlink !== false && (status === 'Linked' || unlink.status !== 'idle') ? (
          <UnlinkDialog
            {...dialog}
            unlink={unlink}
            trigger={
              status === 'Linked' ? (
                <button ref={unlinkTrigger} type="button" className={action} aria-describedby={nameId}>
                  {messages.unlink}
                </button>
              ) : undefined
            }
            onCloseAutoFocus={closeFocus(unlinkTrigger)}
          />
        ) : null}
        {shown.remove !== false ? (
          <RemoveDialog
            {...dialog}
            remove={remove}
            trigger={
              <button ref={removeTrigger} type="button" className={action} aria-describedby={nameId}>
                {messages.remove}
              </button>
            }
            onCloseAutoFocus={closeFocus(removeTrigger)}
          />
        ) : null}
      </div>
    </li>
  );
}

/**
 * A row's active data-connection errors: one line in the kit's words (none on a Deauthorized row, whose badge
 * already says so), the platform's own status and text in the collapsed support details. Not an alert: it is the connection's state, read with the row; the row's
 * own actions (Reconnect) are the way forward.
 */
function ConnectionIssues(props: { connection: Connection; messages: Messages; className: string | undefined; unstyled: boolean | undefined }) {
  const issues = props.connection.dataConnectionErrors.filter((e) => e.status !== 'Resolved' && e.errorMessage);
  const cls = slots<ErrorNoticePart>('error', props);
  return issues[0] ? (
    <>
      {/* An expired access is the row's badge and its Reconnect: the errors behind it go to support only. */}
      {props.connection.status === 'Deauthorized' ? null : <p className={props.className}>{props.messages.managerRowError}</p>}
      <SupportDetails messages={props.messages} cls={cls}>
        {issues.map((e, i) => (
          <p key={i} className={cls('detail')}>
            {[e.statusCode, e.statusText, e.errorMessage].filter(Boolean).join(' · ')}
          </p>
        ))}
      </SupportDetails>
    </>
  ) : null;
}
