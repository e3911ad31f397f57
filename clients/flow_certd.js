#!/usr/bin/env node
// certd's "upload to CAS, then set the CDN domain by CertId" flow, call by call, against a
// server: the task plugin DeployCertToAliyunCDN (manual domain mode) with a certificate from
// the ACME task ({crt: full chain, key}).
//
//   node clients/flow_certd.js --port PORT --cert FULLCHAIN --key KEY --domain D [--domain D2]...
//       [--cert-region cn-hangzhou] [--ak ID] [--secret S] [--read-back] [--host 127.0.0.1]
//
// What certd does (certd/certd, packages/ui/certd-server/src/plugins/plugin-aliyun/plugin/
// deploy-to-cdn/index.ts `execute`, `getOrUploadCasCert`, `deployOne`,
// `SetCdnDomainSSLCertificate`; plugin-lib/aliyun/lib/ssl-client.ts `uploadCertificate`,
// `checkRet`; plugin-lib/aliyun/lib/base-client.ts `AliyunClient.init`/`request`/`checkRet`;
// @certd/plugin-lib CertReader.buildCertName):
//   1. certName = `_<main domain, '.' and '*' → '_'>_<dayjs() YYYYMMDDHHmmssSSS>`, the main
//      domain being the leaf's subject CN (else its first SAN).
//   2. UploadUserCertificate {Name: certName, Cert: crt, Key: key} with pop-core's RPCClient
//      (`new Core({accessKeyId, accessKeySecret, endpoint: 'https://cas.aliyuncs.com',
//      apiVersion: '2020-04-07'})`, request options {method: 'POST'} plus certd's connectTimeout
//      and readTimeout 8000); both checkRet run (base-client: Code set and not "OK" and
//      Message not "OK"; ssl-client: any Code) and it reads ret.CertId.
//   3. For each domain: SetCdnDomainSSLCertificate {SSLProtocol: 'on', CertType: 'cas', CertId,
//      DomainName, CertName: certName, CertRegion: the plugin's certRegion, default
//      cn-hangzhou} with a client for 'https://cdn.aliyuncs.com' / '2018-05-10' and
//      {method: 'POST', formatParams: false}; checkRet; it reads ret.RequestId.
//   With --read-back, then DescribeDomainCertificateInfo {DomainName} for each domain (not
//   certd's: the test's check, same client kind).
// Differences, none on the wire: the endpoint is http://HOST:PORT for both clients (certd's
// https agent is not passed: it cannot carry plain http); the client is made verbose
// (`new Core(config, true)`), which only adds the HTTP status to what request() returns.
//
// Prints one JSON line per call (client, ok, http_status, code, message, request_id, body,
// exception, then flow, step, action, api_version, tool (false for the read-back), params as
// sent with the key redacted, read (the fields certd reads), error_name), then one summary line
// (flow, summary=true, ok, cert_name, cert_id, domains, calls, failed_at, error).
'use strict';

const fs = require('fs');
const crypto = require('crypto');
const common = require('./_common');

const Core = common.requireInstalled('@alicloud/pop-core');
const popVersion = common.installedVersion('@alicloud/pop-core');

function usage(msg) {
  process.stderr.write(`flow_certd.js: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const a = {host: '127.0.0.1', ak: 'testid', secret: 'testsecret', domains: [],
    certRegion: 'cn-hangzhou', readBack: false};
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
      case '--cert': a.cert = v(); break;
      case '--key': a.key = v(); break;
      case '--domain': a.domains.push(v()); break;
      case '--cert-region': a.certRegion = v(); break;
      case '--read-back': a.readBack = true; break;
      default: usage(`unknown argument ${k}`);
    }
  }
  if (!a.port || !a.cert || !a.key || a.domains.length === 0) {
    usage('--port, --cert, --key and --domain are required');
  }
  return a;
}

/** dayjs().format('YYYYMMDDHHmmssSSS'), in local time as dayjs does. */
function timeSuffix(d = new Date()) {
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}${p(d.getHours())}` +
    `${p(d.getMinutes())}${p(d.getSeconds())}${p(d.getMilliseconds(), 3)}`;
}

/** CertReader.getMainDomain: the leaf's subject CN, else its first DNS SAN, else "unknown". */
function mainDomain(crt) {
  const leaf = new crypto.X509Certificate(crt);
  const cn = (leaf.subject || '').split('\n').map((l) => l.match(/^CN=(.*)$/)).filter(Boolean);
  if (cn.length) return cn[0][1];
  const san = (leaf.subjectAltName || '').split(', ').find((s) => s.startsWith('DNS:'));
  return san ? san.slice(4) : 'unknown';
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const crt = fs.readFileSync(a.cert, 'utf8');
  const key = fs.readFileSync(a.key, 'utf8');
  const redact = common.makeRedactor({Key: key});
  const endpoint = `http://${a.host}:${a.port}`;
  const lines = [];
  const calls = [];
  const summary = {client: 'certd (flow)', flow: 'certd', summary: true, sdk_version: popVersion,
    cert_name: null, cert_id: null, domains: a.domains, calls, failed_at: null};

  // base-client.ts AliyunClient: init() makes `new Core(opts)`; request() adds the timeouts,
  // runs pop-core's request, then its checkRet; ssl-client/deploy-to-cdn run their own checkRet.
  const client = (apiVersion) => new Core({
    accessKeyId: a.ak, accessKeySecret: a.secret, endpoint, apiVersion,
  }, true);
  const baseCheckRet = (ret) => {
    if (ret.Code != null && ret.Code !== 'OK' && ret.Message !== 'OK') {
      throw new Error('执行失败：' + ret.Message);
    }
  };
  const pluginCheckRet = (ret) => {
    if (ret.Code != null) throw new Error('执行失败：' + ret.Message);
  };

  async function call(apiVersion, action, params, requestOption, read, tool = true) {
    calls.push(action);
    const line = {client: '@alicloud/pop-core', flow: 'certd', step: calls.length, action,
      api_version: apiVersion, tool, params: Object.assign({}, params)};
    requestOption.connectTimeout = 8000;
    requestOption.readTimeout = 8000;
    try {
      const [json, entry] = await client(apiVersion).request(action, params, requestOption);
      Object.assign(line, common.popCoreAnswer(json, entry));
      baseCheckRet(json);
      pluginCheckRet(json);
      line.read = read(json);
      lines.push(line);
      return json;
    } catch (e) {
      Object.assign(line, common.popCoreFailure(e));
      lines.push(line);
      summary.failed_at = action;
      summary.error = line.message;
      return null;
    }
  }

  const done = (ok) => {
    summary.ok = ok;
    common.finish(lines.concat([summary]).map((l) => common.line(l, redact)), 0);
  };

  // 1. the name; 2. the upload
  let certName;
  try {
    certName = `_${mainDomain(crt).replaceAll('.', '_').replaceAll('*', '_')}_${timeSuffix()}`;
  } catch (e) {
    summary.error = '证书解析失败:' + e.message;
    return done(false);
  }
  summary.cert_name = certName;
  const uploaded = await call('2020-04-07', 'UploadUserCertificate',
    {Name: certName, Cert: crt, Key: key}, {method: 'POST'}, (r) => ({CertId: r.CertId}));
  if (!uploaded) return done(false);
  const certId = uploaded.CertId;
  summary.cert_id = certId;

  // 3. each domain
  for (const domain of a.domains) {
    const set = await call('2018-05-10', 'SetCdnDomainSSLCertificate', {
      SSLProtocol: 'on',
      CertType: 'cas',
      CertId: certId,
      DomainName: domain,
      CertName: certName,
      CertRegion: a.certRegion || 'cn-hangzhou',
    }, {method: 'POST', formatParams: false}, (r) => ({RequestId: r.RequestId}));
    if (!set) return done(false);
  }

  if (a.readBack) {
    for (const domain of a.domains) {
      const info = await call('2018-05-10', 'DescribeDomainCertificateInfo', {DomainName: domain},
        {method: 'POST', formatParams: false}, (r) => ((r.CertInfos || {}).CertInfo || []).map((c) => ({
          DomainName: c.DomainName, CertType: c.CertType, CertId: c.CertId, CertName: c.CertName,
          CertRegion: c.CertRegion, ServerCertificateStatus: c.ServerCertificateStatus,
          CertExpireTime: c.CertExpireTime,
        })), false);
      if (!info) return done(false);
    }
  }
  return done(true);
}

main().catch((e) => {
  process.stderr.write(`flow_certd.js: ${e && e.stack ? e.stack : e}\n`);
  process.exit(3);
});
