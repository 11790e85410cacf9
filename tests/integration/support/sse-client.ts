/**
 * A minimal server-sent-events reader over fetch, for tests and the bench: it opens the stream with
 * headers (the bearer token, as the app sends it) and hands out events one at a time, so a test sees
 * exactly what travels over HTTP.
 */
export interface SseMessage {
  event: string;
  data: string;
}

export interface SseStream {
  status: number;
  contentType: string | null;
  /** The next event other than a ping, or undefined if none arrives within the time (or the stream ended). */
  next(timeoutMs?: number): Promise<SseMessage | undefined>;
  /** True once the server has closed the stream. */
  readonly isEnded: boolean;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const queue: SseMessage[] = [];
  const waiters: (() => void)[] = [];
  let isEnded = false;
  const notify = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  const pump = async () => {
    if (!response.body) return;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, '\n');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (data.length === 0 && event === 'message') continue;
          if (event !== 'ping') queue.push({ event, data: data.join('\n') });
          notify();
        }
      }
    } catch {
      // Aborted by close(), or the connection dropped: either way the stream is over.
    } finally {
      isEnded = true;
      notify();
    }
  };
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) void pump();
  else isEnded = true;
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    get isEnded() {
      return isEnded && queue.length === 0;
    },
    async next(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (queue.length === 0 && !isEnded && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deadline - Date.now());
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return queue.shift();
    },
    close() {
      abort.abort();
    },
  };
}
