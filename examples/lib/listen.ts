import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running example receiver: where Caleida should call it, and how to stop it. */
export interface RunningReceiver {
  url: string;
  close: () => Promise<void>;
}

/** Listens on 127.0.0.1 (`port: 0` picks a free port) and resolves once the server accepts calls. */
export async function listen(
  server: Server,
  port: number,
  path = '/webhooks/caleida',
): Promise<RunningReceiver> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
