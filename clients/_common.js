// Shared pieces of the Node.js drivers (pop_core.js, tea_node.js, flow_certd.js,
// flow_menci.js, slb_certd.js): the installed packages, redaction of private keys, what a
// pop-core call answered or threw, and the JSON lines.
'use strict';

const path = require('path');

const NODE_MODULES = path.join(__dirname, '..', 'target', 'clients', 'node', 'node_modules');

// Parameters whose value is a private key: never printed.
const PRIVATE_PARAMS = new Set(['SSLPri', 'PrivateKey', 'Key', 'SSLPrivateKey']);

// The keys every line starts with, in this order (null when the client does not expose one).
const FIRST_KEYS = ['client', 'ok', 'http_status', 'code', 'message', 'request_id', 'body', 'exception'];

/** A package installed by clients/install.sh under target/clients/node; exits 2 when absent. */
function requireInstalled(name) {
  try {
    return require(path.join(NODE_MODULES, ...name.split('/')));
  } catch (e) {
    if (e && e.code === 'MODULE_NOT_FOUND') {
      process.stderr.write(`${name} missing: run clients/install.sh\n`);
      process.exit(2);
    }
    throw e;
  }
}

/** The installed version of a package. */
function installedVersion(name) {
  return require(path.join(NODE_MODULES, ...name.split('/'), 'package.json')).version;
}

// ---------------------------------------------------------------- redaction
function popEncode(s) {
  return encodeURIComponent(s).replace(/!/g, '%21').replace(/'/g, '%27')
    .replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/\*/g, '%2A');
}

/**
 * A function that replaces, in any value, every spelling of the private keys among `params`
 * (raw, percent-encoded once or twice, `+` form, JSON-escaped) by `<redacted NAME>`, and any
 * string still holding `PRIVATE KEY` whole.
 */
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
    if (typeof o === 'bigint') return o.toString();
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

// ---------------------------------------------------------------- pop-core results
/** The fields of a line for what pop-core's `request` returned (verbose: `[json, entry]`). */
function popCoreAnswer(json, entry) {
  return {
    ok: true,
    http_status: entry && entry.response ? entry.response.statusCode : null,
    request_id: json && json.RequestId !== undefined ? json.RequestId : null,
    body: json,
  };
}

/**
 * The fields of a line for what pop-core's `request` threw: a service error (its code, message,
 * HTTP status and body; pop-core sets `name` to the code + 'Error') or a client failure. What
 * the error does not carry is left out, so a line that already holds the answer keeps its
 * status and body when a tool's own check threw after it.
 */
function popCoreFailure(e) {
  const out = {
    ok: false,
    exception: e && e.constructor ? e.constructor.name : typeof e,
    error_name: e && e.name,
    code: e && e.code !== undefined ? e.code : null,
    message: e && e.message !== undefined ? e.message : String(e),
  };
  if (e && e.entry && e.entry.response) out.http_status = e.entry.response.statusCode;
  if (e && e.data !== undefined) {
    out.body = e.data;
    out.request_id = e.data && e.data.RequestId !== undefined ? e.data.RequestId : null;
  }
  if (e && e.text !== undefined) out.unparsed_body = e.text; // json-bigint SyntaxError
  return out;
}

/** The JSON line of a result: FIRST_KEYS first, then the others in insertion order. */
function line(result, redact) {
  const out = {};
  for (const k of FIRST_KEYS) out[k] = result[k] === undefined ? null : result[k];
  for (const [k, v] of Object.entries(result)) if (!(k in out)) out[k] = v;
  return JSON.stringify(redact(out)) + '\n';
}

/** Writes the lines, then exits with `code` once stdout has taken them. */
function finish(lines, code) {
  process.stdout.write(lines.join(''), () => process.exit(code));
}

/** Name=Value items and Name=PATH file items as an object (files read as UTF-8, unchanged). */
function loadParams(items, files, usage) {
  const fs = require('fs');
  const params = {};
  for (const item of items) {
    const i = item.indexOf('=');
    if (i <= 0) usage(`--param wants Name=Value, got ${item}`);
    params[item.slice(0, i)] = item.slice(i + 1);
  }
  for (const item of files) {
    const i = item.indexOf('=');
    if (i <= 0) usage(`--param-file wants Name=PATH, got ${item}`);
    params[item.slice(0, i)] = fs.readFileSync(item.slice(i + 1), 'utf8');
  }
  return params;
}

module.exports = {
  NODE_MODULES, PRIVATE_PARAMS, requireInstalled, installedVersion, makeRedactor, popCoreAnswer,
  popCoreFailure, line, finish, loadParams,
};
