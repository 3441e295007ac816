#!/usr/bin/env node
// Drives the real, unmodified jsforce (pinned in package.json) against a server, for test_jsforce.py.
//
// stdin:  one JSON object {loginUrl, username, password, version?, scenario, args?}
// stdout: one JSON line {ok: true, jsforce, userInfo, instanceUrl, accessToken, result}
//         or {ok: false, stage: "login" | "scenario", error: {name, message, errorCode?, fields?, data?}}
// A rejection by jsforce is an answer (exit code 0); bad input to this script is exit code 2.
//
// Only jsforce's public API drives the server: Connection, login() (SOAP login), sobject().create /
// retrieve / update / destroy / describe, query / Query#run / queryMore, identity, logout, conn.soap.create,
// conn.soap.convertLead, OAuth2 (web-server flow with PKCE) and conn.authorize, and conn.request for a hand-written SOAP envelope (jsforce cannot put AssignmentRuleHeader or EmailHeader
// on its own SOAP calls). Plain fetch only acts behind jsforce's back (revoke; use a logged-out session).
'use strict';

const jsforce = require('jsforce');

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (chunk) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function xmlEscape(value) {
  const entities = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
  return String(value).replace(/[&<>"']/g, (c) => entities[c]);
}

function describeError(err) {
  if (!(err instanceof Error)) {
    return { name: typeof err, message: String(err) };
  }
  const shape = { name: err.name, message: err.message };
  if (err.errorCode !== undefined) shape.errorCode = err.errorCode;
  if (err.fields !== undefined) shape.fields = err.fields;
  if (err.data !== undefined) shape.data = err.data;
  return shape;
}

async function settle(promise) {
  try {
    return { ok: true, value: await promise };
  } catch (err) {
    return { ok: false, error: describeError(err) };
  }
}

// A query answer; with idsOnly the records are reduced to their Ids (keeps stdout small for big results).
function summarizeQuery(res, { idsOnly = false } = {}) {
  return {
    totalSize: res.totalSize,
    done: res.done,
    nextRecordsUrl: res.nextRecordsUrl === undefined ? null : res.nextRecordsUrl,
    count: res.records.length,
    records: idsOnly ? res.records.map((r) => r.Id) : res.records,
  };
}

// A Partner create envelope shaped like the captured one: urn: for the API, sobj: for the sObject's fields.
function soapCreateEnvelope(sessionId, sobjectType, fields, headers) {
  const element = (prefix, name, text) => `<${prefix}:${name}>${text}</${prefix}:${name}>`;
  const soapHeaders = { SessionHeader: { sessionId }, ...(headers || {}) };
  const headerXml = Object.entries(soapHeaders).map(([name, values]) => element('urn', name,
    Object.entries(values).map(([k, v]) => element('urn', k, xmlEscape(v))).join(''))).join('');
  const fieldXml = Object.entries(fields).map(([k, v]) => element('sobj', k, xmlEscape(v))).join('');
  return '<?xml version="1.0" encoding="UTF-8"?>'
    + '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"'
    + ' xmlns:urn="urn:partner.soap.sforce.com" xmlns:sobj="urn:sobject.partner.soap.sforce.com">'
    + `<soapenv:Header>${headerXml}</soapenv:Header>`
    + `<soapenv:Body><urn:create><urn:sObjects>${element('sobj', 'type', xmlEscape(sobjectType))}${fieldXml}`
    + '</urn:sObjects></urn:create></soapenv:Body></soapenv:Envelope>';
}

// The first element named `local` (whatever its prefix) in what xml2js made of a SOAP answer.
function findXml(node, local) {
  if (node === null || typeof node !== 'object') return undefined;
  for (const [key, value] of Object.entries(node)) {
    if (key === local || key.endsWith(`:${local}`)) return value;
    const found = findXml(value, local);
    if (found !== undefined) return found;
  }
  return undefined;
}

// Revokes the session behind jsforce's back, then runs `call`: jsforce must log in again and replay it.
async function refreshAfterRevoke(conn, call) {
  const oldToken = conn.accessToken;
  const revoked = await fetch(`${conn.instanceUrl}/services/oauth2/revoke`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: oldToken }).toString(),
  });
  let refreshed = 0;
  conn.on('refresh', () => { refreshed += 1; });
  const result = await call();
  return { revokeStatus: revoked.status, refreshed, tokenChanged: conn.accessToken !== oldToken, result };
}

const scenarios = {
  // Nothing but the login (the answer carries userInfo, instanceUrl and accessToken).
  async login() {
    return null;
  },

  // One record through POST /sobjects/{type} (request headers go in DmlOptions.headers), then retrieve.
  async create(conn, { sobject = 'Lead', record, options }) {
    const result = await conn.sobject(sobject).create(record, options || {});
    const saved = result.success ? await conn.sobject(sobject).retrieve(result.id) : null;
    return { result, record: saved };
  },

  // An array: jsforce 3 posts composite/sobjects (in 200s with allowRecursive) and answers per record.
  async createMany(conn, { sobject = 'Lead', records, options, idsOnly = false }) {
    const results = await conn.sobject(sobject).create(records, options || {});
    if (!idsOnly) return results;
    return {
      count: results.length,
      successes: results.filter((r) => r.success).length,
      ids: results.map((r) => r.id),
    };
  },

  // conn.query(soql) awaited as is (one page), or Query#run(options) such as {autoFetch, maxFetch}.
  async query(conn, { soql, options, idsOnly = false }) {
    const query = conn.query(soql);
    const res = options ? await query.run(options) : await query;
    return summarizeQuery(res, { idsOnly });
  },

  // conn.search(sosl): jsforce's own SOSL call (GET /search?q=), answered as jsforce returns it.
  async search(conn, { sosl }) {
    return conn.search(sosl);
  },

  // The first page, then conn.queryMore(nextRecordsUrl) until done: one summary per page.
  async queryPages(conn, { soql }) {
    const pages = [];
    let res = await conn.query(soql);
    pages.push(summarizeQuery(res, { idsOnly: true }));
    while (!res.done && res.nextRecordsUrl && pages.length < 50) {
      res = await conn.queryMore(res.nextRecordsUrl);
      pages.push(summarizeQuery(res, { idsOnly: true }));
    }
    return pages;
  },

  // create -> retrieve -> update -> retrieve -> destroy -> retrieve (rejected) -> COUNT().
  async crud(conn, { sobject = 'Lead', record, changes }) {
    const so = conn.sobject(sobject);
    const created = await so.create(record);
    const before = await so.retrieve(created.id);
    const updated = await so.update({ Id: created.id, ...changes });
    const after = await so.retrieve(created.id);
    const destroyed = await so.destroy(created.id);
    const retrieveAfterDestroy = await settle(so.retrieve(created.id));
    const count = await conn.query(`SELECT COUNT() FROM ${sobject} WHERE Id = '${created.id}'`);
    return { created, before, updated, after, destroyed, retrieveAfterDestroy, countAfter: count.totalSize };
  },

  // SObject#upsert(record, extIdField): PATCH …/sobjects/{Type}/{field}/{value}, then the record read back.
  async upsert(conn, { sobject = 'Lead', record, extIdField }) {
    const result = await conn.sobject(sobject).upsert(record, extIdField);
    const saved = result.id ? await conn.sobject(sobject).retrieve(result.id) : null;
    return { result, record: saved };
  },

  async describe(conn, { sobject = 'Lead' }) {
    const d = await conn.sobject(sobject).describe();
    const fields = Object.fromEntries(d.fields.map((f) => [f.name, {
      type: f.type, nillable: f.nillable, createable: f.createable, defaultedOnCreate: f.defaultedOnCreate,
      referenceTo: f.referenceTo, relationshipName: f.relationshipName, custom: f.custom,
      externalId: f.externalId, picklistValues: f.picklistValues.map((v) => v.value),
    }]));
    return {
      name: d.name, label: d.label, keyPrefix: d.keyPrefix, createable: d.createable, queryable: d.queryable,
      urls: d.urls, fields, recordTypes: d.recordTypeInfos.map((r) => r.developerName),
    };
  },

  // jsforce's own SOAP create: SessionHeader (and CallOptions) only.
  async soapCreate(conn, { sobject = 'Lead', fields }) {
    const result = await conn.soap.create({ type: sobject, ...fields });
    const saved = result.success ? await conn.sobject(sobject).retrieve(result.id) : null;
    return { result, record: saved };
  },

  // A hand-written Partner create with SOAP headers, POSTed by conn.request to jsforce's own SOAP endpoint
  // (jsforce adds the session's Authorization header and parses the XML answer with xml2js).
  async soapCreateWithHeaders(conn, { sobject = 'Lead', fields, headers }) {
    const response = await conn.request({
      method: 'POST',
      url: `/services/Soap/u/${conn.version}`,
      body: soapCreateEnvelope(conn.accessToken, sobject, fields, headers),
      headers: { 'Content-Type': 'text/xml', SOAPAction: '""' },
    });
    const result = findXml(response, 'result');
    const id = result && typeof result.id === 'string' ? result.id : null;
    const saved = id ? await conn.sobject(sobject).retrieve(id) : null;
    return { response, result, record: saved };
  },

  // The session is revoked behind jsforce's back; the next call gets a 401 and jsforce's username-password
  // refresh delegate must log in again and replay it.
  async sessionRefresh(conn, { sobject = 'Lead', record }) {
    return refreshAfterRevoke(conn, () => conn.sobject(sobject).create(record));
  },

  // jsforce's SOAP logout(), then the old session id on REST.
  async logout(conn, { sobject = 'Lead' }) {
    const { instanceUrl, accessToken, version } = conn;
    await conn.logout();
    const after = await fetch(`${instanceUrl}/services/data/v${version}/sobjects/${sobject}`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    const contentType = after.headers.get('content-type');
    return { statusAfter: after.status, contentType, bodyAfter: await after.json() };
  },

  // A Connection that holds only an expired access token and a refresh token (from the web-server flow): jsforce
  // meets 401 INVALID_SESSION_ID, refreshes through the OAuth2 token endpoint and retries.
  async refresh(conn, { clientId, refreshToken, soql }) {
    const fresh = new jsforce.Connection({
      oauth2: { clientId, loginUrl: conn.instanceUrl, redirectUri: 'http://localhost:1717/OauthRedirect' },
      instanceUrl: conn.instanceUrl, accessToken: 'expired!token', refreshToken, version: conn.version,
    });
    const refreshed = [];
    fresh.on('refresh', (token) => refreshed.push(token));
    const result = await fresh.query(soql);
    return { totalSize: result.totalSize, refreshed: refreshed.length, newToken: fresh.accessToken !== 'expired!token' };
  },

  // The web-server flow with PKCE through jsforce's OAuth2 (useVerifier): its authorization URL, the login form
  // posted as a browser would (the only step jsforce leaves to the user agent), conn.authorize(code); then the
  // access token is revoked behind jsforce's back and jsforce refreshes it with the refresh token it was given.
  async webServerFlow(conn, { clientId, clientSecret, browserLogin, soql }) {
    const oauth2 = new jsforce.OAuth2({
      loginUrl: conn.instanceUrl, clientId, clientSecret, redirectUri: 'http://localhost:1717/OauthRedirect',
      useVerifier: true,
    });
    const page = new URL(oauth2.getAuthorizationUrl({ state: 'jsforce' }));
    const form = new URLSearchParams([...page.searchParams, ...Object.entries(browserLogin)]);
    const login = await fetch(`${page.origin}${page.pathname}`, { method: 'POST', body: form, redirect: 'manual' });
    const back = new URL(login.headers.get('location'));
    const fresh = new jsforce.Connection({ oauth2, version: conn.version });
    const userInfo = await fresh.authorize(back.searchParams.get('code'));
    const first = fresh.accessToken;
    const revoked = await fetch(`${fresh.instanceUrl}/services/oauth2/revoke`, {
      method: 'POST', body: new URLSearchParams({ token: first }),
    });
    const refreshed = [];
    fresh.on('refresh', (token) => refreshed.push(token));
    const result = await fresh.query(soql);
    return {
      state: back.searchParams.get('state'), userInfo, hasRefreshToken: Boolean(fresh.refreshToken),
      revokeStatus: revoked.status, refreshed: refreshed.length, newToken: fresh.accessToken !== first,
      totalSize: result.totalSize,
    };
  },

  // SOAP convertLead through jsforce's own conn.soap.convertLead, on a Lead created over REST.
  async convertLead(conn, { record, convert }) {
    const created = await conn.sobject('Lead').create(record);
    const [result] = [].concat(await conn.soap.convertLead([{ leadId: created.id, ...convert }]));
    return { result, lead: await conn.sobject('Lead').retrieve(created.id) };
  },

  // /composite and /composite/tree through conn.requestPost (jsforce has no helper of its own for them).
  async composite(conn, { composite, tree }) {
    const base = `/services/data/v${conn.version}`;
    return {
      composite: await conn.requestPost(`${base}/composite`, composite),
      tree: await conn.requestPost(`${base}/composite/tree/${tree.sobject}`, { records: tree.records }),
    };
  },

  // SObject#updated / #deleted: GET …/sobjects/{type}/updated?start=&end= (no trailing slash).
  async replication(conn, { sobject = 'Lead', start, end }) {
    return {
      updated: await conn.sobject(sobject).updated(start, end),
      deleted: await conn.sobject(sobject).deleted(start, end),
    };
  },

  // conn.identity(): GET <userInfo.url>?format=json&oauth_token=… (the Identity URL jsforce built at login).
  async identity(conn) {
    return conn.identity();
  },

  // Bulk API 1.0: conn.bulk.load(type, operation, {assignmentRuleId, extIdField}, records): an XML job, a CSV
  // batch streamed chunked, polling, CSV results (Id, Success, Created, Error), then the job closed.
  async bulkLoad(conn, { sobject, operation, options, records }) {
    conn.bulk.pollInterval = 200;
    return conn.bulk.load(sobject, operation, options || {}, records);
  },

  // Bulk API 1.0 with a session revoked behind jsforce's back: the 400 InvalidSessionId error envelope makes
  // jsforce log in again and replay the job creation.
  async bulkSessionRefresh(conn, { records }) {
    conn.bulk.pollInterval = 200;
    return refreshAfterRevoke(conn, () => conn.bulk.load('Lead', 'insert', {}, records));
  },

  // Bulk API 2.0: conn.bulk2.loadAndWaitForResults({object, operation, assignmentRuleId?, input}) answers
  // {successfulResults, failedResults, unprocessedRecords} from the three result CSVs.
  async bulk2Load(conn, { options, records }) {
    return conn.bulk2.loadAndWaitForResults({ ...options, input: records, pollInterval: 200 });
  },

  // Bulk API 2.0 query: conn.bulk2.query(soql) pages through the results with Sforce-Locator.
  async bulk2Query(conn, { soql }) {
    const records = await conn.bulk2.query(soql, { pollInterval: 200 });
    const out = [];
    for await (const record of records) out.push(record);
    return out;
  },
};

// Scenarios kept in their own files, one per area.
Object.assign(scenarios, require('./metadata_scenarios'));

function answer(shape) {
  process.stdout.write(`${JSON.stringify(shape)}\n`);
  return 0;
}

async function main() {
  let input;
  try {
    input = JSON.parse(await readStdin());
  } catch (err) {
    process.stderr.write(`drive.js: stdin is not JSON: ${err.message}\n`);
    return 2;
  }
  const scenario = scenarios[input.scenario];
  if (!scenario) {
    process.stderr.write(`drive.js: unknown scenario ${JSON.stringify(input.scenario)}; `
      + `known: ${Object.keys(scenarios).join(', ')}\n`);
    return 2;
  }
  const conn = new jsforce.Connection({ loginUrl: input.loginUrl, version: input.version || '59.0' });
  let userInfo;
  try {
    userInfo = await conn.login(input.username, input.password);
  } catch (err) {
    return answer({ ok: false, stage: 'login', error: describeError(err) });
  }
  const session = {
    jsforce: jsforce.VERSION, userInfo, instanceUrl: conn.instanceUrl, accessToken: conn.accessToken,
  };
  try {
    return answer({ ok: true, ...session, result: await scenario(conn, input.args || {}) });
  } catch (err) {
    return answer({ ok: false, stage: 'scenario', ...session, error: describeError(err) });
  }
}

main().then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`drive.js: ${err && err.stack ? err.stack : err}\n`);
  process.exitCode = 2;
});
