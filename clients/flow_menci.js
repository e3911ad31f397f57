#!/usr/bin/env node
// Menci/deploy-certificate-to-aliyun's flow (the GitHub Action, 2020-04-07 version), call by
// call, against a server: delete the previous certificate of the same name, upload, set the
// CDN domains by CertId.
//
//   node clients/flow_menci.js --port PORT --fullchain FILE --key FILE --name NAME
//       [--cdn-domains "a.example.com b.example.com"] [--use-intl-endpoint] [--retry 3]
//       [--timeout 10000] [--ak ID] [--secret S] [--read-back] [--host 127.0.0.1]
//
// What the action does (index.js: callAliyunApi, deletePreviouslyDeployedCertificate,
// deployCertificate, deployCertificateToCdn), each call with a new pop-core client
// (`new AliyunClient({accessKeyId, accessKeySecret, endpoint, apiVersion})`, endpoints
// https://cas.aliyuncs.com and https://cdn.aliyuncs.com, or the ap-southeast-1 ones with
// use-intl-endpoint) and `request(action, params, {method: 'POST', timeout})`:
//   1. For Status in ISSUED, WILLEXPIRED, EXPIRED, for page i = 1, 2, ...:
//      ListUserCertificateOrder {Status, OrderType: 'CERT', ShowSize: 50, CurrentPage: i};
//      every item whose Name === certificate-name sets foundId = item.CertificateId (the last
//      one wins); the pages stop when the items seen so far === TotalCount.
//   2. foundId !== 0: DeleteUserCertificate {CertId: foundId}.
//   3. UploadUserCertificate {Cert: fullchain, Key: key, Name: certificate-name}; reads CertId.
//   4. For each distinct CDN domain: SetCdnDomainSSLCertificate {DomainName, CertName:
//      certificate-name, CertId, CertType: 'cas', SSLProtocol: 'on', CertRegion: cn-hangzhou
//      (ap-southeast-1 with use-intl-endpoint)}.
//   With --read-back, then DescribeDomainCertificateInfo {DomainName} per domain (not the
//   action's: the test's check).
// Its retry: a failed call is made again, up to `retry` attempts in all, each attempt a line
// here. (The action's wrapper calls again even after it has given up, since `request()`
// follows `reject(error)` without an else; this flow stops at the rejection.) A page loop
// whose count never reaches TotalCount (the action would loop forever: e.g. TotalCount not a
// number) is stopped after 100 pages and reported.
// Differences, none on the wire: endpoint http://HOST:PORT; the client is verbose
// (`new AliyunClient(config, true)`), which only adds the HTTP status to what request() returns.
//
// Prints one JSON line per call (client, ok, http_status, code, message, request_id, body,
// exception, then flow, step, action, api_version, attempt, tool, params with the key
// redacted, read, error_name), then one summary line (flow, summary=true, ok, name, found_id,
// deleted, cert_id, domains, cert_region, calls, failed_at, error).
'use strict';

const fs = require('fs');
const common = require('./_common');

const AliyunClient = common.requireInstalled('@alicloud/pop-core');
const popVersion = common.installedVersion('@alicloud/pop-core');

const MAX_PAGES = 100;

function usage(msg) {
  process.stderr.write(`flow_menci.js: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const a = {host: '127.0.0.1', ak: 'testid', secret: 'testsecret', cdnDomains: '', retry: 3,
    timeout: 10000, intl: false, readBack: false};
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
      case '--fullchain': a.fullchain = v(); break;
      case '--key': a.key = v(); break;
      case '--name': a.name = v(); break;
      case '--cdn-domains': a.cdnDomains = v(); break;
      case '--use-intl-endpoint': a.intl = true; break;
      case '--retry': a.retry = parseInt(v(), 10) || 3; break;
      case '--timeout': a.timeout = parseInt(v(), 10) || 10000; break;
      case '--read-back': a.readBack = true; break;
      default: usage(`unknown argument ${k}`);
    }
  }
  if (!a.port || !a.fullchain || !a.key || !a.name) {
    usage('--port, --fullchain, --key and --name are required');
  }
  return a;
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const fullchain = fs.readFileSync(a.fullchain, 'utf-8');
  const key = fs.readFileSync(a.key, 'utf-8');
  const redact = common.makeRedactor({Key: key});
  const endpoint = `http://${a.host}:${a.port}`;
  const certRegion = a.intl ? 'ap-southeast-1' : 'cn-hangzhou';
  const lines = [];
  const calls = [];
  const summary = {client: 'Menci/deploy-certificate-to-aliyun (flow)', flow: 'menci', summary: true,
    sdk_version: popVersion, name: a.name, found_id: 0, deleted: null, cert_id: null,
    domains: [], cert_region: certRegion, calls, failed_at: null};

  class Failed extends Error {}

  // callAliyunApi: a new client per call, POST, the action's timeout, `retry` attempts.
  async function callAliyunApi(apiVersion, action, params, read, tool = true) {
    for (let attempt = 1; ; attempt++) {
      calls.push(action);
      const line = {client: '@alicloud/pop-core', flow: 'menci', step: calls.length, action,
        api_version: apiVersion, attempt, tool, params: Object.assign({}, params)};
      lines.push(line);
      try {
        const client = new AliyunClient({accessKeyId: a.ak, accessKeySecret: a.secret, endpoint,
          apiVersion}, true);
        const [json, entry] = await client.request(action, params,
          {method: 'POST', timeout: a.timeout});
        Object.assign(line, common.popCoreAnswer(json, entry), {read: read(json)});
        return json;
      } catch (e) {
        Object.assign(line, common.popCoreFailure(e));
        if (attempt >= a.retry) {
          summary.failed_at = action;
          summary.error = line.message;
          throw new Failed(line.message);
        }
      }
    }
  }

  const done = (ok) => {
    summary.ok = ok;
    common.finish(lines.concat([summary]).map((l) => common.line(l, redact)), 0);
  };

  try {
    // 1. find the previous certificate by name, over the three statuses
    let foundId = 0;
    for (const status of ['ISSUED', 'WILLEXPIRED', 'EXPIRED']) {
      let currentItems = 0;
      for (let i = 1; ; i++) {
        if (i > MAX_PAGES) {
          summary.failed_at = 'ListUserCertificateOrder';
          summary.error = `status ${status}: ${currentItems} items seen after ${MAX_PAGES} pages, ` +
            'never === TotalCount (the action would loop forever)';
          return done(false);
        }
        const response = await callAliyunApi('2020-04-07', 'ListUserCertificateOrder', {
          Status: status,
          OrderType: 'CERT',
          ShowSize: 50,
          CurrentPage: i,
        }, (r) => ({
          TotalCount: r.TotalCount,
          CertificateOrderList: (r.CertificateOrderList || []).map((item) => ({
            Name: item.Name, CertificateId: item.CertificateId})),
        }));
        for (const item of response.CertificateOrderList) {
          if (item.Name === a.name) foundId = item.CertificateId;
        }
        currentItems += response.CertificateOrderList.length;
        if (currentItems === response.TotalCount) break;
      }
    }
    summary.found_id = foundId;

    // 2. delete it
    if (foundId !== 0) {
      await callAliyunApi('2020-04-07', 'DeleteUserCertificate', {CertId: foundId}, () => ({}));
      summary.deleted = foundId;
    }

    // 3. upload under the same name
    const uploaded = await callAliyunApi('2020-04-07', 'UploadUserCertificate',
      {Cert: fullchain, Key: key, Name: a.name}, (r) => ({CertId: r.CertId}));
    const certId = uploaded.CertId;
    summary.cert_id = certId;

    // 4. the CDN domains
    const domains = Array.from(new Set(a.cdnDomains.split(/\s+/).filter((x) => x)));
    summary.domains = domains;
    for (const domain of domains) {
      await callAliyunApi('2018-05-10', 'SetCdnDomainSSLCertificate', {
        DomainName: domain,
        CertName: a.name,
        CertId: certId,
        CertType: 'cas',
        SSLProtocol: 'on',
        CertRegion: certRegion,
      }, () => ({}));
    }

    if (a.readBack) {
      for (const domain of domains) {
        await callAliyunApi('2018-05-10', 'DescribeDomainCertificateInfo', {DomainName: domain},
          (r) => ((r.CertInfos || {}).CertInfo || []).map((c) => ({
            DomainName: c.DomainName, CertType: c.CertType, CertId: c.CertId,
            CertName: c.CertName, CertRegion: c.CertRegion,
            ServerCertificateStatus: c.ServerCertificateStatus, CertExpireTime: c.CertExpireTime,
          })), false);
      }
    }
  } catch (e) {
    if (e instanceof Failed) return done(false);
    throw e;
  }
  return done(true);
}

main().catch((e) => {
  process.stderr.write(`flow_menci.js: ${e && e.stack ? e.stack : e}\n`);
  process.exit(3);
});
