// The Hello World "database": a TCP server that answers PONG to every line.
import {createServer} from 'node:net';
import {dbPort as port} from './state.js';

createServer((socket) => {
  socket.on('data', () => socket.write('PONG\n'));
  socket.on('error', () => {});
}).listen(port, '127.0.0.1');
