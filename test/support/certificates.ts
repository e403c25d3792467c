import {execFileSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {tempDir} from './temp.js';

/**
 * Certificates made for a test run with the system's openssl: a CA, a server certificate it signed (for
 * localhost and 127.0.0.1), a client certificate it signed, one that expired years ago, and one that
 * expires in a few days. Files, as a catalog names them, and their PEM text, as a server takes it.
 */
export interface Certificates {
  dir: string;
  file(name: CertificateName): string;
  pem(name: CertificateName): Buffer;
  remove(): void;
}

export type CertificateName =
  | 'ca.crt'
  | 'server.crt'
  | 'server.key'
  | 'client.crt'
  | 'client.key'
  | 'expired.crt'
  | 'expired.key'
  | 'soon.crt'
  | 'soon.key'
  | 'localhost-only.crt'
  | 'localhost-only.key'
  | 'other-ca.crt'
  | 'other-client.crt'
  | 'other-client.key';

export function makeCertificates(): Certificates {
  const temp = tempDir();
  const dir = temp.path;
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, {cwd: dir, stdio: ['ignore', 'ignore', 'pipe']});
  const key = (name: string) => openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', at(name));
  const authority = (name: string, subject: string) => {
    key(`${name}.key`);
    openssl('req', '-x509', '-new', '-key', at(`${name}.key`), '-subj', `/CN=${subject}`, '-days', '3650', '-out', at(`${name}.crt`));
  };
  /** A certificate signed by `ca`, valid `days` from now, or between the dates given (for the expired one). */
  const signed = (name: string, ca: string, subject: string, options: {san?: string; days?: number; dates?: [string, string]; client?: boolean}) => {
    key(`${name}.key`);
    openssl('req', '-new', '-key', at(`${name}.key`), '-subj', `/CN=${subject}`, '-out', at(`${name}.csr`));
    const extensions = [options.san ? `subjectAltName=${options.san}` : '', options.client ? 'extendedKeyUsage=clientAuth' : 'extendedKeyUsage=serverAuth'].filter(Boolean).join('\n');
    writeFileSync(at(`${name}.ext`), `${extensions}\n`);
    if (options.dates) {
      // `openssl ca` is the one way openssl 3.0 writes dates in the past.
      writeFileSync(at('index.txt'), '');
      writeFileSync(at('ca.cnf'), `[ca]\ndefault_ca=ca\n[ca]\ndir=${dir}\ndatabase=${at('index.txt')}\nnew_certs_dir=${dir}\nserial=${at('serial')}\ndefault_md=sha256\npolicy=any\ncopy_extensions=none\n[any]\ncommonName=supplied\n`);
      writeFileSync(at('serial'), '1000\n');
      openssl('ca', '-batch', '-config', at('ca.cnf'), '-cert', at(`${ca}.crt`), '-keyfile', at(`${ca}.key`), '-in', at(`${name}.csr`), '-out', at(`${name}.crt`), '-startdate', options.dates[0], '-enddate', options.dates[1], '-extfile', at(`${name}.ext`), '-notext');
    } else {
      openssl('x509', '-req', '-in', at(`${name}.csr`), '-CA', at(`${ca}.crt`), '-CAkey', at(`${ca}.key`), '-CAcreateserial', '-days', String(options.days ?? 3650), '-extfile', at(`${name}.ext`), '-out', at(`${name}.crt`));
    }
  };
  authority('ca', 'foggy test CA');
  authority('other-ca', 'another CA');
  signed('server', 'ca', 'localhost', {san: 'DNS:localhost,IP:127.0.0.1'});
  signed('localhost-only', 'ca', 'localhost', {san: 'DNS:localhost'});
  signed('client', 'ca', 'foggy client', {client: true});
  signed('other-client', 'other-ca', 'stranger', {client: true});
  signed('expired', 'ca', 'localhost', {san: 'DNS:localhost,IP:127.0.0.1', dates: ['20200101000000Z', '20210101000000Z']});
  signed('soon', 'ca', 'localhost', {san: 'DNS:localhost,IP:127.0.0.1', days: 9});
  return {dir, file: (name) => at(name), pem: (name) => readFileSync(at(name)), remove: () => temp.remove()};
}
