import { pipeline, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, type Dispatcher } from 'undici';
import { joined, type UpstreamAnswer, type UpstreamRequest, type UpstreamTransport } from './upstream.js';

/** Decoders for the content codings Codat (or something in between) may use; `x-gzip` is gzip's old name. */
const decoders: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * The proxy's transport in Node: one undici `Agent` (a pool of keep-alive connections per origin) driven through
 * its `dispatch` handler API, with none of `fetch`'s Web streams and Request/Response objects, nor even the
 * `request` API's body stream: the answer's bytes are counted and kept as they arrive. A few times cheaper per
 * request than `fetch`. Answers are decompressed here, as fetch would, and counted after decompression.
 */
export function createUndiciTransport(): UpstreamTransport {
  // Connections stay open between requests and are reused; an idle one closes after 30 s.
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000 });
  return (origin, path, request) =>
    new Promise<UpstreamAnswer>((resolve, reject) => {
      if (request.signal.aborted) {
        reject(aborted());
        return;
      }
      const exchange = new Exchange(request, resolve, reject);
      try {
        dispatcher.dispatch(
          {
            origin,
            path,
            method: request.method as Dispatcher.HttpMethod,
            headers: { ...request.headers, 'accept-encoding': 'gzip, deflate, br' },
            ...(request.body === undefined ? {} : { body: request.body }),
          },
          exchange,
        );
      } catch (error) {
        exchange.onResponseError(undefined, error as Error);
      }
    });
}

const aborted = () => new DOMException('The upstream request was aborted.', 'AbortError');

/**
 * One request to Codat and its answer: the dispatch handler undici calls, and the `UpstreamAnswer` the proxy
 * reads. The body is counted from its first byte against `maxBytes` (after decoding): past it the request is
 * aborted, the connection closed, and `text()` answers undefined.
 */
class Exchange implements Dispatcher.DispatchHandler, UpstreamAnswer {
  status = 0;
  #request: UpstreamRequest;
  #resolve: ((answer: UpstreamAnswer) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  #controller: Dispatcher.DispatchController | undefined;
  #headers: Record<string, string | string[] | undefined> = {};
  #chunks: Buffer[] = [];
  #size = 0;
  /** The decoders' input and output, when the answer is compressed. */
  #decoder: { input: Transform; output: Transform } | undefined;
  /** How the body ended: its text, undefined past the limit, or an error. */
  #outcome: { text: string | undefined } | { error: unknown } | undefined;
  #reader: { resolve: (text: string | undefined) => void; reject: (error: unknown) => void } | undefined;
  #discarded = false;
  #onAbort = () => this.#stop(aborted());

  constructor(request: UpstreamRequest, resolve: (answer: UpstreamAnswer) => void, reject: (error: unknown) => void) {
    this.#request = request;
    this.#resolve = resolve;
    this.#reject = reject;
    request.signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  header(name: string): string | null {
    return joined(this.#headers[name]);
  }

  text(): Promise<string | undefined> {
    const outcome = this.#outcome;
    if (outcome) return 'error' in outcome ? Promise.reject(outcome.error) : Promise.resolve(outcome.text);
    return new Promise((resolve, reject) => {
      this.#reader = { resolve, reject };
    });
  }

  discard(): void {
    this.#discarded = true;
    // A redirect's or an odd status's body is not wanted: close its connection rather than read it.
    if (!this.#outcome) this.#stop(aborted());
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#request.signal.aborted) controller.abort(aborted());
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    if (statusCode < 200 && statusCode !== 101) return; // 1xx: the final answer follows
    this.status = statusCode;
    this.#headers = headers;
    // Answered first: anything below may end the exchange, which then shows in text(), not as a failed request.
    this.#answer();
    const encoding = this.header('content-encoding');
    const codings = (encoding ?? '')
      .split(',')
      .map((coding) => coding.trim().toLowerCase())
      .filter((coding) => coding !== '' && coding !== 'identity');
    if (codings.length === 0) {
      const declared = Number(this.header('content-length') ?? 0);
      if (declared > this.#request.maxBytes) this.#finish({ text: undefined });
    } else {
      // Codings apply in the order listed, so they are undone in reverse.
      const steps = codings.reverse().map((coding) => decoders[coding]?.());
      if (steps.some((step) => step === undefined)) {
        this.#finish({ error: new Error(`Codat answered in a content coding the proxy cannot read: ${encoding}.`) });
      } else {
        this.#decode(steps as Transform[]);
      }
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#outcome) return;
    const decoder = this.#decoder;
    if (!decoder) {
      this.#take(chunk);
      return;
    }
    // A slow decoder holds the socket, so compressed bytes do not pile up in front of it.
    if (!decoder.input.write(chunk)) {
      controller.pause();
      decoder.input.once('drain', () => controller.resume());
    }
  }

  onResponseEnd(): void {
    if (this.#outcome) return;
    if (this.#decoder) this.#decoder.input.end();
    else this.#complete();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.#request.signal.removeEventListener('abort', this.#onAbort);
    this.#decoder?.output.destroy();
    if (this.#reject) {
      const reject = this.#reject;
      this.#resolve = this.#reject = undefined;
      reject(error);
    }
    if (!this.#outcome) this.#finish({ error });
  }

  #answer(): void {
    const resolve = this.#resolve;
    this.#resolve = this.#reject = undefined;
    resolve?.(this);
  }

  #decode(steps: Transform[]): void {
    const input = steps[0] as Transform;
    const output = steps.length === 1 ? input : (pipeline(steps, () => undefined) as unknown as Transform);
    this.#decoder = { input, output };
    output.on('data', (chunk: Buffer) => this.#take(chunk));
    output.on('end', () => this.#complete());
    output.on('error', (error: Error) => this.#stop(error));
  }

  #take(chunk: Buffer): void {
    if (this.#outcome) return;
    this.#size += chunk.byteLength;
    if (this.#size > this.#request.maxBytes) {
      this.#finish({ text: undefined });
      return;
    }
    this.#chunks.push(chunk);
  }

  #complete(): void {
    if (this.#outcome) return;
    this.#request.signal.removeEventListener('abort', this.#onAbort);
    this.#finish({ text: Buffer.concat(this.#chunks, this.#size).toString('utf8') });
  }

  /** Ends the exchange early: an abort, a decoding error. */
  #stop(error: unknown): void {
    if (this.#reject) {
      const reject = this.#reject;
      this.#resolve = this.#reject = undefined;
      reject(error);
    }
    if (!this.#outcome) this.#finish({ error });
  }

  #finish(outcome: { text: string | undefined } | { error: unknown }): void {
    this.#outcome = outcome;
    this.#chunks = [];
    const finished = 'text' in outcome && outcome.text !== undefined;
    if (!finished) {
      // Nothing more is wanted: close the connection (its rest unread) and stop any decoder.
      this.#controller?.abort(aborted());
      this.#decoder?.output.destroy();
      this.#request.signal.removeEventListener('abort', this.#onAbort);
    }
    const reader = this.#reader;
    this.#reader = undefined;
    if (!reader || this.#discarded) return;
    if ('error' in outcome) reader.reject(outcome.error);
    else reader.resolve(outcome.text);
  }
}
