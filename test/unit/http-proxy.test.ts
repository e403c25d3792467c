import assert from 'node:assert/strict';
import {bypassed, describeEnvironmentProxies, parseProxy, proxyFor} from '../../src/core/checks/http-proxy.js';

describe('which proxy a check goes through (curl\'s rules)', () => {
  describe('NO_PROXY', () => {
    // host, port, NO_PROXY, reached directly
    const cases: [string, number, string, boolean][] = [
      ['example.com', 443, 'example.com', true],
      ['api.example.com', 443, 'example.com', true],
      ['api.example.com', 443, '.example.com', true],
      ['api.example.com', 443, '*.example.com', true],
      ['example.com', 443, '.example.com', true],
      ['badexample.com', 443, 'example.com', false],
      ['example.com.evil', 443, 'example.com', false],
      ['EXAMPLE.com', 443, 'example.COM', true],
      ['example.com', 8443, 'example.com:443', false],
      ['example.com', 443, 'example.com:443', true],
      ['10.1.2.3', 80, '10.0.0.0/8', true],
      ['11.1.2.3', 80, '10.0.0.0/8', false],
      ['192.168.1.7', 80, '192.168.1.0/24', true],
      ['192.168.2.7', 80, '192.168.1.0/24', false],
      ['127.0.0.1', 80, '127.0.0.1', true],
      ['::1', 80, '::1', true],
      ['::1', 80, '[::1]:80', true],
      ['::1', 81, '[::1]:80', false],
      ['fd00::5', 80, 'fd00::/8', true],
      ['fe80::1', 80, 'fd00::/8', false],
      ['::ffff:10.0.0.1', 80, '::ffff:10.0.0.0/120', true],
      ['anything', 1, '*', true],
      ['internal', 80, ' localhost , internal ', true],
      ['internal', 80, '', false],
      ['host.example', 80, 'not a cidr/99', false],
    ];
    for (const [host, port, noProxy, direct] of cases) {
      it(`${host}:${port} with NO_PROXY=${JSON.stringify(noProxy)}: ${direct ? 'direct' : 'through the proxy'}`, () => {
        assert.equal(bypassed(host, port, noProxy), direct);
      });
    }
  });

  it('picks the variable by scheme, lower-case first, ALL_PROXY last; a check\'s own setting wins', () => {
    const env = {HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2', HTTP_PROXY: 'http://plain:3', ALL_PROXY: 'http://all:4'};
    assert.equal(proxyFor(new URL('https://a/'), undefined, env)?.label, 'http://lower:2');
    assert.equal(proxyFor(new URL('http://a/'), undefined, env)?.label, 'http://plain:3');
    assert.equal(proxyFor(new URL('http://a/'), undefined, {ALL_PROXY: 'all:4'})?.label, 'http://all:4');
    assert.equal(proxyFor(new URL('https://a/'), 'none', env), undefined);
    assert.equal(proxyFor(new URL('https://a/'), 'http://own:5', env)?.label, 'http://own:5');
    assert.equal(proxyFor(new URL('https://a/'), undefined, {}), undefined);
    assert.equal(proxyFor(new URL('https://a.internal/'), undefined, {...env, NO_PROXY: '.internal'}), undefined);
  });

  it('reads a proxy URL as curl does: no scheme is http://, the port as written (1080 when none), credentials decoded', () => {
    assert.deepEqual(parseProxy('proxy.corp:3128', 'HTTPS_PROXY'), {protocol: 'http:', host: 'proxy.corp', port: 3128, authorization: undefined, label: 'http://proxy.corp:3128'});
    assert.equal(parseProxy('http://proxy.corp', 'x').port, 1080);
    assert.equal(parseProxy('http://proxy.corp:80', 'x').port, 80);
    assert.equal(parseProxy('https://proxy.corp', 'x').port, 443);
    assert.equal(Buffer.from(parseProxy('http://a%40b:p%3Ass@proxy:1', 'x').authorization!.slice(6), 'base64').toString(), 'a@b:p:ss');
    assert.throws(() => parseProxy('socks5://proxy:1080', 'HTTPS_PROXY'), /HTTPS_PROXY is a socks5 proxy; foggy speaks to http and https proxies only/);
    assert.throws(() => parseProxy('http://[bad', 'HTTP_PROXY'), /HTTP_PROXY is not a proxy URL/);
  });

  it('foggy doctor\'s words: which proxy for which scheme, never the credentials', () => {
    assert.deepEqual(describeEnvironmentProxies({}), {ok: true, detail: 'none: checks connect directly (HTTPS_PROXY, HTTP_PROXY and NO_PROXY are not set)'});
    const {ok, detail} = describeEnvironmentProxies({HTTPS_PROXY: 'http://u:secret@p:3128', no_proxy: 'localhost,.internal'});
    assert.equal(ok, true);
    assert.equal(detail, 'https checks through http://p:3128 (HTTPS_PROXY); direct to localhost,.internal (NO_PROXY)');
    assert.equal(describeEnvironmentProxies({HTTP_PROXY: 'socks5://p:1'}).ok, false);
  });
});
