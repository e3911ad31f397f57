#!/usr/bin/env node
// Drive certd's deploy-to-CLB flow with @alicloud/pop-core, the client certd uses
// (certd/certd: plugin-aliyun/plugin/deploy-to-slb/index.ts, plugin-lib/aliyun/lib/
// ssl-client.ts and base-client.ts).
//
//   node clients/slb_certd.js --port PORT --cert PATH --key PATH [--region cn-shanghai]
//       [--cas-region cn-hangzhou] [--name certd_NAME] [--host 127.0.0.1] [--ak ID]
//       [--secret S] [--timeout 10]
//
// The calls, as certd makes them (RPCClient, {method: 'POST', formatParams: false}; a body
// with a Code is a failure, as certd's checkRet says):
//   1. certificate service 2020-04-07 UploadUserCertificate {Name, Cert, Key}  -> CertId
//   2. GetUserCertificateDetail {CertId}                                      -> Name
//   3. SLB 2014-05-15 UploadServerCertificate {RegionId, AliCloudCertificateId (the number),
//      AliCloudCertificateName, AliCloudCertificateRegionId (the certificate service's site)}
//                                                                             -> ServerCertificateId
//   4. DescribeServerCertificates {RegionId}, to read it back.
//
// Prints one JSON line: client, ok, steps (action, ok, http_status, code, message,
// request_id, body), found (the ids). Private keys are redacted.
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

function usage(msg) {
  process.stderr.write(`slb_certd.js: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const a = {host: '127.0.0.1', ak: 'testid', secret: 'testsecret', region: 'cn-shanghai',
    casRegion: 'cn-hangzhou', name: `certd_${Date.now()}`, timeout: 10};
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
      case '--region': a.region = v(); break;
      case '--cas-region': a.casRegion = v(); break;
      case '--name': a.name = v(); break;
      case '--cert': a.cert = v(); break;
      case '--key': a.key = v(); break;
      case '--timeout': a.timeout = Number(v()); break;
      default: usage(`unknown argument ${k}`);
    }
  }
  if (!a.port) usage('--port is required');
  if (!a.cert || !a.key) usage('--cert and --key are required');
  return a;
}

// Every spelling of the key a client or server may echo, replaced; anything else that looks
// like key material drops the whole string.
function makeRedactor(key) {
  const spellings = new Set([key, encodeURIComponent(key), JSON.stringify(key).slice(1, -1)]);
  const subs = [...spellings].filter((s) => s.length >= 16).sort((x, y) => y.length - x.length);
  const marker = /PRIVATE(\s|%20|%2520|\+|%2B)KEY/i;
  const text = (s) => {
    for (const e of subs) s = s.split(e).join('<redacted Key>');
    return marker.test(s) ? '<redacted: contained private key material>' : s;
  };
  const obj = (o) => {
    if (typeof o === 'string') return text(o);
    if (Array.isArray(o)) return o.map(obj);
    if (o && typeof o === 'object') {
      const r = {};
      for (const [k, v] of Object.entries(o)) r[k] = obj(v);
      return r;
    }
    return o;
  };
  return obj;
}

async function call(client, action, params, timeout) {
  const step = {action};
  try {
    const [json, entry] = await client.request(action, params,
      {method: 'POST', formatParams: false, timeout: Math.round(timeout * 1000)});
    const failed = json && json.Code != null && json.Code !== 'OK' && json.Message !== 'OK';
    Object.assign(step, {
      ok: !failed,
      http_status: entry && entry.response ? entry.response.statusCode : null,
      request_id: json && json.RequestId !== undefined ? json.RequestId : null,
      body: json,
    });
  } catch (e) {
    Object.assign(step, {
      ok: false,
      exception: e && e.constructor ? e.constructor.name : typeof e,
      code: e && e.code !== undefined ? e.code : null,
      message: e && e.message !== undefined ? e.message : String(e),
      http_status: e && e.entry && e.entry.response ? e.entry.response.statusCode : null,
      request_id: e && e.data && e.data.RequestId !== undefined ? e.data.RequestId : null,
      body: e && e.data !== undefined ? e.data : null,
    });
  }
  return step;
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const cert = fs.readFileSync(a.cert, 'utf8');
  const key = fs.readFileSync(a.key, 'utf8');
  const redact = makeRedactor(key);
  const endpoint = `http://${a.host}:${a.port}`;
  const options = (apiVersion) => ({accessKeyId: a.ak, accessKeySecret: a.secret, endpoint,
    apiVersion});
  const cas = new RPCClient(options('2020-04-07'), true);
  const slb = new RPCClient(options('2014-05-15'), true);
  const steps = [];
  const found = {};
  const done = () => {
    const result = {client: '@alicloud/pop-core', sdk_version: popVersion, flow: 'certd',
      ok: steps.length === 4 && steps.every((s) => s.ok), steps, found};
    process.stdout.write(JSON.stringify(redact(result)) + '\n', () => process.exit(0));
  };

  const uploaded = await call(cas, 'UploadUserCertificate', {Name: a.name, Cert: cert, Key: key},
    a.timeout);
  steps.push(uploaded);
  if (!uploaded.ok) return done();
  found.cert_id = uploaded.body.CertId;
  const detail = await call(cas, 'GetUserCertificateDetail', {CertId: found.cert_id}, a.timeout);
  steps.push(detail);
  if (!detail.ok) return done();
  found.cert_name = detail.body.Name;
  const server = await call(slb, 'UploadServerCertificate', {
    RegionId: a.region,
    AliCloudCertificateId: found.cert_id,
    AliCloudCertificateName: found.cert_name,
    AliCloudCertificateRegionId: a.casRegion,
  }, a.timeout);
  steps.push(server);
  if (!server.ok) return done();
  found.server_certificate_id = server.body.ServerCertificateId;
  steps.push(await call(slb, 'DescribeServerCertificates', {RegionId: a.region}, a.timeout));
  return done();
}

main().catch((e) => {
  process.stderr.write(`slb_certd.js: ${e && e.stack ? e.stack : e}\n`);
  process.exit(3);
});
