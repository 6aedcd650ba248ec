import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';
import './app.css';

export const metadata: Metadata = {
  title: 'Acme Payables',
  description: 'billpay-connect in a Next.js App Router app',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // globals.css follows the OS's dark mode; the kit follows the page's background with no setting of its own.
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
