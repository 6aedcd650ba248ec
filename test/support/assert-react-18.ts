import { version } from 'react';
import { version as domVersion } from 'react-dom';

// The react18 project must really run React 18, or the compatibility leg proves nothing.
if (!version.startsWith('18.') || !domVersion.startsWith('18.')) {
  throw new Error(`react18 project is running React ${version} / react-dom ${domVersion}`);
}
