import type { ReactNode } from 'react';
import type { BillPayError, Clock, Messages } from '../../core/index.js';
import type { UseConnectionResult } from '../../hooks/index.js';
import { useRetryWait } from '../../hooks/use-retry-wait.js';
import { slots, type StyleProps } from './slots.js';

/** Parts of `ErrorNotice` that take classes. */
export type ErrorNoticePart = 'message' | 'actions' | 'action' | 'details' | 'summary' | 'reference' | 'detail';

/** Props of `ErrorNotice`. */
export interface ErrorNoticeProps extends StyleProps<ErrorNoticePart> {
  /** The error to explain. */
  error: BillPayError;
  /** Message catalogue. */
  messages: Messages;
  /**
   * Tries the failed operation again. Offered as "Try again" only when `error.retryable`, and disabled
   * with a visible countdown until any Retry-After wait is over.
   */
  onRetry?: (() => void) | undefined;
  /** Continues Codat's Link flow in this tab: the action for a blocked popup, instead of a retry. */
  onContinueInTab?: (() => void) | undefined;
  /** Your own action, in the action's place instead of the kit's. */
  children?: ReactNode;
  /** Show the collapsed "Details for support" (correlation id, HTTP status, Codat's text) when there are any. @default true */
  supportDetails?: boolean | undefined;
  /** Class for the kit's action button, instead of `bpc-error__action bpc-button` (components pass their own part's). */
  actionClassName?: string | undefined;
  /** The time source of the Retry-After countdown, for tests and stories. @default the real clock */
  clock?: Clock | undefined;
  /** Id of the message, so a control can point at it with `aria-describedby`. */
  id?: string | undefined;
}

// A number per error object, for the alert's key (keys are strings or numbers, errors are objects).
const errorKeys = new WeakMap<BillPayError, number>();
let lastErrorKey = 0;

/**
 * The kit's one error pattern: the message for the error's code in the kit's words, then at most one
 * action: "Continue in this tab" for a blocked popup, "Try again" for a retryable error (counting down any
 * Retry-After wait first), none when retrying cannot help (the message says what to do instead). Codat's own
 * text, the HTTP status and the correlation id stay out of the message, in a collapsed "Details for support".
 * Rendered as `role="alert"` with `data-code`, announced when it appears and again when another error object
 * takes its place (a retry that failed the same way); the countdown itself is not announced.
 */
export function ErrorNotice({
  error,
  messages,
  onRetry,
  onContinueInTab,
  children,
  supportDetails = true,
  actionClassName,
  clock,
  id,
  ...style
}: ErrorNoticeProps) {
  const cls = slots<ErrorNoticePart>('error', style);
  const wait = useRetryWait(error, clock);
  const { code, codat, status, correlationId, retryAfter } = error;
  // Codat's wording is for support and the host (error.codat, onError), never the user's message.
  const message =
    code === 'invalid-input' ? messages.invalidInput(error) : code === 'http' && !error.retryable ? messages.httpNotRetryable(error) : messages.errors[code];
  const run = code === 'popup-blocked' ? onContinueInTab : error.retryable ? onRetry : undefined;
  const texts = [codat?.error, ...(codat?.validation?.errors.map((e) => e.message) ?? [])].filter((t): t is string => !!t);
  const counting = !!(run && retryAfter && code !== 'popup-blocked');
  if (!errorKeys.has(error)) errorKeys.set(error, ++lastErrorKey);
  return (
    // An alert is announced when inserted, not when the same text is rendered into it again: each new error
    // (a retry that failed the same way) gets a fresh node, and a re-render with the same one keeps it.
    <div key={errorKeys.get(error)} role="alert" className={cls('root')} data-code={code}>
      <p id={id} className={cls('message')}>
        {message}
      </p>
      {retryAfter && error.retryable ? <p className={counting ? 'bpc-sr' : cls('detail')}>{messages.retryAfter(retryAfter)}</p> : null}
      {children || run ? (
        <div className={cls('actions')}>
          {children ?? (
            <button
              type="button"
              className={actionClassName ?? cls('action', 'bpc-button')}
              aria-disabled={wait > 0 || undefined}
              onClick={() => {
                if (!wait) run!();
              }}
            >
              {/* The visible countdown changes every second, hidden from screen readers (they get the wait once,
                  above): the button's name stays "Try again". */}
              {wait ? (
                <>
                  <span aria-hidden="true">{messages.retryIn(wait)}</span>
                  <span className="bpc-sr">{messages.retry}</span>
                </>
              ) : code === 'popup-blocked' ? (
                messages.connectContinueInTab
              ) : (
                messages.retry
              )}
            </button>
          )}
          {counting ? (
            <span role="status" className="bpc-sr">
              {wait ? '' : messages.retryReady}
            </span>
          ) : null}
        </div>
      ) : null}
      {supportDetails && (correlationId || status || texts[0]) ? (
        <SupportDetails messages={messages} cls={cls}>
          {correlationId ? (
            <p className={cls('reference')}>
              {messages.supportReference}: <code>{correlationId}</code>
            </p>
          ) : null}
          {status ? <p className={cls('detail')}>{`${messages.supportStatus}: ${status}`}</p> : null}
          {texts.map((text, i) => (
            <p key={i} className={cls('detail')}>
              {text}
            </p>
          ))}
        </SupportDetails>
      ) : null}
    </div>
  );
}

/** Props of `SupportDetails`. */
export interface SupportDetailsProps {
  /** Message catalogue; an empty `supportDetails` hides the disclosure. */
  messages: Messages;
  /** The error notice's class builder, so the disclosure looks the same wherever it is. */
  cls: (part: ErrorNoticePart) => string | undefined;
  /** The lines for support. */
  children: ReactNode;
}

/** A collapsed native disclosure ("Details for support"): keyboard-operable, and closed until asked for. */
export function SupportDetails({ messages, cls, children }: SupportDetailsProps) {
  return messages.supportDetails ? (
    <details className={cls('details')}>
      <summary className={cls('summary')}>{messages.supportDetails}</summary>
      {children}
    </details>
  ) : null;
}

/** Props of `Notice`. */
export interface NoticeProps extends Omit<ErrorNoticeProps, 'error' | 'children'> {
  /** The error to explain; nothing renders without one. */
  error: BillPayError | undefined;
}

/** An `ErrorNotice` when there is an error. */
export function Notice({ error, ...rest }: NoticeProps) {
  return error ? <ErrorNotice error={error} {...rest} /> : null;
}

/** Props of `FlowNotice`. */
export interface FlowNoticeProps extends Omit<NoticeProps, 'error' | 'onContinueInTab'> {
  /** The connection flow whose failure to explain. */
  flow: UseConnectionResult;
  /** Explain a cancelled flow too, not only an error or a blocked popup. */
  cancelled?: boolean | undefined;
}

/** Explains a failed connect or reconnect; a blocked popup gets "Continue in this tab" as its one action. */
export function FlowNotice({ flow, cancelled, ...rest }: FlowNoticeProps) {
  return (
    <Notice
      // Only the error, blocked and cancelled statuses carry an error.
      error={cancelled || flow.status !== 'cancelled' ? flow.error : undefined}
      onContinueInTab={() => flow.launch('redirect')}
      {...rest}
    />
  );
}
