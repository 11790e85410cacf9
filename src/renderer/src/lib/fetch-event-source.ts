/**
 * An EventSource over fetch, for tRPC's httpSubscriptionLink (docs/adr/0012). The browser's own
 * EventSource cannot send headers, so the session token would have to travel in the URL, where
 * proxies and server logs keep it; this one sends `Authorization` like every other call and never
 * sends cookies. It follows the parts of the SSE protocol tRPC uses: named events, `data`, `id`,
 * `retry`, reconnecting after a dropped stream and giving up (CLOSED) on a refusal by status.
 */
export interface FetchEventSourceInit {
  /** Headers for each connection attempt (the token as it is at that moment). */
  headers?: Record<string, string> | undefined;
  withCredentials?: boolean;
  fetch?: typeof fetch;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

export class FetchEventSource extends EventTarget {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSED = CLOSED;
  readonly CONNECTING = CONNECTING;
  readonly OPEN = OPEN;
  readonly CLOSED = CLOSED;
  readonly url: string;
  readonly withCredentials = false;
  readyState: number = CONNECTING;
  private readonly abort = new AbortController();
  private retryMs = 1000;
  private lastEventId = '';

  constructor(
    url: string | URL,
    private readonly init: FetchEventSourceInit = {},
  ) {
    super();
    this.url = String(url);
    void this.connect();
  }

  close(): void {
    this.readyState = CLOSED;
    this.abort.abort();
  }

  private async connect(): Promise<void> {
    const doFetch = this.init.fetch ?? fetch;
    try {
      const response = await doFetch(this.url, {
        headers: { accept: 'text/event-stream', ...this.init.headers },
        credentials: 'omit',
        cache: 'no-store',
        signal: this.abort.signal,
      });
      if (this.readyState === CLOSED) return;
      // A refusal by status (429, 5xx from a proxy) is final, as for the browser's EventSource.
      if (!response.ok || !response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
        this.fail();
        return;
      }
      this.readyState = OPEN;
      this.dispatchEvent(new Event('open'));
      await this.read(response.body);
    } catch {
      // A network failure, or close() aborting the fetch: reconnect in the first case only (below).
    }
    if (this.readyState === CLOSED) return;
    this.readyState = CONNECTING;
    this.dispatchEvent(new Event('error'));
    setTimeout(() => {
      if (this.readyState !== CLOSED) void this.connect();
    }, this.retryMs);
  }

  private fail(): void {
    this.readyState = CLOSED;
    this.abort.abort();
    this.dispatchEvent(new Event('error'));
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let eventType = '';
    let data: string[] = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done || this.readyState === CLOSED) return;
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) {
            this.dispatchEvent(new MessageEvent(eventType || 'message', { data: data.join('\n'), lastEventId: this.lastEventId }));
          }
          eventType = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const fieldValue = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') eventType = fieldValue;
        else if (field === 'data') data.push(fieldValue);
        else if (field === 'id' && !fieldValue.includes('\0')) this.lastEventId = fieldValue;
        else if (field === 'retry' && /^\d+$/.test(fieldValue)) this.retryMs = Number(fieldValue);
      }
    }
  }
}
