// The Hello World web site: one page, in the font the last deploy chose.
import {readFileSync} from 'node:fs';
import {createServer} from 'node:http';
import {fontFile, sitePort as port} from './state.js';

function currentFont() {
  try {
    return readFileSync(fontFile, 'utf8').trim();
  } catch {
    return 'serif';
  }
}

createServer((request, response) => {
  const font = currentFont().replaceAll(/[<>"]/g, '');
  response.writeHead(200, {'content-type': 'text/html; charset=utf-8', 'x-font': font});
  response.end(`<!doctype html><title>Hello</title><h1 style="font-family: ${font}">Hello World</h1>\n`);
}).listen(port, '127.0.0.1');
