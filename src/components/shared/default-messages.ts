import { useContext, useMemo } from 'react';
import { defaultErrorMessages, mergeMessages, type Messages, type MessagesOverride } from '../../core/index.js';
import { CodatContext, stableKey } from '../../hooks/codat-provider.js';

/** The kit's default English messages. */
export const defaultMessages: Messages = {
  errors: defaultErrorMessages,
  httpNotRetryable: (error) =>
    error.operation === 'createConnection'
      ? 'We could not connect this accounting software. Choose another one, or contact support.'
      : 'We could not complete this request. Contact support if you need help.',
  retry: 'Try again',
  retryIn: (seconds) => `Try again in ${seconds} s`,
  retryAfter: (seconds) => `You can try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
  retryReady: 'You can try again now.',
  supportDetails: 'Details for support',
  supportReference: 'Support reference',
  supportStatus: 'HTTP status',
  pickerLabel: 'Accounting software',
  pickerSearchLabel: 'Search accounting software',
  pickerSearchPlaceholder: 'Search',
  pickerCount: (count) => `${count} platform${count === 1 ? '' : 's'}`,
  pickerEmpty: (query) => `No accounting software matches “${query}”.`,
  pickerClearSearch: 'Clear search',
  pickerNotListed: 'Can’t find your software?',
  pickerLoading: 'Loading accounting software',
  pickerDesktopBadge: 'Needs desktop connector',
  pickerBetaBadge: 'Beta',
  connect: (name) => (name ? `Connect ${name}` : 'Connect'),
  connectChoosePlatform: 'Choose your software',
  connectCreating: 'Preparing the connection…',
  connectAwaiting: (name) => `Waiting for you to sign in to ${name}…`,
  connectRedirecting: 'Taking you to sign in…',
  linkReturnClosing: 'Finishing… you can close this window.',
  connectConnected: (name) => `${name} is connected`,
  connectCancelled: 'The sign-in was cancelled before access was granted.',
  connectReopen: 'Open the sign-in window again',
  connectContinueInTab: 'Continue in this tab',
  switchQuestion: (from, to) => `Your books are connected to ${from}. Switch to ${to}?`,
  switchConsequence: (from) =>
    `Codat connects one accounting system at a time: switching removes the ${from} connection and the data synced from it.`,
  switchConfirm: (to) => `Switch to ${to}`,
  switchCancel: (from) => `Keep ${from}`,
  managerHeading: 'Connected accounting software',
  managerEmpty: 'No accounting software is connected yet.',
  managerEmptyDescription: 'Connect it to keep your bills and payments in sync.',
  managerLoading: 'Loading connections',
  managerRowError: 'Your accounting software reported a problem with this connection. If it continues, contact support.',
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
  continue: 'Continue',
  unlink: 'Unlink',
  unlinkTitle: (name) => `Unlink ${name}?`,
  unlinkDescription: (name) =>
    `We will stop reading data from ${name}. The data already synced is kept, and you can undo this at any time by reconnecting.`,
  unlinkCancel: 'Cancel',
  unlinkConfirm: 'Unlink',
  unlinkConfirming: 'Unlinking…',
  unlinked: (name) => `${name} was unlinked`,
  remove: 'Remove',
  removeTitle: (name) => `Remove ${name}?`,
  removeDescription: (name) =>
    `This is permanent: the connection to ${name} and the data synced from it are deleted. To connect again, you will sign in to ${name} anew.`,
  removeCancel: 'Cancel',
  removeConfirm: 'Remove',
  removeConfirming: 'Removing…',
  removed: (name) => `${name} was removed`,
  companyNameLabel: 'Company name',
  companyCreate: 'Continue',
  companyCreating: 'Creating…',
  // A name or platform the user can change; anything else (ids, tags) comes from the host's code.
  invalidInput: (error) => (error.field === 'name' || error.field === 'platformKey' ? error.message : `${error.message} Contact support.`),
  introTitle: (app) => (app ? `${app} wants to connect to your accounting software` : 'Connect your accounting software'),
  introDescription: (app) => `${app ?? 'This app'} uses Codat to connect securely. With your permission, Bill Pay will:`,
  introWrites: 'Read and write your bills, suppliers and bill payments',
  introReads: 'Read your bank accounts and chart of accounts',
  introDisconnect: 'You can disconnect at any time.',
  introContinue: 'Continue',
  chooseTitle: 'Which accounting software do you use?',
  chooseDescription: 'Bill Pay keeps your bills and payments in sync with it.',
  connectedTitle: 'Your accounting software',
  chooseAnotherTitle: 'Use different accounting software',
  nameTitle: 'Connect your accounting software',
  nameDescription: 'First, the name of your business.',
  successDescription: (name) => `Your bills will sync from ${name} over the next few minutes.`,
  successManage: 'You can manage or disconnect the connection below.',
  successDone: 'Done',
  dialogTitle: 'Connect your accounting software',
  dialogClose: 'Close',
};


/** The full message catalogue: defaults, then the providers' overrides, then the component's own. */
export function useMessages(override?: MessagesOverride): Messages {
  const context = useContext(CodatContext);
  const base = context?.messages;
  return useMemo(
    () => mergeMessages(mergeMessages(defaultMessages, base), override),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [base, stableKey(override)],
  );
}
