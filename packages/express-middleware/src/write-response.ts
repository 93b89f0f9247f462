import type { ServerResponse } from 'node:http';
import type { ReceiverResponse } from '@caleida/verify';

/** Sends the receiver's answer as is (no ETag or other work from res.send()). */
export function writeResponse(res: ServerResponse, { status, headers, body }: ReceiverResponse): void {
  res.writeHead(status, headers).end(body);
}
