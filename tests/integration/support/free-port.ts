import { createServer } from 'node:net';

/** A TCP port free on loopback right now, for a server process a test or benchmark starts itself. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (!address || typeof address === 'string') {
        probe.close(() => reject(new Error('no port')));
        return;
      }
      probe.close(() => resolvePort(address.port));
    });
  });
}
