import { useEffect, useId, useRef, useState } from 'react';
import type { BillPayError, Company, Connection, MessagesOverride, Platform } from '../../core/index.js';
import { useCodatContext, useCreateCompany, type HookClientOptions, type LaunchMode } from '../../hooks/index.js';
import { useMessages } from '../shared/default-messages.js';
import { ConnectButton } from '../connect-button/connect-button.js';
import { ConnectionManager, type ConnectionManagerActions } from '../connection-manager/connection-manager.js';
import { PlatformPicker } from '../platform-picker/platform-picker.js';
import { Notice } from '../shared/error-notice.js';
import { refocus } from '../shared/focus.js';
import { slots, type StyleProps } from '../shared/slots.js';

/** Parts of `ConfigureCustomer` that take classes. */
export type ConfigureCustomerPart = 'form' | 'label' | 'input' | 'submit' | 'section';

/** Props of `ConfigureCustomer`. */
export interface ConfigureCustomerProps extends StyleProps<ConfigureCustomerPart>, HookClientOptions {
  /** The customer's existing Codat company. @default the provider's companyId */
  companyId?: string | undefined;
  /** A new customer's name: the company is created when they click Connect. Without it (and without a company) a name form is shown. */
  companyName?: string | undefined;
  /** Pre-fills the name form. */
  defaultCompanyName?: string | undefined;
  /** Which Bill Pay list to offer: `sync` (current Bill Pay) or `async`. @default the provider's, else 'sync' */
  platformList?: 'sync' | 'async' | undefined;
  /** Which platforms to offer. @default the keys of `platformList` */
  platformKeys?: readonly string[] | undefined;
  /** Where the platform list comes from. @default 'builtin' */
  source?: 'builtin' | 'integrations' | undefined;
  /** How to open Codat's Link flow. @default 'popup' */
  launch?: LaunchMode | undefined;
  /** What to do when the popup is blocked. @default 'error' */
  popupFallback?: 'redirect' | 'error' | undefined;
  /** Fires once when the company is created. */
  onCompanyCreated?: ((company: Company) => void) | undefined;
  /** Fires once per connection that becomes Linked. */
  onConnected?: ((connection: Connection) => void) | undefined;
  /** Which optional actions the connection list offers, as `ConnectionManager`'s `actions`. @default both shown */
  actions?: ConnectionManagerActions | undefined;
  /** Fires once per unlinked connection. */
  onUnlinked?: ((connection: Connection) => void) | undefined;
  /** Fires once per removed (deleted) connection. */
  onRemoved?: ((connection: Connection) => void) | undefined;
  /** Fires once per failed action: creating the company, connecting, reconnecting, unlinking, removing. A failed platform or connection list read is shown with Try again, not reported here. */
  onError?: ((error: BillPayError) => void) | undefined;
  /** Text overrides. */
  messages?: MessagesOverride | undefined;
}

/** The whole onboarding page: name the customer, pick their accounting software, connect, then manage. */
export function ConfigureCustomer(props: ConfigureCustomerProps) {
  const cls = slots<ConfigureCustomerPart>('configure', props);
  const messages = useMessages(props.messages);
  const context = useCodatContext('ConfigureCustomer', props);
  // What every part takes from the host as is.
  const shared = {
    launch: props.launch,
    onConnected: props.onConnected,
    onError: props.onError,
    messages: props.messages,
    unstyled: props.unstyled,
    client: props.client,
    fetcher: props.fetcher,
  };
  const [createdId, setCreatedId] = useState<string>();
  // The tile chosen, so the button names it as the picker does (Codat's name with source 'integrations').
  const [platform, setPlatform] = useState<Platform>();
  const [name, setName] = useState(props.defaultCompanyName ?? '');
  const companyId = props.companyId ?? context.companyId ?? createdId;
  const onCompanyCreated = (company: Company) => {
    setCreatedId(company.id);
    props.onCompanyCreated?.(company);
  };
  const create = useCreateCompany({ ...shared, onCompanyCreated });
  const inputId = useId();
  const errorId = useId();
  const section = useRef<HTMLElement>(null);
  const needsName = !companyId && !props.companyName;
  const neededName = useRef(needsName);

  useEffect(() => {
    // The name form has gone with the focus in it: continue at the next step, the platform picker.
    if (neededName.current && !needsName) refocus(section.current?.querySelector<HTMLElement>('input:not([type="hidden"]), [tabindex="0"]'));
    neededName.current = needsName;
  }, [needsName]);

  return (
    <div className={cls('root')}>
      {needsName ? (
        <form
          className={cls('form')}
          onSubmit={(event) => {
            event.preventDefault();
            void create.create({ name });
          }}
          noValidate
        >
          <label className={cls('label')} htmlFor={inputId}>
            {messages.companyNameLabel}
          </label>
          <input
            id={inputId}
            className={cls('input')}
            name="companyName"
            autoComplete="organization"
            required
            value={name}
            aria-invalid={create.error?.code === 'invalid-input' || undefined}
            aria-describedby={create.error ? errorId : undefined}
            onChange={(event) => setName(event.target.value)}
          />
          <button type="submit" className={cls('submit', 'bpc-button')} data-variant="primary" aria-disabled={create.status === 'creating'}>
            {create.status === 'creating' ? messages.companyCreating : messages.companyCreate}
          </button>
          <Notice id={errorId} error={create.error} messages={messages} unstyled={props.unstyled} />
        </form>
      ) : (
        <section ref={section} className={cls('section')}>
          <PlatformPicker
            value={platform?.key ?? null}
            onValueChange={(_, chosen) => setPlatform(chosen)}
            platformList={props.platformList}
            platformKeys={props.platformKeys}
            source={props.source}
            {...shared}
          />
          <ConnectButton
            platformKey={platform?.key}
            platformName={platform?.name}
            companyId={companyId}
            companyName={companyId ? undefined : props.companyName}
            popupFallback={props.popupFallback}
            onCompanyCreated={onCompanyCreated}
            {...shared}
          />
        </section>
      )}
      {companyId ? (
        <ConnectionManager
          companyId={companyId}
          actions={props.actions}
          onUnlinked={props.onUnlinked}
          onRemoved={props.onRemoved}
          popupFallback={props.popupFallback}
          {...shared}
        />
      ) : null}
    </div>
  );
}
