/** The text each Response the proxy built was made from (a WeakMap: it goes when the Response goes). */
const texts = new WeakMap<Response, string | null>();

/**
 * A Response built from text, remembered so that `toNodeHandler` can write the text straight to the socket
 * (headers and body in one write) instead of reading it back through the Response's stream.
 */
export function textResponse(text: string | null, init: ResponseInit): Response {
  const response = new Response(text, init);
  texts.set(response, text);
  return response;
}

/** The text a Response was built from by `textResponse`, if its body is still unread; undefined otherwise. */
export function textOf(response: Response): string | null | undefined {
  return response.bodyUsed ? undefined : texts.get(response);
}
