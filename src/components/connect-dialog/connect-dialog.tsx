import * as Dialog from '@radix-ui/react-dialog';
import { useRef, useState, type ReactElement } from 'react';
import { ConfigureCustomer, type ConfigureCustomerProps } from '../configure-customer/configure-customer.js';
import { useMessages } from '../shared/default-messages.js';
import { IsolateOthers } from '../shared/isolate-others.js';
import { useToneRef } from '../shared/host-tone.js';
import { slots, type StyleProps } from '../shared/slots.js';

/** Parts of `ConnectDialog` that take classes (the flow inside is a `ConfigureCustomer`, classes `bpc-configure*`). */
export type ConnectDialogPart = 'overlay' | 'header' | 'title' | 'close' | 'body';

/** Props of `ConnectDialog`: the dialog's own, plus every `ConfigureCustomer` prop but its classes. */
export interface ConnectDialogProps extends Omit<ConfigureCustomerProps, 'className' | 'classNames'>, StyleProps<ConnectDialogPart> {
  /** Whether the dialog is open (controlled). */
  open?: boolean | undefined;
  /** Whether the dialog starts open (uncontrolled). @default false */
  defaultOpen?: boolean | undefined;
  /** Fires when the dialog asks to open or close: the trigger, the close button, Escape, Done. */
  onOpenChange?: ((open: boolean) => void) | undefined;
  /** Your button that opens the dialog (focus returns to it on close). */
  trigger?: ReactElement | undefined;
  /** Where to portal the dialog; pass an element inside your `data-theme` / token ancestor. @default document.body */
  container?: HTMLElement | null | undefined;
}

/**
 * The whole `ConfigureCustomer` flow in a modal Radix Dialog, opened from your own button: a title, a close
 * button, Escape to close, focus kept inside and returned on close, full screen on narrow viewports. Done on
 * the success step closes it (after `onDone`). Closing mid-flow is allowed: the flow unmounts, its requests are
 * aborted and the Link window is closed. Like `UnlinkDialog`, it draws its own backdrop and locks the page's
 * scroll through the CSSOM, so it works under a strict CSP; clicks on the backdrop do not close it.
 */
export function ConnectDialog(props: ConnectDialogProps) {
  const { open: openProp, defaultOpen, onOpenChange, trigger, container, className: _c, classNames: _cn, ...flow } = props;
  const cls = slots<ConnectDialogPart>('connect-dialog', props);
  const messages = useMessages(props.messages);
  const [openState, setOpenState] = useState(defaultOpen ?? false);
  const open = openProp ?? openState;
  const setOpen = (next: boolean) => {
    if (openProp === undefined) setOpenState(next);
    onOpenChange?.(next);
  };
  const title = useRef<HTMLHeadingElement>(null);
  const toneRef = useToneRef(props.unstyled);
  // The backdrop sits beside the dialog, not in it: it reads the page's tone for itself.
  const overlayTone = useToneRef(props.unstyled);
  // Radix returns focus only to its own Trigger: a host that opens the dialog from a button of its own gets it back too.
  const returnTo = useRef<Element | null>(null);

  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      {trigger ? <Dialog.Trigger asChild>{trigger}</Dialog.Trigger> : null}
      <Dialog.Portal container={container}>
        {/* A plain backdrop: Radix's Overlay injects a <style> element for its scroll lock, which a strict CSP blocks. */}
        <div ref={overlayTone} className={cls('overlay')} data-state="open" aria-hidden="true" />
        <Dialog.Content
          ref={toneRef}
          className={cls('root')}
          aria-describedby={undefined}
          onOpenAutoFocus={(event) => {
            // Start at the top, so the whole step (the intro's consent text included) is read from its beginning.
            returnTo.current = title.current?.ownerDocument.activeElement ?? null;
            event.preventDefault();
            title.current?.focus();
          }}
          onCloseAutoFocus={(event) => {
            const target = returnTo.current;
            if (target instanceof HTMLElement && target.isConnected && target !== target.ownerDocument.body) {
              event.preventDefault();
              target.focus();
            }
          }}
          // A stray click on the backdrop must not end a flow the user is in the middle of.
          onInteractOutside={(event) => event.preventDefault()}
        >
          <IsolateOthers />
          <div className={cls('header')}>
            <Dialog.Title ref={title} tabIndex={-1} className={cls('title')}>
              {messages.dialogTitle}
            </Dialog.Title>
            <Dialog.Close type="button" className={cls('close', 'bpc-button')} aria-label={messages.dialogClose}>
              <span aria-hidden="true">×</span>
            </Dialog.Close>
          </div>
          <div className={cls('body')}>
            <ConfigureCustomer
              {...flow}
              headingLevel={flow.headingLevel ?? 3}
              onDone={(connection) => {
                setOpen(false);
                props.onDone?.(connection);
              }}
            />
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
