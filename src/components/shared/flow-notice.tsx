import type { Messages } from '../../core/index.js';
import type { ConnectionFlowStatus, UseConnectionResult } from '../../hooks/index.js';
import { ErrorNotice } from './error-notice.js';

/** Props of `FlowNotice`. */
export interface FlowNoticeProps {
  /** The connection flow whose failure to explain. */
  flow: UseConnectionResult;
  /** Which flow statuses show the notice. */
  statuses: readonly ConnectionFlowStatus[];
  /** Message catalogue. */
  messages: Messages;
  /** Class for the notice root. */
  className?: string | undefined;
  /** Class for the "Continue in this tab" action. */
  actionClassName?: string | undefined;
  /** Drop the kit's classes. */
  unstyled?: boolean | undefined;
}

/** Explains a failed connect or reconnect; a blocked popup gets "Continue in this tab". */
export function FlowNotice({ flow, statuses, messages, className, actionClassName, unstyled }: FlowNoticeProps) {
  if (!flow.error || !statuses.includes(flow.status)) return null;
  return (
    <ErrorNotice error={flow.error} messages={messages} className={className} unstyled={unstyled}>
      {flow.status === 'blocked' ? (
        <button type="button" className={actionClassName} onClick={() => flow.launch('redirect')}>
          {messages.connectContinueInTab}
        </button>
      ) : null}
    </ErrorNotice>
  );
}
