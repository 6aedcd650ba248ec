import { BILL_PAY_PLATFORMS, billPayPlatforms, isBillPayError, validateCompanyInput } from 'billpay-connect/core';

/** GET /api/platforms?list=sync|async: the Bill Pay platforms, from the kit's directive-free core. */
export function GET(request: Request): Response {
  const list = new URL(request.url).searchParams.get('list') === 'async' ? 'async' : 'sync';
  const platforms = list === 'sync' ? BILL_PAY_PLATFORMS : billPayPlatforms('async');
  return Response.json({ list, platforms: platforms.map(({ key, name }) => ({ key, name })) });
}

/** POST /api/platforms with `{ name, tags? }`: the company input as Codat will store it, or 422 with the kit's message. */
export async function POST(request: Request): Promise<Response> {
  const body = (await request.json().catch(() => ({}))) as { name?: unknown; tags?: unknown };
  try {
    const company = validateCompanyInput({ name: typeof body.name === 'string' ? body.name : '', tags: body.tags as Record<string, string> | undefined });
    return Response.json({ company });
  } catch (error) {
    if (!isBillPayError(error)) throw error;
    return Response.json({ error: { code: error.code, field: error.field, message: error.message } }, { status: 422 });
  }
}
