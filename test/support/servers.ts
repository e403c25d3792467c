import {createServer as createHttpServer, type IncomingMessage, type ServerResponse} from 'node:http';
import {createServer as createTcpServer, type AddressInfo, type Server} from 'node:net';

export interface Running {
  port: number;
  url: string;
  close(): Promise<void>;
}

function listening(server: Server, port = 0): Promise<number> {
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      (server as Server & {closeAllConnections?: () => void}).closeAllConnections?.();
      server.close(() => resolve());
    });
}

/** A real loopback HTTP service whose behaviour each test chooses. */
export async function httpService(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<Running> {
  const server = createHttpServer(handler);
  const port = await listening(server);
  return {port, url: `http://127.0.0.1:${port}/`, close: closer(server)};
}

/** A TCP service; given a port (its own, from an earlier start), it comes back on that port. */
export async function tcpService(onPort = 0): Promise<Running> {
  const server = createTcpServer((socket) => socket.end());
  const port = await listening(server, onPort);
  return {port, url: `127.0.0.1:${port}`, close: closer(server)};
}

/** A port that was free a moment ago and has nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  const port = await listening(server);
  await closer(server)();
  return port;
}
