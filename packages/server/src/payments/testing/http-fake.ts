import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Shared plumbing for the fake gateways used in tests: a node:http server on port 0 that
 * can be told to answer the next matching request slowly (after doing the work — the
 * classic "timed out but it happened" case) or to drop the connection.
 */

export type Fault =
  { pathIncludes: string; mode: 'slow'; delayMs: number } | { pathIncludes: string; mode: 'drop' };

export interface FakeRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeReply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export class FakeHttpServer {
  readonly requests: FakeRequest[] = [];
  private readonly faults: Fault[] = [];
  private server!: Server;
  baseUrl = '';

  constructor(private readonly handle: (req: FakeRequest) => FakeReply | Promise<FakeReply>) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.onRequest(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this;
  }

  /** The next request whose path contains `pathIncludes` suffers this fault (once). */
  injectFault(fault: Fault): void {
    this.faults.push(fault);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(request);
    const faultIndex = this.faults.findIndex((f) => request.url.includes(f.pathIncludes));
    const fault = faultIndex >= 0 ? this.faults.splice(faultIndex, 1)[0] : undefined;
    // The work happens before the fault: the provider did act, only the answer is lost.
    const reply = await this.handle(request);
    if (fault?.mode === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (res.destroyed) return;
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      ...reply.headers,
    });
    res.end(reply.body);
  }
}
