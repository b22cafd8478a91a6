// The customer widget: one conversation over the WebSocket, resumed after
// a reload or a dropped connection from the last message seen (last_id),
// so nothing is lost or shown twice.
'use strict';
(function () {
  const A = window.Assist, t = A.t, el = A.el;
  const $ = (id) => document.getElementById(id);
  const q = new URLSearchParams(location.search);
  const tenant = q.get('tenant') || '';
  const ident = {
    customer_ref: q.get('customer_ref') || '',
    customer_sig: q.get('customer_sig') || '',
    customer_expires: Number(q.get('customer_expires')) || 0,
  };
  // The conversation and its token stay in this origin's storage, out of
  // reach of the shop page that embeds the widget in a frame.
  const storeKey = 'assist.chat.' + tenant + '.' + (ident.customer_ref || '-');
  const feedbackAPI = '/v1/conversations/{id}/messages/{mid}/feedback';
  const ratingAPI = '/v1/conversations/{id}/rating';

  let conv = null; // {id, token}
  let ws = null, wsGen = 0, retries = 0;
  let lastSeq = 0, lastId = '';
  let owner = '', position = null, positionTimer = 0, typingTimer = 0, lastTypingSent = 0;
  const shown = new Map(); // message id -> its <li>
  const pending = new Map(); // idempotency key -> {text, li}

  function save() { try { localStorage.setItem(storeKey, JSON.stringify(conv)); } catch (e) { /* private mode */ } }
  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey) || 'null'); } catch (e) { return null; }
  }

  async function start() {
    A.langSwitch($('lang'));
    A.onLang(() => { renderState(); for (const li of shown.values()) relabel(li); });
    $('composer').addEventListener('submit', (e) => { e.preventDefault(); sendText($('msg').value); });
    $('msg').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); sendText($('msg').value); }
    });
    $('msg').addEventListener('input', typing);
    $('rating').addEventListener('submit', rate);
    $('restart').addEventListener('click', restart);
    buildStars();
    if (!tenant) { setState(t('chat.no_tenant')); $('composer').hidden = true; return; }
    setConn('connecting');
    await A.loadFeatures();
    conv = load();
    if (conv) {
      try { await A.api('GET', '/v1/conversations/' + conv.id, undefined, { token: conv.token }); } catch (e) { conv = null; }
    }
    try {
      if (!conv) { await create(); greet(); }
    } catch (e) {
      setState(t('error.generic', { message: e.message }));
      return;
    }
    connect();
  }

  async function create() {
    const body = { tenant, channel: 'web' };
    if (ident.customer_ref) Object.assign(body, ident);
    const r = await A.api('POST', '/v1/conversations', body);
    conv = { id: r.conversation.id, token: r.token };
    save();
  }

  function connect() {
    const gen = ++wsGen;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = proto + '//' + location.host + '/v1/conversations/' + encodeURIComponent(conv.id) +
      '/ws?token=' + encodeURIComponent(conv.token) + (lastId ? '&last_id=' + encodeURIComponent(lastId) : '');
    const s = new WebSocket(url);
    ws = s;
    s.onopen = () => {
      if (gen !== wsGen) return;
      retries = 0;
      setConn('online');
      for (const key of pending.keys()) transmit(key); // same keys: stored once
    };
    s.onmessage = (ev) => { if (gen === wsGen) frame(JSON.parse(ev.data)); };
    s.onclose = () => {
      if (gen !== wsGen) return;
      ws = null;
      setConn('offline');
      const delay = Math.min(8000, 300 * 2 ** retries++);
      setTimeout(() => { if (gen === wsGen) connect(); }, delay);
    };
  }

  function frame(f) {
    switch (f.type) {
      case 'status': setOwner(f.owner); break;
      case 'message': addMessage(f.message); break;
      case 'ack': if (f.message) addMessage(f.message); break;
      case 'typing': if (f.author && f.author !== 'customer') showTyping(f.author); break;
      case 'error':
        if (f.idempotency_key && pending.has(f.idempotency_key)) failPending(f.idempotency_key, f.error);
        else if (f.error) setState(t('error.generic', { message: f.error.message }));
        break;
    }
  }

  // Messages --------------------------------------------------------------

  function addMessage(m) {
    if (shown.has(m.id)) return;
    if (m.seq > lastSeq) { lastSeq = m.seq; lastId = m.id; }
    if (m.author === 'customer' && m.idempotency_key && pending.has(m.idempotency_key)) {
      pending.get(m.idempotency_key).li.remove();
      pending.delete(m.idempotency_key);
    }
    if (m.author !== 'customer') hideTyping();
    else for (const b of $('log').querySelectorAll('.msg-greeting .choices button')) b.disabled = true;
    const li = renderMessage(m);
    shown.set(m.id, li);
    // Keep seq order even if a frame came late.
    const log = $('log');
    let before = null;
    for (const other of log.children) {
      if (other.dataset.seq && Number(other.dataset.seq) > m.seq) { before = other; break; }
    }
    if (!before) before = log.querySelector('li.pending');
    log.insertBefore(li, before);
    // Only the newest bot message's quick replies stay active.
    if (m.author === 'bot') {
      for (const b of log.querySelectorAll('li:not([data-id="' + CSS.escape(m.id) + '"]) .choices button')) b.disabled = true;
    }
    li.scrollIntoView({ block: 'end' });
  }

  function renderMessage(m) {
    const li = el('li', { class: 'msg msg-' + m.author, attrs: { 'data-id': m.id, 'data-seq': m.seq, 'data-author': m.author } },
      el('span', { class: 'who' }),
      el('div', { class: 'text', text: shownText(m) }));
    relabel(li);
    const at = m.attachments || {};
    for (const c of at.cards || []) li.append(A.card(c));
    if (at.sources && at.sources.length) {
      const ol = el('ol', { class: 'sources' });
      for (const s of at.sources) {
        const href = s.url ? A.safeURL(s.url) : null;
        const label = '[' + s.n + '] ' + (s.title || s.doc || '');
        ol.append(el('li', null, href ? el('a', { text: label, attrs: { href, target: '_blank', rel: 'noopener noreferrer' } }) : el('span', { text: label })));
      }
      li.append(el('div', { class: 'sources-box' }, el('span', { class: 'sources-label', attrs: { 'data-i18n': 'chat.sources' }, text: t('chat.sources') }), ol));
    }
    if (at.choices && at.choices.length) {
      const box = el('div', { class: 'choices', attrs: { role: 'group', 'data-i18n-label': 'chat.choices', 'aria-label': t('chat.choices') } });
      for (const c of at.choices) {
        box.append(el('button', { text: c.label, attrs: { type: 'button' }, on: { click: (e) => { box.querySelectorAll('button').forEach((b) => (b.disabled = true)); e.target.classList.add('chosen'); sendText(c.value); } } }));
      }
      li.append(box);
    }
    if (m.author === 'bot' && A.has('post', feedbackAPI)) li.append(feedbackButtons(m));
    return li;
  }

  // shownText is a message's text as the widget shows it: an answer with
  // its sources as attachments ends, for API clients that cannot show
  // them, with a paragraph naming them ("Sources: [1] …", "来源：[1] …");
  // the widget lists them below instead, so that paragraph is left out.
  function shownText(m) {
    const text = String(m.text || ''), src = (m.attachments && m.attachments.sources) || [];
    const cut = text.lastIndexOf('\n\n');
    if (!src.length || cut < 0) return text;
    const tail = text.slice(cut + 2).trim();
    const cite = (s) => '[' + s.n + '] ' + (s.title || s.doc || '');
    if (tail.includes(cite(src[0])) && tail.endsWith(cite(src[src.length - 1]))) return text.slice(0, cut).trimEnd();
    return text;
  }

  // greet shows, in a conversation with nothing in it yet, what the bot
  // can do, with quick replies that send their words as the customer's.
  function greet() {
    const box = el('div', { class: 'choices', attrs: { role: 'group', 'data-i18n-label': 'chat.quick.label', 'aria-label': t('chat.quick.label') } });
    for (const k of ['track', 'return', 'person']) {
      const key = 'chat.quick.' + k;
      box.append(el('button', { text: t(key), attrs: { type: 'button', 'data-i18n': key }, on: { click: () => sendText(t(key)) } }));
    }
    const li = el('li', { class: 'msg msg-greeting', attrs: { 'data-author': 'bot' } },
      el('span', { class: 'who', attrs: { 'data-i18n': 'chat.bot' } }),
      el('div', { class: 'text', attrs: { 'data-i18n': 'chat.greeting' }, text: t('chat.greeting') }), box);
    relabel(li);
    $('log').replaceChildren(li);
  }

  function relabel(li) {
    const who = li.querySelector('.who');
    if (who) who.textContent = t({ customer: 'chat.you', bot: 'chat.bot', agent: 'chat.agent', system: 'chat.system' }[li.dataset.author] || 'chat.system');
    A.applyI18n(li);
  }

  function feedbackButtons(m) {
    const box = el('div', { class: 'feedback' });
    const send = async (rating, btn) => {
      try {
        await A.api('POST', '/v1/conversations/' + conv.id + '/messages/' + m.id + '/feedback', { rating }, { token: conv.token });
      } catch (e) {
        if (e.code !== 'conflict') { setState(t('error.generic', { message: e.message })); return; } // conflict: said before
      }
      box.querySelectorAll('button').forEach((b) => { b.setAttribute('aria-pressed', String(b === btn)); b.disabled = true; });
      box.querySelector('.thanks').hidden = false;
    };
    const up = el('button', { class: 'thumb', text: t('chat.helpful'), attrs: { type: 'button', 'aria-pressed': 'false', 'data-i18n': 'chat.helpful' } });
    const down = el('button', { class: 'thumb', text: t('chat.not_helpful'), attrs: { type: 'button', 'aria-pressed': 'false', 'data-i18n': 'chat.not_helpful' } });
    up.addEventListener('click', () => send('up', up));
    down.addEventListener('click', () => send('down', down));
    box.append(up, down, el('span', { class: 'thanks', attrs: { 'data-i18n': 'chat.feedback_thanks' }, text: t('chat.feedback_thanks'), hidden: true }));
    return box;
  }

  // Sending ---------------------------------------------------------------

  function sendText(text) {
    text = String(text || '').trim();
    if (!text || !conv || owner === 'closed') return;
    $('msg').value = '';
    const key = A.newKey();
    const li = el('li', { class: 'msg msg-customer pending', attrs: { 'data-author': 'customer', 'data-key': key } },
      el('span', { class: 'who', text: t('chat.you') }),
      el('div', { class: 'text', text }),
      el('span', { class: 'note', text: t('chat.sending') }));
    $('log').append(li);
    li.scrollIntoView({ block: 'end' });
    pending.set(key, { text, li });
    transmit(key);
  }

  function transmit(key) {
    const p = pending.get(key);
    if (!p || !ws || ws.readyState !== WebSocket.OPEN) return; // sent on reconnect
    p.li.classList.remove('failed');
    p.li.querySelector('.note').textContent = t('chat.sending');
    ws.send(JSON.stringify({ type: 'message', text: p.text, idempotency_key: key }));
  }

  function failPending(key, err) {
    const p = pending.get(key);
    p.li.classList.add('failed');
    const note = p.li.querySelector('.note');
    note.replaceChildren(t('chat.failed', { message: err ? err.message : '' }), ' ',
      el('button', { class: 'link', text: t('chat.retry'), attrs: { type: 'button' }, on: { click: () => transmit(key) } }));
  }

  function typing() {
    const now = Date.now();
    if (ws && ws.readyState === WebSocket.OPEN && now - lastTypingSent > 3000) {
      lastTypingSent = now;
      ws.send(JSON.stringify({ type: 'typing' }));
    }
  }

  function showTyping(author) {
    const p = $('typing');
    p.textContent = t(author === 'agent' ? 'chat.typing.agent' : 'chat.typing.bot');
    p.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, 6000);
  }
  function hideTyping() { clearTimeout(typingTimer); $('typing').hidden = true; }

  // Who owns the conversation --------------------------------------------

  function setOwner(o) {
    owner = o || 'bot';
    clearTimeout(positionTimer);
    position = null;
    if (owner === 'queue') pollPosition();
    const closed = owner === 'closed';
    $('msg').disabled = closed;
    $('send').disabled = closed;
    $('restart').hidden = !closed;
    $('rating').hidden = !closed || !A.has('post', ratingAPI) || rated();
    $('rated').hidden = !closed || !rated();
    renderState();
  }

  async function pollPosition() {
    try {
      position = await A.api('GET', '/v1/conversations/' + conv.id + '/position', undefined, { token: conv.token });
      if (position.owner !== 'queue') position = null;
    } catch (e) { position = null; }
    renderState();
    if (owner === 'queue') positionTimer = setTimeout(pollPosition, 5000);
  }

  function renderState() {
    let s = '';
    if (owner === 'queue' && position && position.position > 0) {
      s = t('chat.state.queue_pos', { pos: position.position, len: position.queue_length, wait: A.duration(position.waited_seconds) });
    } else if (owner) s = t('chat.state.' + owner);
    setState(s);
    document.body.dataset.owner = owner;
  }
  function setState(s) { $('state').textContent = s; }
  function setConn(s) {
    const c = $('conn');
    c.dataset.state = s;
    c.dataset.i18n = 'chat.state.' + s;
    c.textContent = t('chat.state.' + s);
  }

  // Rating ----------------------------------------------------------------

  function rated() { try { return localStorage.getItem(storeKey + '.rated') === conv.id; } catch (e) { return false; } }

  function buildStars() {
    const box = $('stars');
    for (let n = 1; n <= 5; n++) {
      const id = 'star' + n;
      const label = el('label', { class: 'star', attrs: { for: id } }, el('span', { attrs: { 'aria-hidden': 'true' }, text: '★' }), el('span', { class: 'sr-only' }));
      const fill = () => { label.querySelector('.sr-only').textContent = t('chat.rate.star', { n }); };
      fill();
      A.onLang(fill);
      box.append(el('input', { class: 'sr-only', attrs: { type: 'radio', name: 'score', id, value: n, required: n === 1 } }), label);
    }
  }

  async function rate(e) {
    e.preventDefault();
    const checked = $('rating').querySelector('input[name=score]:checked');
    if (!checked) return;
    const body = { score: Number(checked.value), comment: $('rating-comment').value.trim() };
    try {
      await A.api('POST', '/v1/conversations/' + conv.id + '/rating', body, { token: conv.token });
    } catch (err) {
      if (err.code !== 'conflict') { setState(t('error.generic', { message: err.message })); return; }
    }
    try { localStorage.setItem(storeKey + '.rated', conv.id); } catch (x) { /* private mode */ }
    $('rating').hidden = true;
    $('rated').hidden = false;
  }

  async function restart() {
    wsGen++;
    if (ws) ws.close();
    ws = null;
    shown.clear();
    pending.clear();
    lastSeq = 0; lastId = '';
    $('log').replaceChildren();
    $('rated').hidden = true;
    try { await create(); } catch (e) { setState(t('error.generic', { message: e.message })); return; }
    greet();
    connect();
    $('msg').focus();
  }

  document.addEventListener('DOMContentLoaded', start);
})();
