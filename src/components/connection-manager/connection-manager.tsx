import { useCallback, useId, useRef, useState } from 'react';
import {
  findPlatform,
  type BillPayError,
  type Connection,
  type ConnectionStatus,
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
import { ErrorNotice } from '../shared/error-notice.js';
import { FlowNotice } from '../shared/flow-notice.js';
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
  /** Heading level of the list's title. @default 2 */
  headingLevel?: 2 | 3 | 4 | 5 | 6 | undefined;
  /** Fires once per unlinked connection. */
  onUnlinked?: ((connection: Connection) => void) | undefined;
  /** Fires once when a reconnected connection is Linked. */
  onConnected?: ((connection: Connection) => void) | undefined;
  /** Fires once per failure. */
  onError?: ((error: BillPayError) => void) | undefined;
  /** Text overrides. */
  messages?: MessagesOverride | undefined;
}

const statusSlug: Record<ConnectionStatus, string> = {
  PendingAuth: 'pending-auth',
  Linked: 'linked',
  Unlinked: 'unlinked',
  Deauthorized: 'deauthorized',
  unknown: 'unknown',
};

function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(date);
}

/** The company's connections with status, last sync and errors; Reconnect and Unlink per row. */
export function ConnectionManager(props: ConnectionManagerProps) {
  const cls = slots<ConnectionManagerPart>('manager', props);
  const messages = useMessages(props.messages);
  const context = useCodatContext('ConnectionManager', props);
  const companyId = props.companyId ?? context.companyId;
  const list = useConnections({ companyId, client: props.client, fetcher: props.fetcher });
  const [announcement, setAnnouncement] = useState('');
  const [root, setRoot] = useState<HTMLDivElement | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  const Heading = `h${props.headingLevel ?? 2}` as 'h2';
  const onError = props.onError;
  const onUnlinked = props.onUnlinked;
  const unlinked = useCallback(
    (connection: Connection) => {
      setAnnouncement(messages.unlinked(connection.platformName || connection.integrationKey || ''));
      onUnlinked?.(connection);
    },
    [messages, onUnlinked],
  );

  return (
    <div ref={setRoot} className={cls('root')} data-status={list.status} aria-busy={list.status === 'loading' || undefined}>
      <Heading ref={heading} id={headingId} tabIndex={-1} className={cls('heading')}>
        {messages.managerHeading}
      </Heading>
      {list.status === 'error' ? (
        <ErrorNotice error={list.error} messages={messages} unstyled={props.unstyled}>
          <button type="button" className={cls('retry', 'bpc-button')} onClick={list.refresh}>
            {messages.retry}
          </button>
        </ErrorNotice>
      ) : null}
      {list.status === 'loading' ? (
        <ul className={cls('list')} aria-label={messages.managerLoading}>
          {[0, 1].map((n) => (
            <li key={n} className={cls('skeleton')} />
          ))}
        </ul>
      ) : list.connections.length === 0 && list.status !== 'error' ? (
        <p className={cls('empty')}>{messages.managerEmpty}</p>
      ) : list.connections.length > 0 && companyId ? (
        <ul className={cls('list')} aria-labelledby={headingId}>
          {list.connections.map((connection) => (
            <ConnectionRow
              key={connection.id}
              connection={connection}
              companyId={companyId}
              messages={messages}
              cls={cls}
              container={root}
              launch={props.launch}
              onUnlinked={unlinked}
              onConnected={props.onConnected}
              onError={onError}
              focusFallback={() => heading.current?.focus()}
              hookOptions={{ client: props.client, fetcher: props.fetcher }}
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

interface RowProps {
  connection: Connection;
  companyId: string;
  messages: Messages;
  cls: ReturnType<typeof slots<ConnectionManagerPart>>;
  container: HTMLElement | null;
  launch: LaunchMode | undefined;
  onUnlinked: (connection: Connection) => void;
  onConnected: ((connection: Connection) => void) | undefined;
  onError: ((error: BillPayError) => void) | undefined;
  focusFallback: () => void;
  hookOptions: HookClientOptions;
}

function ConnectionRow({ connection, companyId, messages, cls, container, launch, onUnlinked, onConnected, onError, focusFallback, hookOptions }: RowProps) {
  const name = connection.platformName || findPlatform(connection.integrationKey)?.name || connection.integrationKey || '';
  const unlink = useUnlink({ companyId, connectionId: connection.id, onUnlinked, onError, ...hookOptions });
  const reconnect = useConnection({ companyId, connectionId: connection.id, launch, onConnected, onError, ...hookOptions });
  const trigger = useRef<HTMLButtonElement>(null);
  const nameId = useId();
  const activeErrors = connection.dataConnectionErrors.filter((e) => e.status !== 'Resolved' && e.errorMessage);
  const canReconnect = connection.status === 'Deauthorized' || connection.status === 'PendingAuth';
  const reconnecting = reconnect.status === 'awaiting-auth' || reconnect.status === 'redirecting';
  return (
    <li className={cls('item')} data-status={statusSlug[connection.status]}>
      <span className={cls('monogram', 'bpc-picker__monogram')} data-platform={connection.integrationKey} aria-hidden="true">
        {findPlatform(connection.integrationKey)?.monogram ?? name.slice(0, 2).toUpperCase()}
      </span>
      <div className={cls('details')}>
        <span id={nameId} className={cls('name')}>
          {name}
        </span>{' '}
        <span className={cls('badge')} data-status={statusSlug[connection.status]}>
          {messages.status[connection.status]}
        </span>
        <p className={cls('sync')}>
          {connection.lastSync ? (
            <time dateTime={connection.lastSync}>{messages.lastSync(formatDate(connection.lastSync))}</time>
          ) : (
            messages.neverSynced
          )}
        </p>
        {activeErrors.map((e, i) => (
          <p key={i} className={cls('rowError')}>
            {e.errorMessage}
          </p>
        ))}
        {reconnecting ? <p className={cls('rowStatus')}>{messages.connectAwaiting(name)}</p> : null}
        <FlowNotice
          flow={reconnect}
          statuses={['error', 'blocked', 'cancelled']}
          messages={messages}
          actionClassName={cls('action', 'bpc-button')}
        />
      </div>
      <div className={cls('actions')}>
        {canReconnect ? (
          <button
            type="button"
            className={cls('action', 'bpc-button')}
            data-variant="primary"
            aria-describedby={nameId}
            onClick={() => reconnect.launch()}
          >
            {reconnecting ? messages.connectReopen : messages.reconnect}
          </button>
        ) : null}
        {connection.status === 'Linked' || unlink.status !== 'idle' ? (
          <UnlinkDialog
            unlink={unlink}
            platformName={name}
            messages={messages}
            container={container}
            trigger={
              connection.status === 'Linked' ? (
                <button ref={trigger} type="button" className={cls('action', 'bpc-button')} aria-describedby={nameId}>
                  {messages.unlink}
                </button>
              ) : undefined
            }
            onCloseAutoFocus={(event) => {
              if (!trigger.current?.isConnected) {
                event.preventDefault();
                focusFallback();
              }
            }}
          />
        ) : null}
      </div>
    </li>
  );
}
