import { NextResponse, type NextRequest } from 'next/server';
import { SESSION_COOKIE, sessionIdOf } from './lib/sessions';

/** Gives each browser a session cookie on its first page request (Next.js 16's proxy, formerly middleware). */
export function proxy(request: NextRequest) {
  const response = NextResponse.next();
  if (!sessionIdOf(request.headers.get('cookie'))) {
    response.cookies.set(SESSION_COOKIE, crypto.randomUUID(), { httpOnly: true, sameSite: 'lax', path: '/' });
  }
  return response;
}

export const config = {
  // Pages only: not the API, not Next.js's own assets.
  matcher: ['/((?!api/|_next/|favicon.ico).*)'],
};
