import * as Dialog from '@radix-ui/react-dialog';
import { useEffect, useRef, type ReactElement } from 'react';
import type { BillPayError, MessagesOverride } from '../../core/index.js';
import { useMessages } from './default-messages.js';
import { Notice } from './error-notice.js';
import { Spinner } from './icons.js';
import { IsolateOthers } from './isolate-others.js';
import { useToneRef } from './host-tone.js';
import { slots, type StyleProps } from './slots.js';

/** Parts of a confirmation dialog (`UnlinkDialog`, `RemoveDialog`) that take classes. */
export type ConfirmDialogPart = 'overlay' | 'title' | 'description' | 'actions' | 'cancel' | 'confirm';

/** Props every confirmation dialog takes besides the hook result that drives it. */
export interface ConfirmDialogProps extends StyleProps<ConfirmDialogPart> {
  /** The platform's display name, used in the title and explanation. */
  platformName: string;
  /** An element that opens the dialog (focus returns to it on close). */
  trigger?: ReactElement | undefined;
  /** Where to portal the dialog; the kit's root keeps theme tokens in reach. @default document.body */
  container?: HTMLElement | null | undefined;
  /** Where focus goes on close when the trigger is gone (e.g. the row was updated or removed). */
  onCloseAutoFocus?: ((event: Event) => void) | undefined;
  /** Text overrides. */
  messages?: MessagesOverride | undefined;
}

/** What the shell needs of a confirm hook's result. */
interface ConfirmFlow {
  status: string;
  open: boolean;
  error: BillPayError | undefined;
  request: () => void;
  cancel: () => void;
  confirm: () => Promise<unknown>;
}

/**
 * The shell of a confirmation: a Radix Dialog with alert-dialog semantics. Focus starts on Cancel, Escape
 * cancels (except while busy), clicks outside do nothing, a failure keeps it open with the error and a
 * retry, success closes it. The page behind is inert and does not scroll; nothing injects styles, so it
 * works under `default-src 'self'`. Its texts are the catalogue's `<kind>Title`, `<kind>Description`, ….
 */
export function ConfirmDialog(props: ConfirmDialogProps & { kind: 'unlink' | 'remove'; flow: ConfirmFlow; busy: boolean }) {
  const { flow, busy, kind, platformName } = props;
  const cls = slots<ConfirmDialogPart>('dialog', props);
  const toneRef = useToneRef(props.unstyled);
  // The backdrop sits beside the dialog, not in it: it reads the page's tone for itself.
  const overlayTone = useToneRef(props.unstyled);
  const messages = useMessages(props.messages);
  const cancel = useRef<HTMLButtonElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    // Each turn removes the button just pressed (the confirm on a failure, the notice's Try again on a retry):
    // keep focus on the way forward, the notice's action (or Cancel) and then the action's progress.
    const dialog = cancel.current?.closest('[role="alertdialog"]');
    if (flow.status === 'error') (dialog?.querySelector<HTMLElement>('[role="alert"] button') ?? cancel.current)?.focus();
    else if (busy && !dialog?.querySelector('button:focus')) confirm.current?.focus();
  }, [flow.status, flow.error, busy]);

  return (
    <Dialog.Root open={flow.open} onOpenChange={(open) => (open ? flow.request() : flow.cancel())}>
      {props.trigger ? <Dialog.Trigger asChild>{props.trigger}</Dialog.Trigger> : null}
      <Dialog.Portal container={props.container}>
        {/* A plain backdrop: Radix's Overlay injects a <style> element for its scroll lock, which a strict CSP blocks. */}
        <div ref={overlayTone} className={cls('overlay')} data-state="open" aria-hidden="true" />
        <Dialog.Content
          ref={toneRef}
          role="alertdialog"
          className={cls('root')}
          data-status={flow.status}
          aria-busy={busy || undefined}
          onOpenAutoFocus={(event) => {
            event.preventDefault();
            cancel.current?.focus();
          }}
          onCloseAutoFocus={props.onCloseAutoFocus}
          // Radix calls this for pointer-downs and focus moves outside alike; neither closes the dialog.
          onInteractOutside={(event) => event.preventDefault()}
          onEscapeKeyDown={(event) => {
            if (busy) event.preventDefault();
          }}
        >
          <IsolateOthers />
          <Dialog.Title className={cls('title')}>{messages[`${kind}Title`](platformName)}</Dialog.Title>
          <Dialog.Description className={cls('description')}>{messages[`${kind}Description`](platformName)}</Dialog.Description>
          <Notice error={flow.error} messages={messages} unstyled={props.unstyled} onRetry={() => void flow.confirm()} />
          <div className={cls('actions')}>
            <Dialog.Close asChild>
              <button ref={cancel} type="button" className={cls('cancel', 'bpc-button')} aria-disabled={busy}>
                {messages[`${kind}Cancel`]}
              </button>
            </Dialog.Close>
            {/* After a failure the notice carries the one way forward (or none): no second confirm beside it. */}
            {flow.error ? null : (
              <button
                ref={confirm}
                type="button"
                className={cls('confirm', 'bpc-button')}
                data-variant="danger"
                aria-disabled={busy}
                aria-busy={busy || undefined}
                onClick={() => {
                  if (!busy) void flow.confirm();
                }}
              >
                {busy ? <Spinner unstyled={props.unstyled} /> : null}
                {busy ? messages[`${kind}Confirming`] : messages[`${kind}Confirm`]}
              </button>
            )}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
