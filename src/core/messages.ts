import type { BillPayError, BillPayErrorCode } from './errors.js';

/**
 * Every user-visible string the kit renders. Override any subset through `messages` on
 * `CodatProvider` or on a component; functions receive the values they interpolate.
 */
export interface Messages {
  /**
   * Error texts per error code, in the kit's words: the notice's message, followed by its one action (Try
   * again only for retryable errors). Non-retryable `http` errors use `httpNotRetryable`, `invalid-input`
   * uses `invalidInput`.
   */
  errors: Record<BillPayErrorCode, string>;
  /**
   * Text for an `http` error that retrying cannot fix (`error.retryable` is false: most 4xx, or Codat's
   * `canBeRetried: "False"`): what the user can do instead, since no Try again is offered.
   */
  httpNotRetryable: (error: BillPayError) => string;
  /** "Try again" action. */
  retry: string;
  /** The retry's visible label while a Retry-After wait counts down, once per second ("Try again in 30 s"). */
  retryIn: (seconds: number) => string;
  /** The wait, read to screen readers once with the notice (the visible countdown is not announced). */
  retryAfter: (seconds: number) => string;
  /** Announced politely once the wait is over and the retry is enabled. */
  retryReady: string;
  /** Summary of the collapsed "Details for support" disclosure; an empty string hides the disclosure. */
  supportDetails: string;
  /** Label for Codat's correlation id in the support details. */
  supportReference: string;
  /** Label for the HTTP status in the support details. */
  supportStatus: string;
  /** Accessible name of the platform picker. */
  pickerLabel: string;
  /** Label of the picker's search field. */
  pickerSearchLabel: string;
  /** Placeholder of the picker's search field. */
  pickerSearchPlaceholder: string;
  /** Polite live count of matching platforms. */
  pickerCount: (count: number) => string;
  /** Shown when the search matches nothing. */
  pickerEmpty: (query: string) => string;
  /** Action under an empty search result that clears the search. */
  pickerClearSearch: string;
  /** Action under an empty search result, shown when the host passes `onPlatformNotListed`. */
  pickerNotListed: string;
  /** Accessible label while platforms load. */
  pickerLoading: string;
  /** Shown under the name of a platform that needs Codat's desktop connector installed (QuickBooks Desktop); it is the tile's description. */
  pickerDesktopBadge: string;
  /** Badge for beta integrations. */
  pickerBetaBadge: string;
  /** Connect button label before anything happens. */
  connect: (platformName: string | undefined) => string;
  /** Connect button label with no platform chosen. */
  connectChoosePlatform: string;
  /** Busy label while the company and connection are created. */
  connectCreating: string;
  /** Status while the user authorises in the Link window. */
  connectAwaiting: (platformName: string) => string;
  /** Status while the page navigates to Link. */
  connectRedirecting: string;
  /** Shown in the kit's Link popup when Codat sends it back, while it closes itself (`CodatProvider`). */
  linkReturnClosing: string;
  /** Status once linked. */
  connectConnected: (platformName: string) => string;
  /** Status after the user closed the Link window without authorising. */
  connectCancelled: string;
  /** Action to reopen the Link window. */
  connectReopen: string;
  /** Action to continue in this tab after a blocked popup. */
  connectContinueInTab: string;
  /** Asks before replacing the company's connection to one platform (`from`) with another (`to`). */
  switchQuestion: (from: string, to: string) => string;
  /** Says what switching does to the existing connection. */
  switchConsequence: (from: string) => string;
  /** Confirms the switch. */
  switchConfirm: (to: string) => string;
  /** Keeps the existing connection. */
  switchCancel: (from: string) => string;
  /** Heading of the connection list. */
  managerHeading: string;
  /** Shown when the company has no connections: the empty state's title. */
  managerEmpty: string;
  /** The empty state's next step, under its title. */
  managerEmptyDescription: string;
  /** Accessible label while connections load. */
  managerLoading: string;
  /** Shown on a row whose connection reports active data-connection errors (their texts go to the support details). */
  managerRowError: string;
  /** Status badge texts per connection status. */
  status: Record<'PendingAuth' | 'Linked' | 'Unlinked' | 'Deauthorized' | 'unknown', string>;
  /** Last sync line. */
  lastSync: (date: string) => string;
  /** Shown when a connection never synced. */
  neverSynced: string;
  /** Reconnect action (Deauthorized and Unlinked connections). */
  reconnect: string;
  /** Continue action for a connection still waiting for sign-in (PendingAuth). */
  continue: string;
  /** Unlink action. */
  unlink: string;
  /** Unlink dialog title. */
  unlinkTitle: (platformName: string) => string;
  /** Unlink dialog explanation: unlinking keeps the data already synced and is undone by reconnecting. */
  unlinkDescription: (platformName: string) => string;
  /** Unlink dialog cancel action. */
  unlinkCancel: string;
  /** Unlink dialog confirm action. */
  unlinkConfirm: string;
  /** Unlink dialog confirm action while in progress. */
  unlinkConfirming: string;
  /** Announcement after a successful unlink. */
  unlinked: (platformName: string) => string;
  /** Remove action (deletes the connection). */
  remove: string;
  /** Remove dialog title. */
  removeTitle: (platformName: string) => string;
  /**
   * Remove dialog explanation: removing is permanent, the connection and its synced data are deleted, and
   * connecting again means signing in anew.
   */
  removeDescription: (platformName: string) => string;
  /** Remove dialog cancel action. */
  removeCancel: string;
  /** Remove dialog confirm action. */
  removeConfirm: string;
  /** Remove dialog confirm action while in progress. */
  removeConfirming: string;
  /** Announcement after a successful removal. */
  removed: (platformName: string) => string;
  /** Label of the company name field. */
  companyNameLabel: string;
  /** Submit action that creates the company. */
  companyCreate: string;
  /** Busy label while the company is created. */
  companyCreating: string;
  /**
   * Text for input rejected before any request. `error.field` names the input (`name`, `platformKey`,
   * `companyId`, `connectionId`); for `name`, `error.limit` is set when it was too long rather than blank.
   * The default is the core's English `error.message`, plus "Contact support." for fields the user cannot fix.
   */
  invalidInput: (error: BillPayError) => string;
  /** Heading of the optional intro step; receives `intro.appName` when the host gives one. */
  introTitle: (appName: string | undefined) => string;
  /** Who asks for access and through whom, leading into the list of what Bill Pay reads and writes. */
  introDescription: (appName: string | undefined) => string;
  /** Intro list item: what Bill Pay reads and writes. */
  introWrites: string;
  /** Intro list item: what Bill Pay only reads. */
  introReads: string;
  /** Intro line saying the customer can disconnect at any time. */
  introDisconnect: string;
  /** Intro action that moves on to choosing the platform. */
  introContinue: string;
  /** Title of the platform step while the company has no connection. */
  chooseTitle: string;
  /** The one line under the platform step's title. */
  chooseDescription: string;
  /** Title of the platform step once the company has a connection, which is listed first. */
  connectedTitle: string;
  /** Heading of the picker below the company's connection: choosing another platform. */
  chooseAnotherTitle: string;
  /** Title of the company-name step. */
  nameTitle: string;
  /** The one line under the company-name step's title. */
  nameDescription: string;
  /** Success step: what happens next with the platform just connected (its heading is `connectConnected`). */
  successDescription: (platformName: string) => string;
  /** Success step: where to manage or disconnect the connection. */
  successManage: string;
  /** Success step action that finishes the flow. */
  successDone: string;
  /** Title of the connect dialog. */
  dialogTitle: string;
  /** Accessible name of the connect dialog's close button. */
  dialogClose: string;
}

/** A partial override of `Messages`; `errors` and `status` may be partial too. */
export type MessagesOverride = Partial<Omit<Messages, 'errors' | 'status'>> & {
  errors?: Partial<Messages['errors']> | undefined;
  status?: Partial<Messages['status']> | undefined;
};

const defined = (o: object = {}) => Object.fromEntries(Object.entries(o).filter((e) => e[1] !== undefined));

/** Merges overrides onto a base catalogue (or onto other overrides); nested `errors` and `status` merge key by key. */
export function mergeMessages<T extends MessagesOverride>(base: T, override: MessagesOverride | undefined): T {
  if (!override) return base;
  return {
    ...base,
    ...defined(override),
    errors: { ...base.errors, ...defined(override.errors) },
    status: { ...base.status, ...defined(override.status) },
  };
}
