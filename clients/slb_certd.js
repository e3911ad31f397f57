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
const common = require('./_common');

const {RPCClient} = common.requireInstalled('@alicloud/pop-core');
const popVersion = common.installedVersion('@alicloud/pop-core');

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

async function call(client, action, params, timeout) {
  const step = {action};
  try {
    const [json, entry] = await client.request(action, params,
      {method: 'POST', formatParams: false, timeout: Math.round(timeout * 1000)});
    const failed = json && json.Code != null && json.Code !== 'OK' && json.Message !== 'OK';
    Object.assign(step, common.popCoreAnswer(json, entry), {ok: !failed});
  } catch (e) {
    Object.assign(step, common.popCoreFailure(e));
  }
  return step;
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const cert = fs.readFileSync(a.cert, 'utf8');
  const key = fs.readFileSync(a.key, 'utf8');
  const redact = common.makeRedactor({Key: key});
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
