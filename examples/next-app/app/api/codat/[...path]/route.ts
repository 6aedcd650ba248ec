import { createCodatProxy } from 'billpay-connect/server';
import { addCompany, companiesOf, sessionIdOf } from '../../../../lib/sessions';

// The kit's Codat proxy as a Route Handler: the browser calls /api/codat/*, this adds the API key and lets a
// session touch only the companies it created. The key is read at the first request, not here, so
// `next build` runs without CODAT_API_KEY; until it is set every request answers 500 and the server logs why.
const proxy = createCodatProxy({
  apiKey: () => process.env.CODAT_API_KEY,
  // Unset: https://api.codat.io. `npm run dev` points it at the kit's local sandbox server.
  baseUrl: process.env.CODAT_BASE_URL,
  authorize: ({ request, companyId }) => {
    const sessionId = sessionIdOf(request.headers.get('cookie'));
    if (!sessionId) return false;
    return companyId === undefined || companiesOf(sessionId).includes(companyId);
  },
  onCompanyCreated: ({ request, company }) => {
    const sessionId = sessionIdOf(request.headers.get('cookie'));
    if (sessionId) addCompany(sessionId, company.id);
  },
  // A retried create is only ever answered for (and recorded to) the session that sent it.
  idempotencyScope: (request) => sessionIdOf(request.headers.get('cookie')),
  // Where platform logos may come from. Unset: static.codat.io, Codat's. `npm run dev` names the sandbox server.
  logoHosts: process.env.CODAT_LOGO_HOSTS?.split(','),
});

export { proxy as GET, proxy as POST, proxy as PATCH, proxy as DELETE };
