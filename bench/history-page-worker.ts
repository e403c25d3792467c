// The status page (or a bare node:http server, the baseline) in a worker thread, for bench/history.ts: its own
// event loop, so the requests' timing is the server's, not the load generator's.
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {parentPort, workerData} from 'node:worker_threads';
import {AppContext} from '../src/core/app/context.js';
import {HistoryReader} from '../src/core/app/history.js';
import {silentIo} from '../src/core/app/io.js';
import {startPageServer} from '../src/page/server.js';

const {env, catalog, freshMs, bare} = workerData as {env: NodeJS.ProcessEnv; catalog: string; freshMs?: number; bare: boolean};

if (bare) {
  const server = createServer((_, response) => response.end('ok\n'));
  server.listen(0, '127.0.0.1', () => parentPort!.postMessage(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
} else {
  const app = new AppContext({env, io: silentIo});
  const reader = new HistoryReader(app, catalog);
  const server = await startPageServer({listen: '127.0.0.1:0', source: reader, health: () => ({rounds: 0}), note: (line) => process.stderr.write(`${line}\n`), freshMs});
  parentPort!.postMessage(server.url);
}
