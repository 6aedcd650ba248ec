'use client';

import { useState } from 'react';
import { CodatProvider, ConfigureCustomer } from 'billpay-connect';
import 'billpay-connect/styles.css';

/** Props of the onboarding island. */
export interface OnboardingProps {
  /** The session's Codat company, read on the server; undefined for a new customer. */
  companyId: string | undefined;
  /** Allow the local sandbox's http Link pages (development and tests only). */
  allowInsecureLoopback: boolean;
}

/** The kit's whole onboarding flow, calling this app's Route Handler at /api/codat. */
export function Onboarding({ companyId: initialCompanyId, allowInsecureLoopback }: OnboardingProps) {
  const [companyId, setCompanyId] = useState(initialCompanyId);
  return (
    <CodatProvider baseUrl="/api/codat" companyId={companyId} linkUrlPolicy={{ allowInsecureLoopback }}>
      <ConfigureCustomer companyName="Acme Plumbing Ltd" onCompanyCreated={(company) => setCompanyId(company.id)} />
    </CodatProvider>
  );
}
