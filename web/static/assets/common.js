// Helpers every page shares. Data from the server (customer messages,
// articles, names) only ever reaches the page as text: el() and
// textContent, never as markup.
'use strict';
(function () {
  const strings = window.AssistStrings;
  const A = (window.Assist = {});
  const langKey = 'assist.lang';
  const listeners = [];

  function browserLang() {
    const langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
    for (const l of langs) {
      const base = String(l).toLowerCase().split('-')[0];
      if (strings[base]) return base;
    }
    return 'en';
  }
  function storedLang() {
    try { return localStorage.getItem(langKey); } catch (e) { return null; }
  }
  const forced = new URLSearchParams(location.search).get('lang');
  A.lang = strings[forced] ? forced : strings[storedLang()] ? storedLang() : browserLang();

  // t returns the wording of key in the page's language, with {name}
  // placeholders filled from vars.
  A.t = function (key, vars) {
    let s = strings[A.lang][key];
    if (s === undefined) s = strings.en[key];
    if (s === undefined) return key;
    if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined ? m : String(vars[k])));
    return s;
  };

  // el builds an element. props: class, text, attrs (no event handler
  // attributes), on (event listeners), hidden. Children: nodes or strings
  // (added as text).
  A.el = function (tag, props, ...children) {
    const e = document.createElement(tag);
    props = props || {};
    if (props.class) e.className = props.class;
    if (props.text !== undefined) e.textContent = props.text;
    if (props.attrs) {
      for (const [k, v] of Object.entries(props.attrs)) {
        if (/^on/i.test(k)) throw new Error('no event handler attributes');
        if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    if (props.on) for (const [k, f] of Object.entries(props.on)) e.addEventListener(k, f);
    if (props.hidden) e.hidden = true;
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  };

  // card renders an order or shipment card of a bot message
  // (attachments.cards): a title and label/value fields, as text.
  A.card = function (c) {
    return A.el('div', { class: 'card card-' + (c.kind || 'info') },
      A.el('h3', { text: c.title || '' }),
      A.el('dl', null, ...(c.fields || []).flatMap((f) => [A.el('dt', { text: f.label }), A.el('dd', { text: f.value })])));
  };

  // safeURL returns u when it is an http(s) address, else null: a
  // javascript: or data: link never becomes an href.
  A.safeURL = function (u) {
    try {
      const x = new URL(u, location.href);
      return x.protocol === 'http:' || x.protocol === 'https:' ? x.href : null;
    } catch (e) { return null; }
  };

  // applyI18n writes the wording into every element marked with
  // data-i18n (text), data-i18n-placeholder, data-i18n-label (aria-label)
  // or data-i18n-title.
  A.applyI18n = function (root) {
    root = root || document;
    if (root === document) {
      document.documentElement.lang = A.lang === 'zh' ? 'zh-CN' : 'en';
      if (document.body.dataset.titleKey) document.title = A.t(document.body.dataset.titleKey);
    }
    for (const e of root.querySelectorAll('[data-i18n]')) e.textContent = A.t(e.dataset.i18n);
    for (const e of root.querySelectorAll('[data-i18n-placeholder]')) e.placeholder = A.t(e.dataset.i18nPlaceholder);
    for (const e of root.querySelectorAll('[data-i18n-label]')) e.setAttribute('aria-label', A.t(e.dataset.i18nLabel));
    for (const e of root.querySelectorAll('[data-i18n-title]')) e.title = A.t(e.dataset.i18nTitle);
  };

  A.setLang = function (l) {
    if (!strings[l]) return;
    A.lang = l;
    try { localStorage.setItem(langKey, l); } catch (e) { /* private mode */ }
    A.applyI18n();
    for (const f of listeners) f(l);
  };
  A.onLang = function (f) { listeners.push(f); };

  // langSwitch fills a <select> with the languages and keeps it in step.
  A.langSwitch = function (sel) {
    sel.replaceChildren(...Object.keys(strings).map((l) => A.el('option', { text: strings[l]['lang.name'], attrs: { value: l } })));
    sel.value = A.lang;
    sel.addEventListener('change', () => A.setLang(sel.value));
    A.onLang((l) => { sel.value = l; });
  };

  // ApiError carries the server's error code and message.
  class ApiError extends Error {
    constructor(status, code, message) { super(message); this.status = status; this.code = code; }
  }
  A.ApiError = ApiError;

  // api calls the JSON API. Staff pages are signed in by the HttpOnly
  // session cookie, which page scripts cannot read; state-changing calls
  // carry the CSRF header the server asks for. opts.token sends a bearer
  // token instead (the customer's conversation token).
  A.api = async function (method, path, body, opts) {
    opts = opts || {};
    const headers = { 'X-Assist-CSRF': '1' };
    if (opts.token) headers.Authorization = 'Bearer ' + opts.token;
    let payload;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
    const r = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store' });
    if (r.status === 204) return null;
    const ct = r.headers.get('Content-Type') || '';
    const data = ct.includes('json') ? await r.json() : await r.text();
    if (!r.ok) {
      const e = data && data.error ? data.error : { code: 'http_' + r.status, message: r.statusText };
      throw new ApiError(r.status, e.code, e.message);
    }
    return data;
  };

  // has tells whether the server offers an operation, from its OpenAPI
  // document: a page shows a feature only when its API exists.
  let doc = null;
  A.loadFeatures = async function () {
    if (!doc) {
      try { doc = await A.api('GET', '/openapi.json'); } catch (e) { doc = { paths: {} }; }
    }
    return doc;
  };
  const norm = (p) => p.replace(/\{[^}]*\}/g, '{}');
  A.has = function (method, path) {
    if (!doc || !doc.paths) return false;
    const want = norm(path), m = method.toLowerCase();
    return Object.entries(doc.paths).some(([k, v]) => norm(k) === want && v[m]);
  };

  // Intent names from the catalogue (GET /v1/intents, staff pages):
  // loadIntents fetches them once; intentName names a label in the page's
  // language, or returns the label when it is not known.
  let intents = null;
  A.loadIntents = async function () {
    if (intents || !A.has('get', '/v1/intents')) return;
    try {
      const r = await A.api('GET', '/v1/intents');
      intents = new Map(r.intents.map((i) => [i.label, i.name]));
    } catch (e) { /* labels as they are */ }
  };
  A.intentName = function (label) {
    const n = intents && intents.get(label);
    return (n && (n[A.lang] || n.en)) || label;
  };

  // duration formats seconds as "1 h 5 min", "3 min 20 s" or "12 s".
  A.duration = function (secs) {
    secs = Math.max(0, Math.round(secs));
    const h = Math.floor(secs / 3600), m = Math.floor((secs % 3600) / 60), s = secs % 60;
    if (h) return A.t('unit.hm', { h, m });
    if (m) return A.t('unit.ms', { m, s });
    return A.t('unit.s', { s });
  };
  A.time = function (iso) {
    const d = new Date(iso);
    return isNaN(d) ? '' : d.toLocaleTimeString(A.lang === 'zh' ? 'zh-CN' : 'en-GB', { hour: '2-digit', minute: '2-digit' });
  };

  A.newKey = function () {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  };

  document.addEventListener('DOMContentLoaded', () => A.applyI18n());
})();
