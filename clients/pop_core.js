#!/usr/bin/env node
// Drive @alicloud/pop-core's RPCClient once (the legacy Node.js RPC signer, used by certd).
//
//   node clients/pop_core.js --port PORT --action ACTION [--product cdn|live|dcdn|vod]
//       [--ak ID] [--secret S] [--param Name=Value]... [--param-file Name=PATH]...
//       [--method POST|GET] [--timestamp 2020-01-01T00:00:00Z] [--nonce N]
//       [--api-version V] [--host 127.0.0.1] [--timeout 10]
//
// Client set-up, as a user of the package writes it:
//   const client = new RPCClient({accessKeyId, accessKeySecret,
//                                 endpoint: 'http://HOST:PORT', apiVersion});
//   await client.request(action, params, {method: 'POST', timeout: 10000});
//
// pop-core lets caller params override its defaults (Object.assign({Action}, defaults,
// params)), so --timestamp/--nonce are passed as the Timestamp/SignatureNonce params: the
// client's own override path.
//
// Prints one JSON line: client, ok, http_status, code, message, request_id, body, exception,
// plus error_name (pop-core sets err.name = Code + 'Error'). Private keys are redacted.
'use strict';

const fs = require('fs');
const path = require('path');

const NODE_MODULES = path.join(__dirname, '..', 'target', 'clients', 'node', 'node_modules');
let RPCClient;
try {
  RPCClient = require(path.join(NODE_MODULES, '@alicloud', 'pop-core')).RPCClient;
} catch (e) {
  process.stderr.write('@alicloud/pop-core missing: run clients/install.sh\n');
  process.exit(2);
}
const popVersion = require(path.join(NODE_MODULES, '@alicloud', 'pop-core', 'package.json')).version;

const PRODUCTS = {cdn: '2018-05-10', live: '2016-11-01', dcdn: '2018-01-15', vod: '2017-03-21'};
const ACTION_PRODUCT = {
  SetDomainServerCertificate: 'cdn', SetCdnDomainSSLCertificate: 'cdn',
  DescribeDomainCertificateInfo: 'cdn', DescribeCdnDomainDetail: 'cdn',
  SetLiveDomainCertificate: 'live', DescribeLiveDomainCertificateInfo: 'live',
  SetDcdnDomainCertificate: 'dcdn', SetDcdnDomainSSLCertificate: 'dcdn',
  DescribeDcdnDomainCertificateInfo: 'dcdn',
  SetVodDomainCertificate: 'vod', SetVodDomainSSLCertificate: 'vod',
  DescribeVodDomainCertificateInfo: 'vod',
};
const PRIVATE_PARAMS = new Set(['SSLPri', 'PrivateKey', 'Key', 'SSLPrivateKey']);

function usage(msg) {
  process.stderr.write(`pop_core.js: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const a = {host: '127.0.0.1', ak: 'testid', secret: 'testsecret', method: 'POST', timeout: 10,
    params: [], files: []};
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) usage(`${k} needs a value`);
      return argv[++i];
    };
    switch (k) {
      case '--host': a.host = v(); break;
      case '--port': a.port = Number(v()); break;
      case '--ak': a.ak = v(); break;
      case '--secret': a.secret = v(); break;
      case '--product': a.product = v(); break;
      case '--action': a.action = v(); break;
      case '--api-version': a.apiVersion = v(); break;
      case '--param': a.params.push(v()); break;
      case '--param-file': a.files.push(v()); break;
      case '--method': a.method = v().toUpperCase(); break;
      case '--timestamp': a.timestamp = v(); break;
      case '--nonce': a.nonce = v(); break;
      case '--timeout': a.timeout = Number(v()); break;
      case '-h': case '--help':
        process.stdout.write(fs.readFileSync(__filename, 'utf8').split('\n').slice(1, 20)
          .map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
        process.exit(0);
        break;
      default: usage(`unknown argument ${k}`);
    }
  }
  if (!a.port) usage('--port is required');
  if (!a.action) usage('--action is required');
  a.product = a.product || ACTION_PRODUCT[a.action];
  if (!PRODUCTS[a.product]) usage('give --product cdn|live|dcdn|vod');
  return a;
}

// ---------------------------------------------------------------- redaction
function popEncode(s) {
  return encodeURIComponent(s).replace(/!/g, '%21').replace(/'/g, '%27')
    .replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/\*/g, '%2A');
}

function makeRedactor(params) {
  const subs = [];
  for (const [name, value] of Object.entries(params)) {
    if (!PRIVATE_PARAMS.has(name) || !value) continue;
    const set = new Set();
    for (const base of [value, value.replace(/\n/g, '\r\n')]) {
      const e1 = popEncode(base);
      const plus = e1.replace(/%20/g, '+');
      for (const e of [base, e1, plus, JSON.stringify(base).slice(1, -1)]) {
        set.add(e);
        set.add(popEncode(e));
      }
    }
    for (const e of [...set].filter((x) => x.length >= 16).sort((x, y) => y.length - x.length)) {
      subs.push([e, `<redacted ${name}>`]);
    }
  }
  // PEM armour (upper case) in any spelling; a message such as "The private key does not
  // match the certificate." is no key material.
  const marker = /PRIVATE(\s|%20|%2520|\+|%2[Bb])KEY/;
  const text = (s) => {
    for (const [e, label] of subs) s = s.split(e).join(label);
    return marker.test(s) ? '<redacted: contained private key material>' : s;
  };
  const obj = (o) => {
    if (typeof o === 'string') return text(o);
    if (Array.isArray(o)) return o.map(obj);
    if (o && typeof o === 'object') {
      if (typeof o.toJSON === 'function') return obj(o.toJSON());
      const r = {};
      for (const [k, v] of Object.entries(o)) r[k] = obj(v);
      return r;
    }
    return o;
  };
  return obj;
}

function emit(result, redact) {
  const order = ['client', 'ok', 'http_status', 'code', 'message', 'request_id', 'body', 'exception'];
  const out = {};
  for (const k of order) out[k] = result[k] === undefined ? null : result[k];
  for (const [k, v] of Object.entries(result)) if (!(k in out)) out[k] = v;
  const line = JSON.stringify(redact(out)) + '\n';
  process.stdout.write(line, () => process.exit(0));
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const params = {};
  for (const item of a.params) {
    const i = item.indexOf('=');
    if (i <= 0) usage(`--param wants Name=Value, got ${item}`);
    params[item.slice(0, i)] = item.slice(i + 1);
  }
  for (const item of a.files) {
    const i = item.indexOf('=');
    if (i <= 0) usage(`--param-file wants Name=PATH, got ${item}`);
    params[item.slice(0, i)] = fs.readFileSync(item.slice(i + 1), 'utf8');
  }
  const redact = makeRedactor(params);
  const callParams = Object.assign({}, params);
  if (a.timestamp) callParams.Timestamp = a.timestamp;
  if (a.nonce) callParams.SignatureNonce = a.nonce;

  const result = {client: '@alicloud/pop-core', sdk_version: popVersion, method: a.method};
  const client = new RPCClient({
    accessKeyId: a.ak,
    accessKeySecret: a.secret,
    endpoint: `http://${a.host}:${a.port}`,
    apiVersion: a.apiVersion || PRODUCTS[a.product],
  }, true /* verbose: also return the response entry, for the status code */);
  try {
    const [json, entry] = await client.request(a.action, callParams,
      {method: a.method, timeout: Math.round(a.timeout * 1000)});
    Object.assign(result, {
      ok: true,
      http_status: entry && entry.response ? entry.response.statusCode : null,
      request_id: json && json.RequestId !== undefined ? json.RequestId : null,
      body: json,
    });
  } catch (e) {
    Object.assign(result, {
      ok: false,
      exception: e && e.constructor ? e.constructor.name : typeof e,
      error_name: e && e.name,
      code: e && e.code !== undefined ? e.code : null,
      message: e && e.message !== undefined ? e.message : String(e),
      http_status: e && e.entry && e.entry.response ? e.entry.response.statusCode : null,
      request_id: e && e.data && e.data.RequestId !== undefined ? e.data.RequestId : null,
      body: e && e.data !== undefined ? e.data : null,
    });
    if (e && e.text !== undefined) result.unparsed_body = e.text; // json-bigint SyntaxError
  }
  emit(result, redact);
}

main().catch((e) => {
  process.stderr.write(`pop_core.js: ${e && e.stack ? e.stack : e}\n`);
  process.exit(3);
});
