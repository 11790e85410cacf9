import { describe, expect, it } from 'vitest';
import { FetchEventSource } from '../../../src/renderer/src/lib/fetch-event-source';

/** A fetch that answers each call with the next scripted response (chunks of an SSE body, or a status). */
function scriptedFetch(responses: ({ chunks: string[] } | { status: number })[]) {
  const calls: { url: string; headers: Headers; credentials: RequestCredentials | undefined }[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    calls.push({ url: String(input), headers: new Headers(init?.headers), credentials: init?.credentials });
    const next = responses.shift();
    if (!next) return new Promise<Response>(() => {});
    if ('status' in next) return new Response('{}', { status: next.status, headers: { 'content-type': 'application/json' } });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of next.chunks) controller.enqueue(encoder.encode(chunk));
        controller.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
  return { fetchFn: fetchFn as typeof fetch, calls };
}

function collect(source: FetchEventSource, types: string[]) {
  const seen: { type: string; data?: string; lastEventId?: string; readyState: number }[] = [];
  for (const type of types) {
    source.addEventListener(type, (event) => {
      const message = event as MessageEvent<string>;
      seen.push({ type, ...(event instanceof MessageEvent ? { data: message.data, lastEventId: message.lastEventId } : {}), readyState: source.readyState });
    });
  }
  return seen;
}

const settle = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PLAT-10: the EventSource over fetch', () => {
  it('PLAT-10, DESK-2: sends the headers it is given and no cookies, and parses named events split across chunks', async () => {
    const { fetchFn, calls } = scriptedFetch([
      { chunks: ['retry: 5000\n', 'event: connected\ndata: {"reconnectAfterInactivityMs":40000}\n\n', ': comment\n', 'data: {"ids":', '["a"]}\r\n\r\n', 'id: 7\ndata: line one\ndata: line two\n\n'] },
    ]);
    const source = new FetchEventSource('http://backend/trpc/visits.live', { headers: { authorization: 'Bearer secret-token' }, fetch: fetchFn });
    const seen = collect(source, ['open', 'connected', 'message']);
    await settle();
    source.close();
    expect(calls[0]?.headers.get('authorization')).toBe('Bearer secret-token');
    expect(calls[0]?.headers.get('accept')).toBe('text/event-stream');
    expect(calls[0]?.credentials).toBe('omit');
    expect(calls[0]?.url).not.toContain('secret-token');
    expect(seen.map(({ type, data, lastEventId }) => ({ type, data, lastEventId }))).toEqual([
      { type: 'open', data: undefined, lastEventId: undefined },
      { type: 'connected', data: '{"reconnectAfterInactivityMs":40000}', lastEventId: '' },
      { type: 'message', data: '{"ids":["a"]}', lastEventId: '' },
      { type: 'message', data: 'line one\nline two', lastEventId: '7' },
    ]);
  });

  it('PLAT-10: a stream that ends is reconnected after the retry time, as a browser EventSource would', async () => {
    const { fetchFn, calls } = scriptedFetch([{ chunks: ['retry: 10\n\n', 'data: first\n\n'] }, { chunks: ['data: second\n\n'] }]);
    const source = new FetchEventSource('http://backend/live', { fetch: fetchFn });
    const seen = collect(source, ['message', 'error']);
    await settle(100);
    source.close();
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(seen.slice(0, 3).map(({ type, data, readyState }) => ({ type, data, readyState }))).toEqual([
      { type: 'message', data: 'first', readyState: source.OPEN },
      { type: 'error', data: undefined, readyState: source.CONNECTING },
      { type: 'message', data: 'second', readyState: source.OPEN },
    ]);
  });

  it('PLAT-10: a refusal by status closes it for good (no reconnect loop against a 401 or 429)', async () => {
    const { fetchFn, calls } = scriptedFetch([{ status: 429 }, { chunks: ['data: never\n\n'] }]);
    const source = new FetchEventSource('http://backend/live', { fetch: fetchFn });
    const seen = collect(source, ['message', 'error']);
    await settle(1200);
    expect(seen).toEqual([{ type: 'error', readyState: source.CLOSED }]);
    expect(calls).toHaveLength(1);
  });
});
