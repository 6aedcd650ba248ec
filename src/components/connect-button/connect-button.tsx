import { useContext, useEffect, useId, useRef, type ReactNode } from 'react';
import { findPlatform, type BillPayError, type Clock, type Company, type Connection, type MessagesOverride } from '../../core/index.js';
import { useConnection, type HookClientOptions, type LaunchMode } from '../../hooks/index.js';
import { useRetryWait } from '../../hooks/use-retry-wait.js';
import { useMessages } from '../shared/default-messages.js';
import { FlowNotice } from '../shared/error-notice.js';
import { refocus, useLinkWindowClosed } from '../shared/focus.js';
import { Check, Spinner } from '../shared/icons.js';
import { LinkedReport } from '../shared/linked-report.js';
import { useToneRef } from '../shared/host-tone.js';
import { slots, type StyleProps } from '../shared/slots.js';

/** Parts of `ConnectButton` that take classes. */
export type ConnectButtonPart = 'button' | 'status' | 'error' | 'action' | 'switch' | 'switch-text' | 'switch-confirm' | 'switch-cancel';

/** Props of `ConnectButton`. */
export interface ConnectButtonProps extends StyleProps<ConnectButtonPart>, HookClientOptions {
  /** The platform to connect; the button is disabled without one. */
  platformKey?: string | undefined;
  /** Display name of the platform. @default the built-in name for `platformKey` */
  platformName?: string | undefined;
  /** The customer's company. @default the provider's companyId */
  companyId?: string | undefined;
  /** A new customer's name: the company is created first, in the same click. */
  companyName?: string | undefined;
  /** How to open Codat's Link flow. @default 'popup' */
  launch?: LaunchMode | undefined;
  /** What to do when the popup is blocked. @default 'error' (offer "Continue in this tab") */
  popupFallback?: 'redirect' | 'error' | undefined;
  /** Fires once when the company is created. */
  onCompanyCreated?: ((company: Company) => void) | undefined;
  /** Fires once when the connection is Linked. */
  onConnected?: ((connection: Connection) => void) | undefined;
  /** Fires once per failure. */
  onError?: ((error: BillPayError) => void) | undefined;
  /** Text overrides. */
  messages?: MessagesOverride | undefined;
  /** The time source of the Retry-After countdown, for tests and stories. @default the real clock */
  clock?: Clock | undefined;
  /** Replaces the idle label. */
  children?: ReactNode;
}

/** Creates the connection for the chosen platform (and the company first, when needed) and opens Link. */
export function ConnectButton(props: ConnectButtonProps) {
  const cls = slots<ConnectButtonPart>('connect', props);
  const messages = useMessages(props.messages);
  // The button's own props carry the hook's options; only the company to create needs building.
  const connection = useConnection({
    ...props,
    company: props.companyName ? { name: props.companyName } : undefined,
    popupTitle: messages.connectRedirecting,
  });
  const { status, reset } = connection;
  // The flow's connection was made for another platform than the one now chosen: the texts name the
  // flow's platform while it runs, and the button starts over for the new choice once it has settled.
  const flowKey = connection.connection?.integrationKey;
  const switched = !!flowKey && !!props.platformKey && flowKey !== props.platformKey;
  const running = status === 'creating' || status === 'loading' || status === 'awaiting-auth' || status === 'redirecting' || status === 'confirm-switch';
  const name =
    switched && status !== 'confirm-switch'
      ? connection.connection?.platformName || findPlatform(flowKey)?.name || flowKey
      : (props.platformName ?? findPlatform(props.platformKey)?.name ?? props.platformKey ?? '');
  const button = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const toneRef = useToneRef(props.unstyled, root);
  const statusId = useId();
  // Seconds left of a Retry-After wait: the button waits as long as the notice's retry does.
  const wait = useRetryWait(connection.error, props.clock);
  const acted = useRef(false);

  useEffect(() => {
    if (switched && !running) reset();
  }, [switched, running, reset]);

  const reportLinked = useContext(LinkedReport);
  const linked = status === 'linked' ? connection.connection : undefined;
  useEffect(() => {
    if (linked) reportLinked?.(linked);
  }, [reportLinked, linked]);

  // Bring focus back from the Link window once it has closed, whatever the outcome.
  useLinkWindowClosed(status, () => button.current?.focus());

  useEffect(() => {
    // The notice's action goes away with the notice: focus the button while the retry runs, then the new
    // notice's action if it failed again (unless the user has put focus elsewhere meanwhile).
    if (!acted.current) return;
    const action = root.current?.querySelector<HTMLElement>('[role="alert"] button');
    if (document.activeElement === button.current) action?.focus();
    else refocus(button.current);
    if (action || (status !== 'creating' && status !== 'loading')) acted.current = false;
  }, [status, connection.error]);

  const creating = status === 'creating' || status === 'loading';
  const busy = creating || status === 'redirecting';
  const confirming = status === 'confirm-switch';
  const disabled = busy || confirming || status === 'linked' || !props.platformKey || wait > 0;
  const fromName = confirming ? connection.connection.platformName || findPlatform(flowKey)?.name || flowKey || '' : '';
  const toName = confirming ? findPlatform(connection.switchTo)?.name ?? connection.switchTo : '';
  const keep = useRef<HTMLButtonElement>(null);
  // The question replaces the action the user just took: put them on its safe answer.
  useEffect(() => {
    if (confirming) keep.current?.focus();
  }, [confirming]);
  const statusText =
    status === 'awaiting-auth'
      ? messages.connectAwaiting(name)
      : status === 'linked'
        ? messages.connectConnected(name)
        : status === 'cancelled'
          ? messages.connectCancelled
          : status === 'redirecting'
            ? messages.connectRedirecting
            : '';
  const label = !props.platformKey
    ? messages.connectChoosePlatform
    : creating
      ? messages.connectCreating
      : status === 'awaiting-auth'
        ? messages.connectReopen
        : status === 'linked' || status === 'redirecting'
          ? statusText
          : (props.children ?? messages.connect(name));
  // Linked and redirecting, the button itself says it: the status line stays for screen readers only, so the
  // sentence is not shown (or read) twice.
  const saidByButton = status === 'linked' || status === 'redirecting';

  return (
    <div ref={toneRef} className={cls('root')} data-status={status}>
      <button
        ref={button}
        type="button"
        className={cls('button', 'bpc-button')}
        // Waiting for sign-in, the main action happens in the Link window: reopening it is the lesser one.
        data-variant={status === 'awaiting-auth' ? undefined : 'primary'}
        aria-disabled={disabled}
        aria-busy={busy || undefined}
        aria-describedby={saidByButton ? undefined : statusId}
        onClick={() => {
          if (disabled) return;
          if (status === 'awaiting-auth') connection.launch('popup');
          else void connection.connect();
        }}
      >
        {busy ? <Spinner unstyled={props.unstyled} /> : status === 'linked' ? <Check unstyled={props.unstyled} /> : null}
        {label}
      </button>
      <p id={statusId} role="status" className={saidByButton ? 'bpc-sr' : cls('status')}>
        {status === 'awaiting-auth' ? <Spinner unstyled={props.unstyled} /> : null}
        {statusText}
      </p>
      {confirming ? (
        <div role="group" aria-labelledby={`${statusId}-switch`} className={cls('switch')}>
          <p id={`${statusId}-switch`} className={cls('switch-text')}>
            <strong>{messages.switchQuestion(fromName, toName)}</strong> {messages.switchConsequence(fromName)}
          </p>
          <button type="button" className={cls('switch-confirm', 'bpc-button')} data-variant="danger" onClick={() => connection.confirmSwitch()}>
            {messages.switchConfirm(toName)}
          </button>{' '}
          <button ref={keep} type="button" className={cls('switch-cancel', 'bpc-button')} onClick={connection.cancelSwitch}>
            {messages.switchCancel(fromName)}
          </button>
        </div>
      ) : null}
      <FlowNotice
        flow={connection}
        onRetry={() => {
          acted.current = true;
          void connection.connect();
        }}
        messages={messages}
        className={cls('error')}
        actionClassName={cls('action', 'bpc-button')}
        unstyled={props.unstyled}
        clock={props.clock}
      />
    </div>
  );
}
