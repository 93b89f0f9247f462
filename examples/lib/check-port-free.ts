import { createServer } from 'node:net';

/** Resolves when the port can be listened on at 127.0.0.1; rejects with a message saying what to do otherwise. */
export function checkPortFree(port: number, what: string, flag: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} (${what}) is already in use, perhaps by another demo. Stop it, or pick another port: pnpm demo ${flag} ${port + 100}.`
            : `Cannot listen on 127.0.0.1:${port} (${what}): ${error.message}.`,
        ),
      );
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}
