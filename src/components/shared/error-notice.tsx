import type { ReactNode } from 'react';
import type { BillPayError, Messages } from '../../core/index.js';
import type { UseConnectionResult } from '../../hooks/index.js';
import { slots, type StyleProps } from './slots.js';

/** Parts of `ErrorNotice` that take classes. */
export type ErrorNoticePart = 'message' | 'detail' | 'reference' | 'actions';

/** Props of `ErrorNotice`. */
export interface ErrorNoticeProps extends StyleProps<ErrorNoticePart> {
  /** The error to explain. */
  error: BillPayError;
  /** Message catalogue. */
  messages: Messages;
  /** The way forward (e.g. a retry button). */
  children?: ReactNode;
  /** Element id, so a control can point at it with `aria-describedby`. */
  id?: string | undefined;
}

// A number per error object, for the alert's key (keys are strings or numbers, errors are objects).
const errorKeys = new WeakMap<BillPayError, number>();
let lastErrorKey = 0;

/**
 * Explains a kit error to the user: the readable message for its code (Codat's own text for HTTP errors
 * with a body), the wait for rate limits, Codat's correlation id as a support reference, and the actions
 * passed as children. Rendered as `role="alert"` so it is announced when it appears, and again when another
 * error object takes its place (a retry that failed the same way); the actions are new nodes then too.
 */
export function ErrorNotice({ error, messages, children, id, ...style }: ErrorNoticeProps) {
  const cls = slots<ErrorNoticePart>('error', style);
  const detail = error.code === 'http' ? error.codat?.error : undefined;
  const validation = error.codat?.validation?.errors.map((e) => e.message).filter(Boolean) ?? [];
  // The unsafe-link-url reason stays in error.message for developers; the user gets the catalogue's text.
  const message = error.code === 'invalid-input' ? messages.invalidInput(error) : messages.errors[error.code];
  if (!errorKeys.has(error)) errorKeys.set(error, ++lastErrorKey);
  return (
    // An alert is announced when inserted, not when the same text is rendered into it again: each new error
    // (a retry that failed the same way) gets a fresh node, and a re-render with the same one keeps it.
    <div key={errorKeys.get(error)} role="alert" id={id} className={cls('root')} data-code={error.code}>
      <p className={cls('message')}>{message}</p>
      {detail && detail !== message ? <p className={cls('detail')}>{detail}</p> : null}
      {validation[0] ? (
        <ul className={cls('detail')}>
          {validation.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      ) : null}
      {error.retryAfter !== undefined ? <p className={cls('detail')}>{messages.retryAfter(error.retryAfter)}</p> : null}
      {error.correlationId ? (
        <p className={cls('reference')}>
          {messages.supportReference}: <code>{error.correlationId}</code>
        </p>
      ) : null}
      {children ? <div className={cls('actions')}>{children}</div> : null}
    </div>
  );
}

/** Props of `Notice`. */
export interface NoticeProps extends Omit<ErrorNoticeProps, 'error' | 'children'> {
  /** The error to explain; nothing renders without one. */
  error: BillPayError | undefined;
  /** The action button's label. */
  action?: ReactNode;
  /** The action; without it there is no button. */
  onAction?: (() => void) | undefined;
  /** Class for the action button. */
  actionClassName?: string | undefined;
}

/** An `ErrorNotice` when there is an error, with at most one action button (e.g. "Try again"). */
export function Notice({ error, action, onAction, actionClassName, ...rest }: NoticeProps) {
  return error ? (
    <ErrorNotice error={error} {...rest}>
      {onAction ? (
        <button type="button" className={actionClassName} onClick={onAction}>
          {action}
        </button>
      ) : null}
    </ErrorNotice>
  ) : null;
}

/** Props of `FlowNotice`. */
export interface FlowNoticeProps extends Omit<NoticeProps, 'error' | 'action' | 'onAction'> {
  /** The connection flow whose failure to explain. */
  flow: UseConnectionResult;
  /** Explain a cancelled flow too, not only an error or a blocked popup. */
  cancelled?: boolean | undefined;
}

/** Explains a failed connect or reconnect; a blocked popup gets "Continue in this tab". */
export function FlowNotice({ flow, cancelled, ...rest }: FlowNoticeProps) {
  return (
    <Notice
      // Only the error, blocked and cancelled statuses carry an error.
      error={cancelled || flow.status !== 'cancelled' ? flow.error : undefined}
      action={rest.messages.connectContinueInTab}
      onAction={flow.status === 'blocked' ? () => flow.launch('redirect') : undefined}
      {...rest}
    />
  );
}
