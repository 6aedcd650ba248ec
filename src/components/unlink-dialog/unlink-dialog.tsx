import * as Dialog from '@radix-ui/react-dialog';
import { useEffect, useRef, type ReactElement } from 'react';
import type { MessagesOverride } from '../../core/index.js';
import { type UseUnlinkResult } from '../../hooks/index.js';
import { useMessages } from '../shared/default-messages.js';
import { Notice } from '../shared/error-notice.js';
import { IsolateOthers } from '../shared/isolate-others.js';
import { slots, type StyleProps } from '../shared/slots.js';

/** Parts of `UnlinkDialog` that take classes. */
export type UnlinkDialogPart = 'overlay' | 'title' | 'description' | 'actions' | 'cancel' | 'confirm';

/** Props of `UnlinkDialog`. */
export interface UnlinkDialogProps extends StyleProps<UnlinkDialogPart> {
  /** The `useUnlink` result that drives the dialog. */
  unlink: UseUnlinkResult;
  /** The platform's display name, used in the title and explanation. */
  platformName: string;
  /** An element that opens the dialog (focus returns to it on close). */
  trigger?: ReactElement | undefined;
  /** Where to portal the dialog; the kit's root keeps theme tokens in reach. @default document.body */
  container?: HTMLElement | null | undefined;
  /** Where focus goes on close when the trigger is gone (e.g. the row was updated). */
  onCloseAutoFocus?: ((event: Event) => void) | undefined;
  /** Text overrides. */
  messages?: MessagesOverride | undefined;
}

/**
 * The unlink confirmation: a Radix Dialog with alert-dialog semantics. Focus starts on Cancel, Escape
 * cancels (except while unlinking), clicks outside do nothing, a failure keeps it open with the error
 * and a retry, success closes it. The page behind is inert and does not scroll; the dialog injects no
 * styles, so it works under `default-src 'self'`.
 */
export function UnlinkDialog(props: UnlinkDialogProps) {
  const { unlink, platformName } = props;
  const cls = slots<UnlinkDialogPart>('dialog', props);
  const messages = useMessages(props.messages);
  const cancel = useRef<HTMLButtonElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  const unlinking = unlink.status === 'unlinking';

  useEffect(() => {
    // Each turn removes the button just pressed (Unlink on a failure, the notice's Try again on a retry):
    // keep focus on the way forward, the notice's action (or Cancel) and then Unlink's progress.
    const dialog = cancel.current?.closest('[role="alertdialog"]');
    if (unlink.status === 'error') (dialog?.querySelector<HTMLElement>('[role="alert"] button') ?? cancel.current)?.focus();
    else if (unlinking && !dialog?.querySelector('button:focus')) confirm.current?.focus();
  }, [unlink.status, unlink.error, unlinking]);

  return (
    <Dialog.Root
      open={unlink.open}
      onOpenChange={(open) => (open ? unlink.request() : unlink.cancel())}
    >
      {props.trigger ? <Dialog.Trigger asChild>{props.trigger}</Dialog.Trigger> : null}
      <Dialog.Portal container={props.container}>
        {/* A plain backdrop: Radix's Overlay injects a <style> element for its scroll lock, which a strict CSP blocks. */}
        <div className={cls('overlay')} data-state="open" aria-hidden="true" />
        <Dialog.Content
          role="alertdialog"
          className={cls('root')}
          data-status={unlink.status}
          aria-busy={unlinking || undefined}
          onOpenAutoFocus={(event) => {
            event.preventDefault();
            cancel.current?.focus();
          }}
          onCloseAutoFocus={props.onCloseAutoFocus}
          // Radix calls this for pointer-downs and focus moves outside alike; neither closes the dialog.
          onInteractOutside={(event) => event.preventDefault()}
          onEscapeKeyDown={(event) => {
            if (unlinking) event.preventDefault();
          }}
        >
          <IsolateOthers />
          <Dialog.Title className={cls('title')}>{messages.unlinkTitle(platformName)}</Dialog.Title>
          <Dialog.Description className={cls('description')}>{messages.unlinkDescription(platformName)}</Dialog.Description>
          <Notice error={unlink.error} messages={messages} unstyled={props.unstyled} onRetry={() => void unlink.confirm()} />
          <div className={cls('actions')}>
            <Dialog.Close asChild>
              <button ref={cancel} type="button" className={cls('cancel', 'bpc-button')} aria-disabled={unlinking}>
                {messages.unlinkCancel}
              </button>
            </Dialog.Close>
            {/* After a failure the notice carries the one way forward (or none): no second Unlink beside it. */}
            {unlink.error ? null : (
              <button
                ref={confirm}
                type="button"
                className={cls('confirm', 'bpc-button')}
                data-variant="danger"
                aria-disabled={unlinking}
                onClick={() => {
                  if (!unlinking) void unlink.confirm();
                }}
              >
                {unlinking ? messages.unlinkConfirming : messages.unlinkConfirm}
              </button>
            )}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
