import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { useLinkReturn } from '../src/headless.js';
import { COMPANY_ID, seededCompany } from './support.js';

const CONNECTION_ID = '2e9d2c44-f675-40ba-8049-353bfcb5e171';
/** The return page's URL as Codat makes it from the kit's Redirect URL: every placeholder present, empty when it has no value. */
const back = (query: string) => {
  const given = new URLSearchParams(query);
  const filled = new URLSearchParams({ tab: 'billing' });
  for (const name of ['companyId', 'connectionId', 'platform', 'statusCode', 'errorMessage', 'statusText']) filled.set(name, given.get(name) ?? '');
  return `https://host.example/onboarding?${filled.toString()}`;
};

/**
 * The page Codat's Link flow redirects back to, built on `useLinkReturn` alone. The redirect's parameters are
 * validated and never trusted for success: the connection is read again before `linked` is reported.
 */
function LinkReturnPage({ url }: { url: string }) {
  const result = useLinkReturn({ url, companyId: COMPANY_ID });
  return (
    <div>
      <p role="status" data-status={result.status}>
        Return status: {result.status}
      </p>
      {result.connection ? (
        <p>
          {result.connection.platformName}: {result.connection.status}
        </p>
      ) : null}
      {result.error ? (
        <p role="alert" data-code={result.error.code}>
          {result.error.message}{' '}
          <button type="button" onClick={result.refresh}>
            Check again
          </button>
        </p>
      ) : null}
      {result.link.status === 'invalid' ? <p>Ignored the redirect: {result.link.reason}.</p> : null}
    </div>
  );
}

const meta = {
  title: 'Hooks/LinkReturn',
  component: LinkReturnPage,
} satisfies Meta<typeof LinkReturnPage>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Back from Link after authorising: the connection is re-read and is Linked. */
export const Linked: Story = {
  args: { url: back(`companyId=${COMPANY_ID}&connectionId=${CONNECTION_ID}&statusCode=200`) },
  parameters: seededCompany([{ id: CONNECTION_ID, platformKey: 'gbol', status: 'Linked' }]),
  play: async ({ canvas }) => {
    await waitFor(() => expect(canvas.getByRole('status')).toHaveAttribute('data-status', 'linked'));
    await expect(canvas.getByText('Xero: Linked')).toBeVisible();
  },
};

/** The redirect claims success but the API still says PendingAuth: pending, not linked. */
export const StillPending: Story = {
  args: { url: back(`companyId=${COMPANY_ID}&connectionId=${CONNECTION_ID}&statusCode=200`) },
  parameters: seededCompany([{ id: CONNECTION_ID, platformKey: 'gbol', status: 'PendingAuth' }]),
  play: async ({ canvas }) => {
    await waitFor(() => expect(canvas.getByRole('status')).toHaveAttribute('data-status', 'pending'));
  },
};

/** The user cancelled on Codat's page (statusCode 403, "User cancelled."): `link-cancelled`, in the kit's words. */
export const Cancelled: Story = {
  args: { url: back(`companyId=${COMPANY_ID}&connectionId=${CONNECTION_ID}&platform=gbol&statusCode=403&errorMessage=${encodeURIComponent('User cancelled.')}`) },
  parameters: seededCompany([{ id: CONNECTION_ID, platformKey: 'gbol', status: 'PendingAuth' }]),
  play: async ({ canvas }) => {
    await waitFor(() => expect(canvas.getByRole('status')).toHaveAttribute('data-status', 'failed'));
    await expect(canvas.getByRole('alert')).toHaveAttribute('data-code', 'link-cancelled');
    await expect(canvas.getByRole('alert')).toHaveTextContent('Access was not granted: the sign-in was cancelled.');
  },
};

/**
 * Codat reports an unknown error (statusCode 500): `link-failed`, in the kit's words; Codat's and the platform's
 * raw texts stay in `link` for support, not on screen.
 */
export const AuthorisationFailed: Story = {
  args: {
    url: back(`companyId=${COMPANY_ID}&statusCode=500&errorMessage=${encodeURIComponent('Unknown error occurred.')}&statusText=${encodeURIComponent('invalid_grant')}`),
  },
  parameters: seededCompany([]),
  play: async ({ canvas }) => {
    await waitFor(() => expect(canvas.getByRole('status')).toHaveAttribute('data-status', 'failed'));
    await expect(canvas.getByRole('alert')).toHaveAttribute('data-code', 'link-failed');
    await expect(canvas.getByRole('alert')).toHaveTextContent('Your accounting software did not grant access.');
    await expect(canvas.getByRole('alert')).not.toHaveTextContent('invalid_grant');
  },
};

/** A forged redirect naming another customer's company is ignored, and nothing is requested. */
export const Forged: Story = {
  args: { url: back(`companyId=11111111-1111-4111-8111-111111111111&connectionId=${CONNECTION_ID}&statusCode=200`) },
  parameters: seededCompany([]),
  play: async ({ canvas }) => {
    await waitFor(() => expect(canvas.getByRole('status')).toHaveAttribute('data-status', 'invalid'));
    await expect(canvas.getByText(/Ignored the redirect: companyId does not match this customer/)).toBeVisible();
  },
};
