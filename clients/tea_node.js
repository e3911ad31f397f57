#!/usr/bin/env node
// Drive the Node.js Tea SDK of the certificate service (@alicloud/cas20200407 on
// @alicloud/openapi-core, V3 signatures: ACS3-HMAC-SHA256) once.
//
//   node clients/tea_node.js --port PORT --action ACTION [--ak ID] [--secret S]
//       [--param Name=Value]... [--param-file Name=PATH]... [--host 127.0.0.1] [--timeout 10]
//
// Client set-up, as a user of the SDK writes it:
//   const client = new Cas.default(new $OpenApiUtil.Config({accessKeyId, accessKeySecret,
//       endpoint: 'HOST:PORT', protocol: 'http'}));
//   await client.<action>WithOptions(new Cas.<Action>Request({...}), new $dara.RuntimeOptions({}));
//
// The request model is built from the wire names (Cert, Key, CertId, ...) through the model's
// own names()/types() (a number or boolean field gets a number or boolean). The SDK casts the
// answer into its response model ($dara.cast), which throws on a value of another type than
// the model's: such an answer is a failure here (ok false, exception Error).
//
// Prints one JSON line: client, ok, http_status, code, message, request_id, body, exception,
// plus error_name (err.name: ClientError, ServerError, ThrottlingError, Error), error_data
// (err.data: the body of a refusal), sdk_versions and method. Private keys are redacted.
'use strict';

const fs = require('fs');
const common = require('./_common');

const Cas = common.requireInstalled('@alicloud/cas20200407');
const {$OpenApiUtil} = common.requireInstalled('@alicloud/openapi-core');
const $dara = common.requireInstalled('@darabonba/typescript');

function usage(msg) {
  process.stderr.write(`tea_node.js: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const a = {host: '127.0.0.1', ak: 'testid', secret: 'testsecret', timeout: 10, params: [], files: []};
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
      case '--action': a.action = v(); break;
      case '--product': if (v() !== 'cas') usage('only --product cas'); break;
      case '--param': a.params.push(v()); break;
      case '--param-file': a.files.push(v()); break;
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
  return a;
}

/** A request model from wire-named parameters, through the model's names() and types(). */
function requestModel(Model, wire) {
  const byWire = {};
  const names = Model.names();
  const types = Model.types();
  for (const [field, name] of Object.entries(names)) byWire[name] = field;
  const map = {};
  for (const [name, value] of Object.entries(wire)) {
    const field = byWire[name];
    if (!field) usage(`${Model.name} has no field ${name}`);
    const type = types[field];
    map[field] = type === 'number' ? Number(value)
      : type === 'boolean' ? value === 'true' : value;
  }
  return new Model(map);
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const params = common.loadParams(a.params, a.files, usage);
  const redact = common.makeRedactor(params);
  const method = a.action[0].toLowerCase() + a.action.slice(1) + 'WithOptions';
  const result = {
    client: '@alicloud/cas20200407',
    sdk_versions: {
      '@alicloud/cas20200407': common.installedVersion('@alicloud/cas20200407'),
      '@alicloud/openapi-core': common.installedVersion('@alicloud/openapi-core'),
      '@darabonba/typescript': common.installedVersion('@darabonba/typescript'),
    },
    method,
  };
  const Model = Cas[`${a.action}Request`];
  const client = new Cas.default(new $OpenApiUtil.Config({
    accessKeyId: a.ak,
    accessKeySecret: a.secret,
    endpoint: `${a.host}:${a.port}`,
    protocol: 'http',
    readTimeout: Math.round(a.timeout * 1000),
    connectTimeout: Math.round(a.timeout * 1000),
  }));
  if (!Model || typeof client[method] !== 'function') usage(`the SDK has no ${method}`);
  try {
    const resp = await client[method](requestModel(Model, params), new $dara.RuntimeOptions({}));
    const body = resp.body && typeof resp.body.toMap === 'function' ? resp.body.toMap() : resp.body;
    Object.assign(result, {
      ok: true,
      http_status: resp.statusCode === undefined ? null : resp.statusCode,
      request_id: body && body.RequestId !== undefined ? body.RequestId : null,
      body,
    });
  } catch (e) {
    Object.assign(result, {
      ok: false,
      exception: e && e.constructor ? e.constructor.name : typeof e,
      error_name: e && e.name,
      code: e && e.code !== undefined ? e.code : null,
      message: e && e.message !== undefined ? e.message : String(e),
      http_status: e && e.statusCode !== undefined ? e.statusCode : null,
      request_id: e && e.requestId !== undefined ? e.requestId : null,
      body: e && e.data !== undefined ? e.data : null,
      error_data: e && e.data !== undefined ? e.data : null,
    });
  }
  common.finish([common.line(result, redact)], 0);
}

main().catch((e) => {
  process.stderr.write(`tea_node.js: ${e && e.stack ? e.stack : e}\n`);
  process.exit(3);
});
