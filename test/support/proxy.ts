import {createServer, request as httpRequest, type IncomingMessage, type Server} from 'node:http';
import {connect, type AddressInfo, type Socket} from 'node:net';

/**
 * A loopback forward proxy, as a corporate network has one: plain http requests in absolute form are
 * forwarded, https goes through CONNECT tunnels; with `credentials`, anything without the right
 * Proxy-Authorization gets 407. Records what it was asked, to check what went through it.
 */
export interface Proxy {
  url: string;
  port: number;
  /** "GET http://host/path" and "CONNECT host:port", in order. */
  requests: string[];
  /** The Proxy-Authorization headers it received. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

export async function startProxy(options: {credentials?: string} = {}): Promise<Proxy> {
  const requests: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const sockets = new Set<Socket>();
  const expected = options.credentials ? `Basic ${Buffer.from(options.credentials).toString('base64')}` : undefined;
  const allowed = (request: IncomingMessage) => {
    authorizations.push(request.headers['proxy-authorization']);
    return !expected || request.headers['proxy-authorization'] === expected;
  };
  const server: Server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    if (!allowed(request)) return void response.writeHead(407, {'proxy-authenticate': 'Basic realm="proxy"'}).end();
    let target: URL;
    try {
      target = new URL(request.url ?? '');
    } catch {
      return void response.writeHead(400).end('absolute form expected');
    }
    const {'proxy-authorization': _, ...headers} = request.headers;
    const upstream = httpRequest({host: target.hostname, port: target.port || 80, path: `${target.pathname}${target.search}`, method: request.method, headers}, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.writeHead(502).end('bad gateway'));
    request.pipe(upstream);
  });
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    requests.push(`CONNECT ${request.url}`);
    if (!allowed(request)) return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="proxy"\r\n\r\n');
    const [host, port] = [request.url!.slice(0, request.url!.lastIndexOf(':')).replace(/^\[(.*)\]$/, '$1'), Number(request.url!.slice(request.url!.lastIndexOf(':') + 1))];
    const upstream = connect({host, port}, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    authorizations,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
