// OpenID provider run by the test suite (and by `make run-idp`), configured like the suite's
// federation: confidential clients, userinfo as JSON or as a signed (and optionally encrypted)
// JWT, RP-initiated logout, pairwise subjects, introspection and revocation.
//
// Usage: node server.mjs CONFIG.json
// The whole configuration comes from that file (see tests/peers/oidc/fixtures.py, which writes
// it): issuer, host/port, signing keys (private JWKs), clients, accounts, cookie keys.
// Optional "modulesDir" points at the node_modules folder holding oidc-provider (the Makefile
// installs it in a cache folder outside the source tree).
//
// Login is a plain HTML form, completable headlessly: the login is the account id and the
// password is ignored. A consent page follows when the client asks for scopes not yet granted.
// `/__test__/accounts/<id>` (PUT a JSON object of claims, DELETE) lets tests change accounts
// while the provider runs.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const configPath = process.argv[2];
if (!configPath) {
  console.error('usage: node server.mjs CONFIG.json');
  process.exit(2);
}
const config = JSON.parse(readFileSync(configPath, 'utf8'));

async function loadProvider() {
  const modulesDir = config.modulesDir || process.env.OIDC_PEER_MODULES;
  if (modulesDir) {
    const pkg = JSON.parse(readFileSync(join(modulesDir, 'oidc-provider', 'package.json'), 'utf8'));
    const entry = join(modulesDir, 'oidc-provider', pkg.main || 'lib/index.js');
    return (await import(pathToFileURL(entry).href)).default;
  }
  return (await import('oidc-provider')).default;
}

const Provider = await loadProvider();

const accounts = new Map(Object.entries(config.accounts || {}));
const DEFAULT_CLAIMS = {
  openid: ['sub'],
  email: ['email'],
  profile: ['given_name', 'usual_name', 'siret'],
  given_name: ['given_name'],
  usual_name: ['usual_name'],
  siret: ['siret'],
  groups: ['groups'],
};
const claims = config.claims || DEFAULT_CLAIMS;
const scopes = config.scopes || ['openid', 'email', 'profile', 'groups', 'offline_access',
  'given_name', 'usual_name', 'siret'];

function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}

function page(title, body) {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:28em;margin:3em auto}input,button{display:block;margin:.5em 0;padding:.4em;width:100%}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

const features = {
  devInteractions: { enabled: false },
  userinfo: { enabled: true },
  jwtUserinfo: { enabled: true },
  encryption: { enabled: true },
  introspection: {
    enabled: true,
    // Any authenticated confidential client (the resource servers) may introspect.
    allowedPolicy: async (ctx, client) => client.clientAuthMethod !== 'none',
  },
  jwtIntrospection: { enabled: true },
  revocation: { enabled: true },
  backchannelLogout: { enabled: true },
  clientCredentials: { enabled: true },
  rpInitiatedLogout: {
    enabled: true,
    async logoutSource(ctx, form) {
      ctx.body = page('Sign out', `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`);
    },
    async postLogoutSuccessSource(ctx) {
      ctx.body = page('Signed out', '<p>You are signed out.</p>');
    },
  },
};
for (const [name, value] of Object.entries(config.features || {})) {
  features[name] = { ...(features[name] || {}), ...value };
}

const provider = new Provider(config.issuer, {
  clients: config.clients || [],
  jwks: config.jwks,
  cookies: { keys: config.cookieKeys || ['people-test-cookie-key'] },
  claims,
  scopes,
  subjectTypes: ['public', 'pairwise'],
  async pairwiseIdentifier(ctx, accountId, client) {
    return createHash('sha256')
      .update(client.sectorIdentifier)
      .update(accountId)
      .update(config.pairwiseSalt || 'people-test-salt')
      .digest('hex');
  },
  async findAccount(ctx, id) {
    if (!accounts.has(id)) return undefined;
    return {
      accountId: id,
      async claims() {
        // Read at each call so that accounts changed through /__test__/ take effect at once.
        const current = accounts.get(id) || {};
        const { sub: ignored, ...rest } = current;
        return { ...rest, sub: id };
      },
    };
  },
  features,
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 60,
    ClientCredentials: 600,
    IdToken: 3600,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
    RefreshToken: 86400,
    ...(config.ttl || {}),
  },
  pkce: { required: () => false },
  // The provider refuses to fetch loopback addresses (SSRF protection); test clients publish
  // their `jwks_uri` on 127.0.0.1, so drop the guarding dispatcher when allowed.
  fetch: (url, options) => {
    if (config.allowLoopbackFetch !== false) {
      delete options.dispatcher;
    }
    return globalThis.fetch(url, options);
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Error', Object.entries(out)
      .map(([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: <span class="${escapeHtml(key)}">${escapeHtml(value)}</span></p>`)
      .join(''));
  },
});

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

function send(res, status, body, type = 'text/html; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function loginForm(uid, client, error) {
  return page('Sign in', `<p>to ${escapeHtml(client?.clientName || client?.clientId || '')}</p>
${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}
<form id="login" method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>Login (account id)<input name="login" autofocus></label>
<label>Password (ignored)<input name="password" type="password"></label>
<button type="submit">Sign in</button></form>`);
}

function consentForm(uid, client, details) {
  const asked = [...(details.missingOIDCScope || []), ...(details.missingOIDCClaims || [])];
  return page('Authorize', `<p>${escapeHtml(client?.clientName || client?.clientId || '')} asks for: ${escapeHtml(asked.join(', '))}</p>
<form id="consent" method="post" action="/interaction/${escapeHtml(uid)}/confirm"><button type="submit">Continue</button></form>
<form id="abort" method="post" action="/interaction/${escapeHtml(uid)}/abort"><button type="submit">Cancel</button></form>`);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    send(res, 400, page('Error', '<p>interaction mismatch</p>'));
    return;
  }
  const { prompt, params, session, grantId } = details;
  const client = await provider.Client.find(params.client_id);
  if (req.method === 'GET' && !action) {
    if (prompt.name === 'login') send(res, 200, loginForm(uid, client));
    else if (prompt.name === 'consent') send(res, 200, consentForm(uid, client, prompt.details));
    else send(res, 501, page('Error', `<p>unsupported prompt ${escapeHtml(prompt.name)}</p>`));
    return;
  }
  if (req.method !== 'POST') {
    send(res, 405, page('Error', '<p>method not allowed</p>'));
    return;
  }
  if (action === 'login') {
    const form = await readForm(req);
    const login = (form.get('login') || '').trim();
    if (!accounts.has(login)) {
      send(res, 401, loginForm(uid, client, `unknown account ${login}`));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
    return;
  }
  if (action === 'confirm') {
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const missing = prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    if (missing.missingResourceScopes) {
      for (const [indicator, scope] of Object.entries(missing.missingResourceScopes)) {
        grant.addResourceScope(indicator, scope.join(' '));
      }
    }
    const result = { consent: { grantId: await grant.save() } };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
    return;
  }
  if (action === 'abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'End-User aborted interaction',
    }, { mergeWithLastSubmission: false });
    return;
  }
  send(res, 404, page('Error', '<p>not found</p>'));
}

async function testControl(req, res, id) {
  if (req.method === 'PUT') {
    accounts.set(id, await readJson(req));
    send(res, 204, '');
  } else if (req.method === 'DELETE') {
    accounts.delete(id);
    send(res, 204, '');
  } else if (req.method === 'GET' && accounts.has(id)) {
    send(res, 200, JSON.stringify(accounts.get(id)), 'application/json');
  } else {
    send(res, 404, '');
  }
}

// Requests received per path, for tests to count what reached the provider (GET /__test__/calls).
const calls = new Map();

const callback = provider.callback();
const server = createServer(async (req, res) => {
  const { pathname } = new URL(req.url, config.issuer);
  try {
    if (pathname === '/__test__/calls') {
      send(res, 200, JSON.stringify(Object.fromEntries(calls)), 'application/json');
      return;
    }
    calls.set(pathname, (calls.get(pathname) || 0) + 1);
    let match = pathname.match(/^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?\/?$/);
    if (match) {
      await interaction(req, res, match[1], match[2]);
      return;
    }
    match = pathname.match(/^\/__test__\/accounts\/([^/]+)$/);
    if (match) {
      await testControl(req, res, decodeURIComponent(match[1]));
      return;
    }
    callback(req, res);
  } catch (error) {
    console.error(error);
    if (!res.headersSent) {
      send(res, error.statusCode || 500, page('Error', `<p class="error">${escapeHtml(error.message)}</p>`));
    } else {
      res.end();
    }
  }
});

const url = new URL(config.issuer);
server.listen(config.port || Number(url.port) || 80, config.host || url.hostname, () => {
  console.log(`oidc-provider listening on ${config.issuer}`);
});

function stop() {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
