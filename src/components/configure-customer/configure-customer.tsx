import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { BillPayError, Clock, Company, Connection, MessagesOverride, Platform } from '../../core/index.js';
import { useCodatContext, useConnections, useCreateCompany, type HookClientOptions, type LaunchMode } from '../../hooks/index.js';
import { useMessages } from '../shared/default-messages.js';
import { ConnectButton } from '../connect-button/connect-button.js';
import { ConnectionManager, type ConnectionManagerActions } from '../connection-manager/connection-manager.js';
import { PlatformPicker } from '../platform-picker/platform-picker.js';
import { Notice } from '../shared/error-notice.js';
import { Check, Spinner } from '../shared/icons.js';
import { LinkedReport } from '../shared/linked-report.js';
import { useToneRef } from '../shared/host-tone.js';
import { slots, type StyleProps } from '../shared/slots.js';

/** Parts of `ConfigureCustomer` that take classes. */
export type ConfigureCustomerPart =
  | 'header'
  | 'title'
  | 'description'
  | 'form'
  | 'label'
  | 'input'
  | 'submit'
  | 'section'
  | 'action'
  | 'intro'
  | 'success'
  | 'icon'
  | 'heading'
  | 'text'
  | 'list'
  | 'continue'
  | 'done';

/** The step `ConfigureCustomer` shows, also on its root as `data-step`. */
export type ConfigureCustomerStep = 'intro' | 'name' | 'choose' | 'success';

/** What the intro step says about the host. */
export interface ConfigureCustomerIntro {
  /** Your app's name, as the one asking for access. @default `messages.introTitle` and `introDescription` without a name */
  appName?: string | undefined;
}

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
  /**
   * Start with a consent step: who asks for access, what Bill Pay reads and writes in the accounting software,
   * and that the customer can disconnect at any time; Continue moves on. `true`, or `{ appName }` to name your app.
   * @default false
   */
  intro?: boolean | ConfigureCustomerIntro | undefined;
  /** Fires when the customer clicks Done on the success step, with the connection just Linked. */
  onDone?: ((connection: Connection) => void) | undefined;
  /** Heading level of the page's title; the connection list's and the picker's headings are one level below. @default 2 */
  headingLevel?: 2 | 3 | 4 | 5 | 6 | undefined;
  /** Offers "Can't find your software?" when the picker's search matches nothing (see `PlatformPicker`). */
  onPlatformNotListed?: ((query: string) => void) | undefined;
  /** The time source of relative dates ("2 hours ago") and Retry-After countdowns, for tests and stories. @default the real clock */
  clock?: Clock | undefined;
  /** Text overrides. */
  messages?: MessagesOverride | undefined;
}

/**
 * The whole onboarding page: optionally say what access is asked for, name the customer, pick their accounting
 * software, connect, confirm what happens next, then manage. Focus moves to each new step's heading.
 */
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
  const root = useRef<HTMLDivElement>(null);
  const toneRef = useToneRef(props.unstyled, root);
  const heading = useRef<HTMLHeadingElement>(null);
  const needsName = !companyId && !props.companyName;
  const intro = props.intro === true ? {} : props.intro || undefined;
  const [introDone, setIntroDone] = useState(false);
  // The connection this flow linked, kept with its company: another customer's success is not this one's.
  const [linked, setLinked] = useState<{ companyId: string | undefined; connection: Connection }>();
  const success = linked && linked.companyId === companyId ? linked.connection : undefined;
  const step: ConfigureCustomerStep = intro && !introDone ? 'intro' : needsName ? 'name' : success ? 'success' : 'choose';
  const level = props.headingLevel ?? 2;
  const Heading = `h${level}` as 'h2';
  const Subheading = `h${Math.min(level + 1, 6)}` as 'h3';
  // The company's current connection comes first when it has one; an empty list says nothing the picker does not.
  const list = useConnections({ companyId, client: props.client, fetcher: props.fetcher });
  const connected = list.connections.length > 0;

  // Once per mount (a StrictMode remount keeps the ref), so a dialog that mounts the flow on each open reports each open.
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current) return;
    opened.current = true;
    context.emit({ type: 'opened', companyId });
  }, [context, companyId]);

  const shownStep = useRef(step);
  useEffect(() => {
    if (shownStep.current === step) return;
    shownStep.current = step;
    // The control that moved the flow on has gone: continue at the new step's heading, else its first field or
    // the picker. Focus the user put elsewhere on the page stays there.
    const active = root.current?.ownerDocument.activeElement;
    if (active && active !== active.ownerDocument.body && !root.current?.contains(active)) return;
    (heading.current ?? root.current?.querySelector<HTMLElement>('input:not([type="hidden"]), [tabindex="0"]'))?.focus();
  }, [step]);

  const onLinked = useCallback((connection: Connection) => setLinked({ companyId, connection }), [companyId]);
  const successName = success ? (platform?.name ?? success.platformName) : '';

  const manager = companyId && (connected || list.status !== 'success') ? (
    <ConnectionManager
      companyId={companyId}
      headingLevel={Math.min(level + 1, 6) as 3}
      actions={props.actions}
      onUnlinked={props.onUnlinked}
      onRemoved={props.onRemoved}
      popupFallback={props.popupFallback}
      clock={props.clock}
      {...shared}
    />
  ) : null;
  const header = (title: string, description: string, focus: boolean) => (
    <div className={cls('header')}>
      <Heading ref={focus ? heading : undefined} tabIndex={-1} className={cls('title')}>
        {title}
      </Heading>
      <p className={cls('description')}>{description}</p>
    </div>
  );

  return (
    <div ref={toneRef} className={cls('root')} data-step={step}>
      {step === 'intro' ? (
        <div className={cls('intro')}>
          <Heading ref={heading} tabIndex={-1} className={cls('heading')}>
            {messages.introTitle(intro?.appName)}
          </Heading>
          <p className={cls('text')}>{messages.introDescription(intro?.appName)}</p>
          <ul className={cls('list')}>
            <li>{messages.introWrites}</li>
            <li>{messages.introReads}</li>
          </ul>
          <p className={cls('text')}>{messages.introDisconnect}</p>
          <button type="button" className={cls('continue', 'bpc-button')} data-variant="primary" onClick={() => setIntroDone(true)}>
            {messages.introContinue}
          </button>
        </div>
      ) : step === 'name' ? (
        <>
          {header(messages.nameTitle, messages.nameDescription, false)}
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
            <button
              type="submit"
              className={cls('submit', 'bpc-button')}
              data-variant="primary"
              aria-disabled={create.status === 'creating'}
              aria-busy={create.status === 'creating' || undefined}
            >
              {create.status === 'creating' ? (
                <>
                  <Spinner unstyled={props.unstyled} />
                  {messages.companyCreating}
                </>
              ) : (
                messages.companyCreate
              )}
            </button>
            <Notice
              id={errorId}
              error={create.error}
              messages={messages}
              unstyled={props.unstyled}
              clock={props.clock}
              onRetry={() => void create.create({ name })}
            />
          </form>
        </>
      ) : success ? (
        <div className={cls('success')}>
          <span className={cls('icon')} aria-hidden="true">
            <Check unstyled={props.unstyled} />
          </span>
          <Heading ref={heading} tabIndex={-1} className={cls('heading')}>
            {messages.connectConnected(successName)}
          </Heading>
          <p className={cls('text')}>{messages.successDescription(successName)}</p>
          <p className={cls('text')}>{messages.successManage}</p>
          <button
            type="button"
            className={cls('done', 'bpc-button')}
            data-variant="primary"
            onClick={() => {
              // Back to the picker with nothing chosen: the platform just linked is not offered again as is.
              setPlatform(undefined);
              setLinked(undefined);
              props.onDone?.(success);
            }}
          >
            {messages.successDone}
          </button>
        </div>
      ) : (
        // Without an intro, focus goes to the picker's first control instead of the title, as it always has.
        header(connected ? messages.connectedTitle : messages.chooseTitle, messages.chooseDescription, !!intro)
      )}
      {/* One place in the tree on every step, so the list is not mounted again (nor read again) as the steps change. */}
      {manager}
      {step === 'choose' ? (
        <section className={cls('section')}>
          {connected ? <Subheading className={cls('heading')}>{messages.chooseAnotherTitle}</Subheading> : null}
          <PlatformPicker
            value={platform?.key ?? null}
            onValueChange={(_, chosen) => setPlatform(chosen)}
            platformList={props.platformList}
            platformKeys={props.platformKeys}
            source={props.source}
            onPlatformNotListed={props.onPlatformNotListed}
            {...shared}
          />
          {/* Right under the tiles; in ConnectDialog also kept in view while a long list scrolls. */}
          <div className={cls('action')}>
            <LinkedReport.Provider value={onLinked}>
              <ConnectButton
                platformKey={platform?.key}
                platformName={platform?.name}
                companyId={companyId}
                companyName={companyId ? undefined : props.companyName}
                popupFallback={props.popupFallback}
                onCompanyCreated={onCompanyCreated}
                clock={props.clock}
                {...shared}
              />
            </LinkedReport.Provider>
          </div>
        </section>
      ) : null}
    </div>
  );
}
