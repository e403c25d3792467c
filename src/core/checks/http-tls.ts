import {createRequire} from 'node:module';
import type {ConnectionOptions, PeerCertificate, TLSSocket} from 'node:tls';
import {describeFsError} from '../errors/environment.js';

/**
 * TLS for HTTP checks: a check's own CA, client certificate and server name, the verification done by foggy
 * after the handshake (so that a failure names the certificate: "expired 3 days ago"), and TLS errors and
 * alerts said as sentences instead of OpenSSL's codes.
 */

export interface TlsSettings {
  /** Accept any certificate. */
  insecure: boolean;
  /** PEM file of the CAs to trust for this check, instead of the system's (as curl's --cacert). */
  ca?: string;
  /** PEM files of a client certificate and its key, for servers that ask for one (mTLS). */
  cert?: string;
  key?: string;
  /** The name to ask for (SNI) and to verify the certificate against, when it is not the URL's host. */
  servername?: string;
}

// Built-ins through require: as ES modules their facades load more (node:fs's promises, readline …).
const load = createRequire(import.meta.url);

export const tlsModule = (): typeof import('node:tls') => load('node:tls') as typeof import('node:tls');

/** A TLS failure said so that the user knows what to do; its message is the check's detail. */
export class TlsFailure extends Error {}

/** What a pool keys its connections by: checks with other TLS settings never share one. */
export function tlsKey(settings: TlsSettings): string {
  return settings.insecure || settings.ca || settings.cert || settings.key || settings.servername ? JSON.stringify([settings.insecure, settings.ca, settings.cert, settings.key, settings.servername]) : '';
}

/**
 * Options for tls.connect. Verification is foggy's own, after the handshake (rejectUnauthorized stays off
 * here, and nothing is written before it passes), so that a refusal can say what is wrong with the
 * certificate. Files are read at each new connection: a renewed certificate is used without a restart.
 */
export function connectOptions(settings: TlsSettings, host: string, session?: Buffer): ConnectionOptions {
  const {isIP} = load('node:net') as typeof import('node:net');
  const servername = settings.servername ?? (isIP(host) ? undefined : host);
  const options: ConnectionOptions = {host, servername, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'], session};
  if (settings.ca) options.ca = readPem(settings.ca, 'tls.ca');
  if (settings.cert) options.cert = readPem(settings.cert, 'tls.cert');
  if (settings.key) options.key = readPem(settings.key, 'tls.key');
  return options;
}

function readPem(file: string, what: string): Buffer {
  try {
    return (load('node:fs') as typeof import('node:fs')).readFileSync(file);
  } catch (error) {
    throw new TlsFailure(`${what} ${file}: ${describeFsError(error)}`);
  }
}

/** After the handshake: undefined when the server may be spoken to, else why not. */
export function verifyServer(socket: TLSSocket, settings: TlsSettings, host: string, now = Date.now()): TlsFailure | undefined {
  if (settings.insecure || socket.authorized) return undefined;
  const code = String(socket.authorizationError ?? 'unknown');
  const certificate = socket.getPeerCertificate();
  return new TlsFailure(certificateProblem(code, certificate, settings.servername ?? host, now));
}

/** When the server's certificate stops being valid, and whom it names, for `expect: {certificate_days}`. */
export function certificateOf(socket: TLSSocket): {validTo: number; subject: string} | undefined {
  const certificate = socket.getPeerCertificate();
  if (!certificate?.valid_to) return undefined;
  return {validTo: Date.parse(certificate.valid_to), subject: [certificate.subject?.CN ?? ''].flat()[0]};
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** "3 days", "1 day", "less than a day". */
export function days(ms: number): string {
  const count = Math.floor(Math.abs(ms) / DAY_MS);
  return count === 0 ? 'less than a day' : `${count} day${count === 1 ? '' : 's'}`;
}

function isoDate(ms: number): string {
  return Number.isNaN(ms) ? 'an unreadable date' : new Date(ms).toISOString().slice(0, 10);
}

function certificateProblem(code: string, certificate: PeerCertificate | undefined, name: string, now: number): string {
  switch (code) {
    case 'CERT_HAS_EXPIRED': {
      const validTo = Date.parse(certificate?.valid_to ?? '');
      return `certificate expired ${days(now - validTo)} ago (on ${isoDate(validTo)})`;
    }
    case 'CERT_NOT_YET_VALID': {
      const validFrom = Date.parse(certificate?.valid_from ?? '');
      return `certificate is not valid until ${isoDate(validFrom)} (in ${days(validFrom - now)})`;
    }
    case 'DEPTH_ZERO_SELF_SIGNED_CERT': {
      return 'certificate is self-signed: trust it with tls.ca (its PEM file), or set tls.insecure';
    }
    case 'SELF_SIGNED_CERT_IN_CHAIN': {
      return 'certificate chain ends in a self-signed root that is not trusted: give it as tls.ca';
    }
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY': {
      return 'certificate is signed by an authority that is not trusted: give its CA as tls.ca (or in NODE_EXTRA_CA_CERTS)';
    }
    case 'ERR_TLS_CERT_ALTNAME_INVALID': {
      const names = (certificate?.subjectaltname ?? '').replaceAll('DNS:', '').replaceAll('IP Address:', '').split(', ').filter(Boolean);
      const shown = names.length > 0 ? names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '') : [certificate?.subject?.CN ?? 'another name'].flat()[0];
      return `certificate is for ${shown}, not ${name} (set tls.servername if the server should be asked by another name)`;
    }
    case 'CERT_REVOKED': {
      return 'certificate has been revoked';
    }
    default: {
      return `certificate is not trusted (${code.toLowerCase().replaceAll('_', ' ')})`;
    }
  }
}

/** OpenSSL's alerts and errors, as what they mean for the check. */
const ALERTS: Record<string, string | ((settings: TlsSettings) => string)> = {
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'the server asks for a client certificate: set tls.cert and tls.key',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: (settings) =>
    settings.cert ? 'the server refused the TLS handshake (it may not accept the client certificate, or share no cipher)' : 'the server refused the TLS handshake (it may want a client certificate: set tls.cert and tls.key)',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'the server does not trust the client certificate\'s authority (tls.cert)',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'the server refused the client certificate (tls.cert)',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: 'the server says the client certificate has expired (tls.cert)',
  ERR_SSL_TLSV1_ALERT_ACCESS_DENIED: 'the server denied access to this client certificate (tls.cert)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server does not speak TLS on this port (is it plain http://?)',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'the server does not speak TLS on this port (is it plain http://?)',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'the server and foggy have no TLS version in common',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'the server and foggy have no TLS version in common',
  ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR: 'the server\'s TLS failed (it sent an internal error alert)',
  ERR_SSL_TLSV1_UNRECOGNIZED_NAME: 'the server does not know the name asked for (set tls.servername?)',
  ERR_SSL_TLSV1_ALERT_UNRECOGNIZED_NAME: 'the server does not know the name asked for (set tls.servername?)',
  ERR_OSSL_X509_KEY_VALUES_MISMATCH: 'tls.cert and tls.key do not belong together',
  ERR_OSSL_PEM_NO_START_LINE: 'tls.ca, tls.cert or tls.key is not a PEM file',
  ERR_OSSL_PEM_BAD_BASE64_DECODE: 'tls.ca, tls.cert or tls.key is not a valid PEM file',
  ERR_OSSL_EVP_BAD_DECRYPT: 'tls.key is encrypted; foggy needs it unencrypted',
  ERR_OSSL_UNSUPPORTED: 'tls.key or tls.cert is in a form foggy cannot read',
};

/** A TLS error (from the handshake or an alert afterwards) as a sentence; undefined for other errors. */
export function describeTlsError(error: unknown, settings: TlsSettings): string | undefined {
  if (error instanceof TlsFailure) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const words = ALERTS[code];
  if (words) return typeof words === 'function' ? words(settings) : words;
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_OSSL_') || code === 'EPROTO') {
    // OpenSSL's own text ("error:0A000410:SSL routines::sslv3 alert handshake failure") without its codes.
    const reason = String((error as Error).message).replace(/^.*?(?:routines|SSL)[:\s]*:+/i, '').replace(/^[\w:]*error:[0-9A-F]+:/i, '').trim();
    return `TLS failed: ${reason || code.toLowerCase()}`;
  }
  return undefined;
}
