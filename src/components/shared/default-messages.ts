import { useContext, useMemo } from 'react';
import { defaultErrorMessages, mergeMessages, type Messages, type MessagesOverride } from '../../core/index.js';
import { CodatContext, stableKey } from '../../hooks/codat-provider.js';

/** The kit's default English messages. */
export const defaultMessages: Messages = {
  errors: defaultErrorMessages,
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
  invalidInput: (error) => error.message,
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
