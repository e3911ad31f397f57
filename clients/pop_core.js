#!/usr/bin/env node
// Drive @alicloud/pop-core's RPCClient once (the legacy Node.js RPC signer, used by certd).
//
//   node clients/pop_core.js --port PORT --action ACTION [--product cdn|live|dcdn|vod|cas]
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
const common = require('./_common');

const {RPCClient} = common.requireInstalled('@alicloud/pop-core');
const popVersion = common.installedVersion('@alicloud/pop-core');

const PRODUCTS = {
  cdn: '2018-05-10', live: '2016-11-01', dcdn: '2018-01-15', vod: '2017-03-21', cas: '2020-04-07',
};
const ACTION_PRODUCT = {
  SetDomainServerCertificate: 'cdn', SetCdnDomainSSLCertificate: 'cdn',
  DescribeDomainCertificateInfo: 'cdn', DescribeCdnDomainDetail: 'cdn',
  SetLiveDomainCertificate: 'live', DescribeLiveDomainCertificateInfo: 'live',
  SetDcdnDomainCertificate: 'dcdn', SetDcdnDomainSSLCertificate: 'dcdn',
  DescribeDcdnDomainCertificateInfo: 'dcdn',
  SetVodDomainCertificate: 'vod', SetVodDomainSSLCertificate: 'vod',
  DescribeVodDomainCertificateInfo: 'vod',
  UploadUserCertificate: 'cas', GetUserCertificateDetail: 'cas', DeleteUserCertificate: 'cas',
  ListUserCertificateOrder: 'cas', ListCertificates: 'cas',
};

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
  if (!PRODUCTS[a.product]) usage('give --product cdn|live|dcdn|vod|cas');
  return a;
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const params = common.loadParams(a.params, a.files, usage);
  const redact = common.makeRedactor(params);
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
    Object.assign(result, common.popCoreAnswer(json, entry));
  } catch (e) {
    Object.assign(result, common.popCoreFailure(e));
  }
  common.finish([common.line(result, redact)], 0);
}

main().catch((e) => {
  process.stderr.write(`pop_core.js: ${e && e.stack ? e.stack : e}\n`);
  process.exit(3);
});
