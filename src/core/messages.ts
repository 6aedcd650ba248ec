import type { BillPayErrorCode } from './errors.js';

/**
 * Every user-visible string the kit renders. Override any subset through `messages` on
 * `CodatProvider` or on a component; functions receive the values they interpolate.
 */
export interface Messages {
  /** Error texts per error code, shown with the error's way forward. */
  errors: Record<BillPayErrorCode, string>;
  /** "Try again" action. */
  retry: string;
  /** Label for the support reference shown with Codat errors. */
  supportReference: string;
  /** Seconds-to-wait hint for rate limits. */
  retryAfter: (seconds: number) => string;
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
  /** Accessible label while platforms load. */
  pickerLoading: string;
  /** Badge for connectors that need a desktop app. */
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
  /** Status once linked. */
  connectConnected: (platformName: string) => string;
  /** Status after the user closed the Link window without authorising. */
  connectCancelled: string;
  /** Action to reopen the Link window. */
  connectReopen: string;
  /** Action to continue in this tab after a blocked popup. */
  connectContinueInTab: string;
  /** Accessible name of the connection list. */
  managerLabel: string;
  /** Heading of the connection list. */
  managerHeading: string;
  /** Shown when the company has no connections. */
  managerEmpty: string;
  /** Accessible label while connections load. */
  managerLoading: string;
  /** Status badge texts per connection status. */
  status: Record<'PendingAuth' | 'Linked' | 'Unlinked' | 'Deauthorized' | 'unknown', string>;
  /** Last sync line. */
  lastSync: (date: string) => string;
  /** Shown when a connection never synced. */
  neverSynced: string;
  /** Reconnect action. */
  reconnect: string;
  /** Unlink action. */
  unlink: string;
  /** Unlink dialog title. */
  unlinkTitle: (platformName: string) => string;
  /** Unlink dialog explanation. */
  unlinkDescription: (platformName: string) => string;
  /** Unlink dialog cancel action. */
  unlinkCancel: string;
  /** Unlink dialog confirm action. */
  unlinkConfirm: string;
  /** Unlink dialog confirm action while in progress. */
  unlinkConfirming: string;
  /** Announcement after a successful unlink. */
  unlinked: (platformName: string) => string;
  /** Label of the company name field. */
  companyNameLabel: string;
  /** Submit action that creates the company. */
  companyCreate: string;
  /** Busy label while the company is created. */
  companyCreating: string;
}

/** The kit's default English messages. */
export const defaultMessages: Messages = {
  errors: {
    network: 'We could not reach the server. Check your connection and try again.',
    aborted: 'The request was cancelled.',
    timeout: 'The server took too long to answer. Try again.',
    http: 'Something went wrong on our side. Try again, or contact support if it keeps happening.',
    'rate-limited': 'Too many requests right now. Wait a moment and try again.',
    'invalid-response': 'The server sent an answer we could not read. Try again.',
    'invalid-input': 'Some details are missing or invalid.',
    'popup-blocked': 'Your browser blocked the sign-in window. Allow pop-ups for this site, or continue in this tab.',
    'unsafe-link-url': 'The sign-in link we received is not safe to open, so we did not open it. Contact support.',
    'link-cancelled': 'The sign-in window was closed before access was granted.',
    'link-failed': 'Your accounting software did not grant access. Try connecting again.',
  },
  retry: 'Try again',
  supportReference: 'Support reference',
  retryAfter: (seconds) => `You can try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
  pickerLabel: 'Accounting software',
  pickerSearchLabel: 'Search accounting software',
  pickerSearchPlaceholder: 'Search',
  pickerCount: (count) => `${count} platform${count === 1 ? '' : 's'}`,
  pickerEmpty: (query) => `No accounting software matches “${query}”.`,
  pickerLoading: 'Loading accounting software',
  pickerDesktopBadge: 'Desktop',
  pickerBetaBadge: 'Beta',
  connect: (name) => (name ? `Connect ${name}` : 'Connect'),
  connectChoosePlatform: 'Choose your accounting software',
  connectCreating: 'Preparing the connection…',
  connectAwaiting: (name) => `Waiting for you to sign in to ${name}…`,
  connectRedirecting: 'Taking you to sign in…',
  connectConnected: (name) => `${name} is connected`,
  connectCancelled: 'The sign-in window was closed before access was granted.',
  connectReopen: 'Open the sign-in window again',
  connectContinueInTab: 'Continue in this tab',
  managerLabel: 'Connections',
  managerHeading: 'Connected accounting software',
  managerEmpty: 'No accounting software is connected yet.',
  managerLoading: 'Loading connections',
  status: {
    PendingAuth: 'Waiting for sign-in',
    Linked: 'Connected',
    Unlinked: 'Unlinked',
    Deauthorized: 'Access expired',
    unknown: 'Unknown',
  },
  lastSync: (date) => `Last synced ${date}`,
  neverSynced: 'Not synced yet',
  reconnect: 'Reconnect',
  unlink: 'Unlink',
  unlinkTitle: (name) => `Unlink ${name}?`,
  unlinkDescription: (name) =>
    `We will stop reading data from ${name}. Data already synced stays available. You can connect again at any time.`,
  unlinkCancel: 'Cancel',
  unlinkConfirm: 'Unlink',
  unlinkConfirming: 'Unlinking…',
  unlinked: (name) => `${name} was unlinked`,
  companyNameLabel: 'Company name',
  companyCreate: 'Continue',
  companyCreating: 'Creating…',
};

/** A partial override of `Messages`; `errors` and `status` may be partial too. */
export type MessagesOverride = Partial<Omit<Messages, 'errors' | 'status'>> & {
  errors?: Partial<Messages['errors']> | undefined;
  status?: Partial<Messages['status']> | undefined;
};

/** Merges overrides onto a base catalogue (nested `errors` and `status` merge key by key). */
export function mergeMessages(base: Messages, override: MessagesOverride | undefined): Messages {
  if (!override) return base;
  const { errors, status, ...rest } = override;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<Messages>;
  return {
    ...base,
    ...defined,
    errors: { ...base.errors, ...(errors ? (Object.fromEntries(Object.entries(errors).filter(([, v]) => v !== undefined)) as Partial<Messages['errors']>) : {}) },
    status: { ...base.status, ...(status ? (Object.fromEntries(Object.entries(status).filter(([, v]) => v !== undefined)) as Partial<Messages['status']>) : {}) },
  };
}
