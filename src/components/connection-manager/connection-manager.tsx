import { useEffect, useId, useRef, useState, type RefObject } from 'react';
import {
  findPlatform,
  type BillPayError,
  type Connection,
  type Messages,
  type MessagesOverride,
} from '../../core/index.js';
import {
  useCodatContext,
  useConnection,
  useConnections,
  useUnlink,
  type HookClientOptions,
  type LaunchMode,
} from '../../hooks/index.js';
import { useMessages } from '../shared/default-messages.js';
import { FlowNotice, Notice, SupportDetails, type ErrorNoticePart } from '../shared/error-notice.js';
import { refocus, useLinkWindowClosed } from '../shared/focus.js';
import { slots, type StyleProps } from '../shared/slots.js';
import { UnlinkDialog } from '../unlink-dialog/unlink-dialog.js';

/** Parts of `ConnectionManager` that take classes. */
export type ConnectionManagerPart =
  | 'heading'
  | 'list'
  | 'item'
  | 'monogram'
  | 'details'
  | 'name'
  | 'badge'
  | 'sync'
  | 'rowError'
  | 'rowStatus'
  | 'actions'
  | 'action'
  | 'empty'
  | 'skeleton'
  | 'retry';

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
  /** Fires once per unlinked connection. */
  onUnlinked?: ((connection: Connection) => void) | undefined;
  /** Fires once when a reconnected connection is Linked. */
  onConnected?: ((connection: Connection) => void) | undefined;
  /** Fires once per failed unlink or reconnect. A failed list read is shown with Try again, not reported here. */
  onError?: ((error: BillPayError) => void) | undefined;
  /** Text overrides. */
  messages?: MessagesOverride | undefined;
}

/** In UTC with the zone named ("…, 09:30:00 UTC"): the server cannot know the reader's zone, and the text must hydrate unchanged. */
function formatDate(iso: string): string {
  const date = new Date(iso);
  return isNaN(+date) ? iso : new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'long', timeZone: 'UTC' }).format(date);
}

/** The company's connections with status, last sync and errors; Reconnect and Unlink per row. */
export function ConnectionManager(props: ConnectionManagerProps) {
  const cls = slots<ConnectionManagerPart>('manager', props);
  const messages = useMessages(props.messages);
  const context = useCodatContext('ConnectionManager', props);
  const companyId = props.companyId ?? context.companyId;
  const list = useConnections({ ...props, companyId });
  const { status, connections, error } = list;
  const [announcement, setAnnouncement] = useState('');
  const [root, setRoot] = useState<HTMLDivElement | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  const Heading = `h${props.headingLevel ?? 2}` as 'h2';
  const unlinked = (connection: Connection) => {
    const text = messages.unlinked(connection.platformName || connection.integrationKey || '');
    // The same text again (another connection of the same platform) would not change the live region
    // and go unannounced: alternate a trailing no-break space to make it a change.
    setAnnouncement((previous) => (previous === text ? `${text}\u00a0` : text));
    props.onUnlinked?.(connection);
  };
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
    <div ref={setRoot} className={cls('root')} data-status={status} aria-busy={status === 'loading' || undefined}>
      <Heading ref={heading} id={headingId} tabIndex={-1} className={cls('heading')}>
        {messages.managerHeading}
      </Heading>
      <Notice
        error={error}
        messages={messages}
        unstyled={props.unstyled}
        actionClassName={cls('retry', 'bpc-button')}
        onRetry={() => {
          retried.current = true;
          list.refresh();
        }}
      />
      {status === 'loading' ? (
        <ul className={cls('list')} aria-label={messages.managerLoading}>
          {[0, 1].map((n) => (
            <li key={n} className={cls('skeleton')} />
          ))}
        </ul>
      ) : !connections.length ? (
        status === 'error' ? null : <p className={cls('empty')}>{messages.managerEmpty}</p>
      ) : companyId ? (
        <ul className={cls('list')} aria-labelledby={headingId}>
          {connections.map((connection) => (
            <ConnectionRow
              key={connection.id}
              connection={connection}
              shared={{ props, companyId, messages, cls, container: root, onUnlinked: unlinked, heading }}
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
  onUnlinked: (connection: Connection) => void;
  heading: RefObject<HTMLHeadingElement | null>;
}

function ConnectionRow({ connection, shared }: { connection: Connection; shared: RowShared }) {
  const { props, companyId, messages, cls, onUnlinked } = shared;
  const { integrationKey, status } = connection;
  const platform = findPlatform(integrationKey);
  const name = connection.platformName || platform?.name || integrationKey || '';
  // The manager's own props carry the hooks' launch, onConnected, onError, client and fetcher.
  const options = { ...props, companyId, connectionId: connection.id };
  const unlink = useUnlink({ ...options, onUnlinked });
  const reconnect = useConnection({ ...options, popupTitle: messages.connectRedirecting });
  const trigger = useRef<HTMLButtonElement>(null);
  const relaunch = useRef<HTMLButtonElement>(null);
  const nameId = useId();
  // Back from the Link window: a Linked row swaps Reconnect for Unlink, so focus would fall to the page.
  useLinkWindowClosed(reconnect.status, () => refocus(trigger.current ?? relaunch.current ?? shared.heading.current));
  const slug = status === 'PendingAuth' ? 'pending-auth' : status.toLowerCase();
  const reconnecting = reconnect.status === 'awaiting-auth' || reconnect.status === 'redirecting';
  const action = cls('action', 'bpc-button');
  return (
    <li className={cls('item')} data-status={slug}>
      <span className={cls('monogram', 'bpc-picker__monogram')} data-platform={integrationKey} aria-hidden="true">
        {platform?.monogram ?? name.slice(0, 2).toUpperCase()}
      </span>
      <div className={cls('details')}>
        <span id={nameId} className={cls('name')}>
          {name}
        </span>{' '}
        <span className={cls('badge')} data-status={slug}>
          {messages.status[status]}
        </span>
        <p className={cls('sync')}>
          {connection.lastSync ? (
            <time dateTime={connection.lastSync}>{messages.lastSync(formatDate(connection.lastSync))}</time>
          ) : (
            messages.neverSynced
          )}
        </p>
        <ConnectionIssues connection={connection} messages={messages} className={cls('rowError')} unstyled={props.unstyled} />
        {reconnecting ? <p className={cls('rowStatus')}>{messages.connectAwaiting(name)}</p> : null}
        <FlowNotice flow={reconnect} cancelled onRetry={() => reconnect.launch()} messages={messages} actionClassName={action} unstyled={props.unstyled} />
      </div>
      <div className={cls('actions')}>
        {status === 'Deauthorized' || status === 'PendingAuth' ? (
          <button
            ref={relaunch}
            type="button"
            className={action}
            data-variant="primary"
            aria-describedby={nameId}
            onClick={() => reconnect.launch()}
          >
            {reconnecting ? messages.connectReopen : messages.reconnect}
          </button>
        ) : null}
        {status === 'Linked' || unlink.status !== 'idle' ? (
          <UnlinkDialog
            unlink={unlink}
            platformName={name}
            messages={messages}
            unstyled={props.unstyled}
            container={shared.container}
            trigger={
              status === 'Linked' ? (
                <button ref={trigger} type="button" className={action} aria-describedby={nameId}>
                  {messages.unlink}
                </button>
              ) : undefined
            }
            onCloseAutoFocus={(event) => {
              if (!trigger.current?.isConnected) {
                event.preventDefault();
                shared.heading.current?.focus();
              }
            }}
          />
        ) : null}
      </div>
    </li>
  );
}

/**
 * A row's active data-connection errors: one line in the kit's words, the platform's own status and text in
 * the collapsed support details. Not an alert: it is the connection's state, read with the row; the row's
 * own actions (Reconnect) are the way forward.
 */
function ConnectionIssues(props: { connection: Connection; messages: Messages; className: string | undefined; unstyled: boolean | undefined }) {
  const issues = props.connection.dataConnectionErrors.filter((e) => e.status !== 'Resolved' && e.errorMessage);
  const cls = slots<ErrorNoticePart>('error', props);
  return issues[0] ? (
    <>
      <p className={props.className}>{props.messages.managerRowError}</p>
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
