// The agent workspace: presence (this page's event stream), the queues
// and the conversations offered to or held by the agent, the live chat,
// the customer's context, tickets with SLA countdowns, transfer and close.
'use strict';
(function () {
  const A = window.Assist, t = A.t, el = A.el;
  const $ = (id) => document.getElementById(id);
  const assistAPI = '/v1/conversations/{id}/assist';
  const assistFeedbackAPI = '/v1/conversations/{id}/assist/feedback';
  const claimAPI = '/v1/conversations/{id}/claim';
  const actionsAPI = '/v1/conversations/{id}/actions';

  let me = null;
  const offers = new Set();
  const unread = new Set(); // held conversations with customer messages not seen
  let queues = [];
  let cur = null; // {id, conv, ws, gen, shown: Map, pending: Map, tickets: []}
  let suggestion = null; // {id, text}: the suggestion put in the reply box
  let slaTimer = 0, refreshTimer = 0, inboxRender = 0;
  // What the inbox shows of a conversation (the conversation fetched once,
  // its messages at every refresh): id -> {conv, first, last, waitingSince}.
  const info = new Map();

  A.staffStart(['agent', 'supervisor', 'admin'], run);

  async function run(who) {
    me = who;
    $('presence-box').hidden = false;
    $('presence').addEventListener('change', () => setPresence($('presence').value));
    $('accept').addEventListener('click', () => action('accept'));
    $('decline').addEventListener('click', () => action('decline'));
    $('claim').addEventListener('click', () => action('claim'));
    $('close').addEventListener('click', () => action('close'));
    $('transfer-open').addEventListener('click', openTransfer);
    $('transfer-cancel').addEventListener('click', () => { $('transfer').hidden = true; });
    $('transfer').addEventListener('submit', transfer);
    $('composer').addEventListener('submit', (e) => { e.preventDefault(); sendReply(); });
    $('reply').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); sendReply(); }
    });
    $('reply').addEventListener('input', typing);
    A.onLang(() => { renderInbox(); if (cur) { renderHead(); renderContext(); } });
    window.addEventListener('pagehide', () => {
      // Leaving the workspace is going offline.
      fetch('/v1/agents/me/presence', { method: 'PUT', keepalive: true, credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-Assist-CSRF': '1' }, body: JSON.stringify({ presence: 'offline' }) });
    });
    await A.loadIntents();
    await setPresence('online');
    stream();
    await refreshInbox();
    slaTimer = setInterval(tickSLA, 1000);
    // Queued customers write without an event to the agent, and waits
    // grow: the inbox is read again every 10 seconds.
    setInterval(refreshInbox, 10000);
  }

  async function setPresence(p) {
    try {
      const st = await A.api('PUT', '/v1/agents/me/presence', { presence: p });
      $('presence').value = st.presence;
      for (const id of st.offered || []) offers.add(id);
    } catch (e) { showError(e); }
  }

  // The event stream: offers, assignments, customer messages, queue
  // changes, SLA warnings, suggestions. EventSource reconnects by itself.
  function stream() {
    const es = new EventSource('/v1/agent/events');
    const live = (k) => { $('live').dataset.state = k; $('live').dataset.i18n = 'agent.live.' + k; $('live').textContent = t('agent.live.' + k); };
    live('connecting');
    es.addEventListener('ready', () => live('on'));
    es.onerror = () => live('off');
    const on = (type, f) => es.addEventListener(type, (ev) => { let d = {}; try { d = JSON.parse(ev.data); } catch (x) { /* keep {} */ } f(d); });
    on('offer', (d) => { offers.add(d.conversation_id); soon(); });
    on('offer_withdrawn', (d) => { offers.delete(d.conversation_id); soon(); });
    on('assigned', (d) => { offers.delete(d.conversation_id); soon(); if (!cur) open(d.conversation_id); });
    on('customer_message', (d) => { if (!cur || d.conversation_id !== cur.id) unread.add(d.conversation_id); soon(); });
    for (const type of ['queue', 'transfer', 'released', 'closed', 'presence']) on(type, (d) => { soon(); if (cur && d.conversation_id === cur.id) refreshConv(); });
    for (const type of ['sla_warning', 'sla_breach']) on(type, () => { if (cur) loadTickets(); });
    on('assist', (d) => { if (cur && d.conversation_id === cur.id) renderSuggestions(d); });
    for (const type of ['unauthorized', 'shutdown', 'lagged']) on(type, () => { es.close(); live('off'); if (type === 'unauthorized') location.reload(); else setTimeout(stream, 2000); });
  }

  function soon() { clearTimeout(refreshTimer); refreshTimer = setTimeout(refreshInbox, 150); }

  // Inbox -------------------------------------------------------------------

  let mine = [];
  async function refreshInbox() {
    try {
      const [c, q] = await Promise.all([
        A.api('GET', '/v1/conversations?owner=agent&assignee_id=' + encodeURIComponent(me.user_id) + '&limit=50'),
        A.api('GET', '/v1/queues?limit=50'),
      ]);
      mine = c.conversations;
      queues = q.queues;
      renderInbox();
      const ids = new Set([...mine.map((x) => x.id), ...offers, ...queues.flatMap((x) => x.entries.map((e) => e.conversation_id))]);
      await Promise.all([...ids].map(learn));
      renderInbox();
    } catch (e) { showError(e); }
  }

  // learn fetches what the inbox shows of a conversation: the customer's
  // name, language and reason, their first and last messages, and since
  // when they wait for an answer.
  async function learn(id) {
    const had = info.get(id);
    try {
      const [conv, ms, st] = await Promise.all([
        had ? Promise.resolve(had.conv) : A.api('GET', '/v1/conversations/' + id),
        A.api('GET', '/v1/conversations/' + id + '/messages?limit=500'),
        // The language the bot found, until it is known.
        had && had.lang ? Promise.resolve(null) : A.api('GET', '/v1/conversations/' + id + '/state').catch(() => null),
      ]);
      const lang = (had && had.lang) || conv.lang || (st && st.state && st.state.lang) || '';
      const reason = (had && had.reason) || (st && st.state && st.state.escalation && st.state.escalation.reason) || '';
      const said = ms.messages.filter((m) => m.author === 'customer');
      let waitingSince = null, seq = 0;
      for (const m of ms.messages) {
        seq = Math.max(seq, m.seq || 0);
        if (m.author === 'customer') { if (!waitingSince) waitingSince = m.created_at; } else if (m.author === 'agent') waitingSince = null;
      }
      // A live message newer than this fetch (an agent's answer) already
      // moved the item on: an older list does not undo it.
      const cur = info.get(id);
      if (cur && (cur.seq || 0) > seq) { info.set(id, { ...cur, conv, lang, reason }); return; }
      info.set(id, { conv, lang, reason, first: said[0], last: said[said.length - 1], waitingSince, seq });
    } catch (e) { /* the item shows what it has */ }
  }

  // customerName names a conversation's customer: the shop's name for a
  // signed-in customer, else their account, else "Visitor".
  function customerName(conv) {
    if (!conv) return '';
    return conv.customer_name || conv.customer_ref || t('agent.visitor');
  }

  function langName(l) { return !l ? '' : t('agent.lang.' + l) === 'agent.lang.' + l ? l : t('agent.lang.' + l); }

  const clip = (s, n) => { s = String(s || '').replace(/\s+/g, ' ').trim(); return s.length > n ? s.slice(0, n - 1) + '…' : s; };

  // convButton is one inbox item: who, language, reason, how long they
  // have waited, and what they wrote first (and last).
  function convButton(id, { pos, reason, sentiment, waited, badge } = {}) {
    const i = info.get(id) || {}, conv = i.conv;
    const wait = typeof waited === 'number' ? waited : i.waitingSince ? (Date.now() - Date.parse(i.waitingSince)) / 1000 : null;
    const lang = i.lang;
    const head = el('span', { class: 'who-line' },
      pos ? el('span', { class: 'muted', text: '#' + pos + ' ' }) : null,
      el('strong', { class: 'name', text: conv ? customerName(conv) : short(id) }),
      lang ? el('span', { class: 'badge lang', text: langName(lang) }) : null);
    const meta = el('span', { class: 'meta' }, reasonBadge(reason || i.reason), ' ', sentimentBadge(sentiment), ' ',
      wait !== null ? el('span', { class: 'muted wait', text: t('agent.waiting', { wait: A.duration(wait) }) }) : null, ' ', badge || null);
    let said = null;
    if (i.first) {
      const first = clip(i.first.text, 50), last = i.last && i.last.id !== i.first.id ? clip(i.last.text, 50) : '';
      said = el('span', { class: 'snippet small', text: '“' + first + '”' + (last ? ' … “' + last + '”' : '') });
    }
    return el('li', null, el('button', { class: 'item' + (cur && cur.id === id ? ' current' : ''), attrs: { type: 'button', 'data-conv': id, 'aria-current': cur && cur.id === id ? 'true' : null },
      on: { click: () => open(id) } }, head, meta, said));
  }

  function renderInbox() {
    $('mine').replaceChildren(...(mine.length ? mine.map((c) => convButton(c.id, {
      badge: unread.has(c.id) ? el('span', { class: 'badge warn', text: t('agent.unread') }) : null }))
      : [el('li', { class: 'muted', text: t('agent.none') })]));
    $('offers').replaceChildren(...(offers.size ? [...offers].map((id) => convButton(id, { badge: el('span', { class: 'badge warn', text: t('agent.offered') }) }))
      : [el('li', { class: 'muted', text: t('agent.none') })]));
    $('queues').replaceChildren(...queues.map((q) => el('div', { class: 'queue' },
      el('h3', null, t('skill.' + q.skill) === 'skill.' + q.skill ? q.skill : t('skill.' + q.skill), ' ', el('span', { class: 'badge', text: String(q.length) })),
      el('ul', { class: 'list' }, ...q.entries.map((e) => convButton(e.conversation_id, { pos: e.position, reason: e.reason, sentiment: e.sentiment, waited: e.waited_seconds }))))));
    if (!queues.length) $('queues').append(el('p', { class: 'muted', text: t('agent.no_queues') }));
  }

  const short = (id) => '…' + String(id).slice(-6);
  function reasonBadge(r) { return r ? el('span', { class: 'badge', text: t('reason.' + r) === 'reason.' + r ? r : t('reason.' + r) }) : null; }
  function sentimentBadge(v) {
    if (typeof v !== 'number') return null;
    const cls = v <= -0.5 ? 'bad' : v < 0 ? 'warn' : 'ok';
    return el('span', { class: 'badge ' + cls, text: t('agent.sentiment_value', { v: v.toFixed(2) }) });
  }

  // One conversation ----------------------------------------------------------

  async function open(id) {
    if (cur) { cur.gen++; if (cur.ws) cur.ws.close(); }
    unread.delete(id);
    cur = { id, conv: null, ws: null, gen: 1, shown: new Map(), pending: new Map(), lastId: '', tickets: [], state: null, summary: '', earlier: [] };
    suggestion = null;
    $('action-result').replaceChildren();
    $('next-steps').replaceChildren();
    $('suggestions-panel').hidden = true;
    $('empty').hidden = true;
    $('conv').hidden = false;
    $('context').hidden = false;
    $('transfer').hidden = true;
    $('log').replaceChildren();
    $('conv-error').textContent = '';
    $('reply').value = '';
    renderInbox();
    await refreshConv();
    connect(cur);
    loadContext();
  }

  async function refreshConv() {
    const c = cur;
    try {
      c.conv = await A.api('GET', '/v1/conversations/' + c.id);
    } catch (e) { showError(e); return; }
    if (c !== cur) return;
    renderHead();
  }

  function mineNow() { return cur && cur.conv && cur.conv.owner === 'agent' && cur.conv.assignee_id === me.user_id; }

  function renderHead() {
    const c = cur.conv;
    if (!c) return;
    $('conv-title').replaceChildren(t('agent.conversation_with', { name: customerName(c) }), ' ',
      el('span', { class: 'muted small', text: [langName(c.lang || (info.get(c.id) || {}).lang || (cur.state && cur.state.lang)), short(c.id)].filter(Boolean).join(' · ') }));
    $('conv-owner').textContent = t('owner.' + c.owner);
    const offered = offers.has(c.id);
    $('accept').hidden = !offered;
    $('decline').hidden = !offered;
    $('claim').hidden = offered || c.owner !== 'queue' || !A.has('post', claimAPI);
    $('transfer-open').hidden = !mineNow();
    $('close').hidden = !mineNow();
    $('reply').disabled = !mineNow();
    $('send').disabled = !mineNow();
  }

  function connect(c) {
    const gen = c.gen;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const s = new WebSocket(proto + '//' + location.host + '/v1/conversations/' + encodeURIComponent(c.id) + '/ws' + (c.lastId ? '?last_id=' + encodeURIComponent(c.lastId) : ''));
    c.ws = s;
    s.onopen = () => { for (const k of c.pending.keys()) transmit(c, k); };
    s.onmessage = (ev) => {
      if (gen !== c.gen) return;
      const f = JSON.parse(ev.data);
      if (f.type === 'message' || (f.type === 'ack' && f.message)) addMessage(c, f.message);
      else if (f.type === 'status') { if (c.conv && c.conv.owner !== f.owner) refreshConv(); }
      else if (f.type === 'typing' && f.author === 'customer') showTyping();
      else if (f.type === 'error') {
        if (f.idempotency_key && c.pending.has(f.idempotency_key)) { c.pending.get(f.idempotency_key).li.classList.add('failed'); c.pending.get(f.idempotency_key).li.querySelector('.note').textContent = t('chat.failed', { message: f.error.message }); }
        else if (f.error) $('conv-error').textContent = f.error.message;
      }
    };
    s.onclose = () => { if (gen === c.gen && c === cur) setTimeout(() => { if (gen === c.gen && c === cur) connect(c); }, 1000); };
  }

  function addMessage(c, m) {
    if (c.shown.has(m.id)) return;
    if (m.seq > (c.lastSeq || 0)) { c.lastSeq = m.seq; c.lastId = m.id; }
    if (m.idempotency_key && c.pending.has(m.idempotency_key)) { c.pending.get(m.idempotency_key).li.remove(); c.pending.delete(m.idempotency_key); }
    if (m.author === 'customer') $('typing').hidden = true;
    // The inbox item follows the open conversation: waiting until an agent answers.
    const i = info.get(c.id);
    if (i && (m.author === 'customer' || m.author === 'agent')) {
      i.seq = Math.max(i.seq || 0, m.seq || 0);
      if (m.author === 'agent') i.waitingSince = null;
      else { if (!i.waitingSince) i.waitingSince = m.created_at; if (!i.first) i.first = m; i.last = m; }
      clearTimeout(inboxRender);
      inboxRender = setTimeout(renderInbox, 200);
    }
    const li = el('li', { class: 'msg msg-' + m.author + (m.author === 'agent' ? ' mine' : ''), attrs: { 'data-id': m.id, 'data-author': m.author } },
      el('span', { class: 'who' }, whoLabel(m.author), ' · ' + A.time(m.created_at)),
      el('div', { class: 'text', text: m.text }));
    const at = m.attachments || {};
    for (const card of at.cards || []) li.append(A.card(card));
    if (at.choices && at.choices.length) li.append(el('div', { class: 'muted small', text: at.choices.map((x) => x.label).join(' · ') }));
    c.shown.set(m.id, li);
    $('log').insertBefore(li, $('log').querySelector('li.pending'));
    li.scrollIntoView({ block: 'end' });
    if (m.author === 'customer' && A.has('get', assistAPI) && mineNow()) loadSuggestions();
  }

  // whoLabel names a message's author in the page's language (kept in
  // step by the language menu through data-i18n).
  function whoLabel(author) {
    const key = { customer: 'agent.customer', bot: 'chat.bot', agent: 'chat.agent', system: 'chat.system' }[author] || 'chat.system';
    return el('span', { attrs: { 'data-i18n': key }, text: t(key) });
  }

  function sendReply() {
    const text = $('reply').value.trim();
    if (!text || !cur || !mineNow()) return;
    const c = cur;
    const key = A.newKey();
    const li = el('li', { class: 'msg msg-agent mine pending', attrs: { 'data-author': 'agent' } },
      el('span', { class: 'who' }, whoLabel('agent')), el('div', { class: 'text', text }), el('span', { class: 'note', text: t('chat.sending') }));
    $('log').append(li);
    c.pending.set(key, { text, li });
    if (suggestion && A.has('post', assistFeedbackAPI)) {
      const action = text === suggestion.text.trim() ? 'sent' : 'edited';
      A.api('POST', '/v1/conversations/' + c.id + '/assist/feedback', { suggestion_id: suggestion.id, action }).catch(() => {});
    }
    suggestion = null;
    $('reply').value = '';
    transmit(c, key);
  }

  function transmit(c, key) {
    const p = c.pending.get(key);
    if (p && c.ws && c.ws.readyState === WebSocket.OPEN) c.ws.send(JSON.stringify({ type: 'message', text: p.text, idempotency_key: key }));
  }

  let lastTyping = 0, typingTimer = 0;
  function typing() {
    if (cur && cur.ws && cur.ws.readyState === WebSocket.OPEN && Date.now() - lastTyping > 3000) {
      lastTyping = Date.now();
      cur.ws.send(JSON.stringify({ type: 'typing' }));
    }
  }
  function showTyping() {
    $('typing').textContent = t('agent.customer_typing');
    $('typing').hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => { $('typing').hidden = true; }, 6000);
  }

  async function action(kind) {
    const c = cur;
    try {
      await A.api('POST', '/v1/conversations/' + c.id + '/' + kind);
      offers.delete(c.id);
      if (kind === 'decline' || kind === 'close') { closeView(); } else { await refreshConv(); loadContext(); }
      refreshInbox();
    } catch (e) { showError(e); }
  }

  function closeView() {
    if (cur) { cur.gen++; if (cur.ws) cur.ws.close(); }
    cur = null;
    $('conv').hidden = true;
    $('context').hidden = true;
    $('empty').hidden = false;
  }

  async function openTransfer() {
    // Every skill queue of the shop (GET /v1/skills), not only the agent's own.
    let skills = queues.map((q) => q.skill);
    if (A.has('get', '/v1/skills')) {
      try { skills = (await A.api('GET', '/v1/skills')).skills.map((x) => x.skill); } catch (e) { /* the agent's own queues */ }
    }
    $('transfer-skill').replaceChildren(...[...new Set(skills)].map((s) => el('option', { attrs: { value: s }, text: t('skill.' + s) === 'skill.' + s ? s : t('skill.' + s) })));
    $('transfer').hidden = false;
    $('transfer-skill').focus();
  }

  async function transfer(e) {
    e.preventDefault();
    const c = cur, note = $('transfer-note').value.trim(), skill = $('transfer-skill').value;
    if (!skill) return;
    try {
      // The server keeps the note for the next agent: on the transfer's
      // routing decision and as an internal note on the conversation's ticket.
      await A.api('POST', '/v1/conversations/' + c.id + '/transfer', note ? { skill, note } : { skill });
      $('transfer-note').value = '';
      closeView();
      refreshInbox();
    } catch (x) { showError(x); }
  }

  function showError(e) {
    const p = $('conv-error');
    // A rule of the service (at capacity, already taken) is said as it
    // is; anything else is an error.
    if (p) p.textContent = e.code === 'conflict' ? e.message : t('error.generic', { message: e.message });
  }

  // Context: the customer, the hand-off summary, tickets, suggestions -------
  // summaryBody is a hand-off summary without its title line: the panel
  // has the heading already. The title is in the customer's language, which
  // need not be the page's; a note that is not a summary is shown whole.
  function summaryBody(text) {
    const [first, ...rest] = String(text || '').split('\n');
    const titles = Object.values(window.AssistStrings || {}).map((d) => d['agent.summary']);
    return titles.includes(first.trim()) ? rest.join('\n') : String(text || '');
  }


  async function loadContext() {
    const c = cur;
    const [st, tk] = await Promise.all([
      A.api('GET', '/v1/conversations/' + c.id + '/state').catch(() => null),
      A.api('GET', '/v1/tickets?conversation_id=' + encodeURIComponent(c.id)).catch(() => ({ tickets: [] })),
    ]);
    if (c !== cur) return;
    c.state = st && st.state;
    c.tickets = tk.tickets || [];
    c.summary = '';
    c.notes = [];
    if (c.tickets[0]) {
      try {
        // The first internal note is the bot's hand-off summary; the
        // others are agents' notes (a transfer's note for the next agent).
        const full = await A.api('GET', '/v1/tickets/' + c.tickets[0].id);
        const internal = (full.comments || []).filter((x) => x.internal);
        c.summary = internal[0] ? internal[0].body : '';
        c.notes = internal.slice(1);
      } catch (e) { /* no summary */ }
    }
    c.earlier = [];
    const ref = c.conv && c.conv.customer_ref;
    if (ref) {
      try {
        const et = await A.api('GET', '/v1/tickets?requester_id=' + encodeURIComponent(ref) + '&limit=10');
        c.earlier = (et.tickets || []).filter((x) => x.conversation_id !== c.id);
      } catch (e) { /* none */ }
    }
    // A signed-in customer's orders and membership, from the shop, once
    // the conversation is the agent's.
    c.orders = null; c.member = null;
    if (ref && mineNow() && A.has('post', actionsAPI)) {
      const call = (name) => A.api('POST', '/v1/conversations/' + c.id + '/actions', { name }).catch(() => null);
      const [orders, member] = await Promise.all([call('list_orders'), call('get_member')]);
      c.orders = orders && orders.data && Array.isArray(orders.data.orders) ? orders.data.orders : null;
      c.member = member && member.data ? member.data : null;
    }
    if (c !== cur) return;
    renderContext();
    if (A.has('get', assistAPI) && mineNow()) loadSuggestions();
  }

  async function loadTickets() {
    const c = cur;
    try {
      const tk = await A.api('GET', '/v1/tickets?conversation_id=' + encodeURIComponent(c.id));
      if (c === cur) { c.tickets = tk.tickets || []; renderContext(); }
    } catch (e) { /* keep */ }
  }

  function renderContext() {
    const c = cur, st = c.state || {}, conv = c.conv || {};
    const facts = [];
    const fact = (k, v) => { if (v !== undefined && v !== null && v !== '') facts.push(el('dt', { text: t(k) }), el('dd', null, v)); };
    const m = c.member || {};
    fact('agent.f.name', m.name || conv.customer_name || (conv.customer_ref ? '' : t('agent.visitor')));
    fact('agent.f.account', conv.customer_ref || t('agent.anonymous'));
    fact('agent.f.tier', m['tier_text_' + A.lang] || m.tier || st.tier);
    if (c.orders) {
      fact('agent.f.orders', c.orders.length ? el('ul', { class: 'orders' }, ...c.orders.map((o) => el('li', null,
        el('strong', { text: o.order_id || '' }), ' ', el('span', { class: 'muted', text: [o.created_at, o.total, o['status_text_' + A.lang] || o.status].filter(Boolean).join(' · ') }),
        el('div', { class: 'small', text: o['items_' + A.lang] || o.items || '' })))) : t('agent.none'));
    }
    fact('agent.f.lang', langName(st.lang || conv.lang));
    if (st.sentiment && st.sentiment.messages) fact('agent.f.sentiment', el('span', null, sentimentBadge(st.sentiment.ewma), ' ', t('agent.anger', { v: Math.round(st.sentiment.max_anger * 100) })));
    if (st.intents && st.intents.length) fact('agent.f.intents', [...new Set(st.intents.map((i) => i.label || i.intent || '').filter(Boolean))].map(A.intentName).join(', '));
    for (const [k, v] of Object.entries(st.entities || {})) fact('agent.f.entity', (t('entity.' + k) === 'entity.' + k ? k : t('entity.' + k)) + ': ' + v);
    if (st.escalation) fact('agent.f.reason', t('reason.' + st.escalation.reason) === 'reason.' + st.escalation.reason ? st.escalation.reason : t('reason.' + st.escalation.reason));
    $('customer').replaceChildren(...facts);
    $('summary').textContent = summaryBody(c.summary) || t('agent.no_summary');
    const notes = c.notes || [];
    $('notes-title').hidden = !notes.length;
    $('notes').replaceChildren(...notes.map((n) => el('li', { class: 'note' }, el('span', { class: 'muted small', text: A.time(n.created_at) + ' ' }), el('span', { text: n.body }))));
    const items = c.tickets.map((tk) => ticketItem(tk, true)).concat(c.earlier.map((tk) => ticketItem(tk, false)));
    $('tickets').replaceChildren(...(items.length ? items : [el('li', { class: 'muted', text: t('agent.no_tickets') })]));
    tickSLA();
  }

  function ticketItem(tk, current) {
    const li = el('li', { class: 'ticket' },
      el('div', null, el('strong', { text: '#' + tk.number + ' ' }), el('span', { text: tk.subject }), ' ',
        el('span', { class: 'badge', text: t('status.' + tk.status) === 'status.' + tk.status ? tk.status : t('status.' + tk.status) }),
        current ? null : el('span', { class: 'muted', text: ' · ' + t('agent.earlier') })));
    if (current) {
      const now = Date.now();
      for (const s of tk.sla || []) {
        if (s.state === 'met') continue;
        li.append(el('div', { class: 'sla', attrs: { 'data-metric': s.metric, 'data-state': s.state, 'data-due': String(now + s.remaining_seconds * 1000), 'data-target': String(s.target_seconds), 'data-breached': String(s.breached) } }));
      }
    }
    return li;
  }

  // tickSLA counts the running SLA timers down every second.
  function tickSLA() {
    for (const d of document.querySelectorAll('.sla')) {
      const left = (Number(d.dataset.due) - Date.now()) / 1000;
      const running = d.dataset.state === 'running';
      const breached = d.dataset.breached === 'true' || (running && left <= 0);
      const label = t('sla.' + d.dataset.metric);
      d.textContent = breached ? t('agent.sla_breached', { what: label, late: A.duration(-left) })
        : running ? t('agent.sla_left', { what: label, left: A.duration(left) }) : t('agent.sla_paused', { what: label });
      d.className = 'sla badge ' + (breached ? 'bad' : running && left < Number(d.dataset.target) * 0.25 ? 'warn' : 'ok');
    }
  }

  async function loadSuggestions() {
    const c = cur;
    try {
      const a = await A.api('GET', '/v1/conversations/' + c.id + '/assist');
      if (c === cur) renderSuggestions(a);
    } catch (e) { /* the panel stays as it was */ }
  }

  // sourceBadge names where a suggestion comes from in the page's language
  // (kept in step by the language menu through data-i18n).
  function sourceBadge(source) {
    const key = 'source.' + source;
    return el('span', { class: 'badge', attrs: { 'data-i18n': key }, text: t(key) });
  }

  function renderSuggestions(a) {
    // The event stream and GET .../assist may answer out of order: an
    // older set never replaces a newer one.
    const at = Date.parse(a.at) || 0;
    if (cur.assistAt && at < cur.assistAt) return;
    cur.assistAt = at;
    $('suggestions-panel').hidden = false;
    const alert = $('alert');
    alert.hidden = !a.alert;
    if (a.alert) { alert.textContent = a.alert.text || t('reason.' + a.alert.reason); alert.className = 'badge ' + (a.alert.level === 'critical' ? 'bad' : 'warn'); }
    // The customer message the suggestions answer.
    $('suggestions').dataset.for = a.message_id || '';
    $('suggestions').replaceChildren(...(a.suggestions || []).map((s) => el('li', null,
      el('button', { class: 'suggestion', attrs: { type: 'button', 'data-source': s.source },
        on: { click: () => { suggestion = { id: s.id, text: s.text }; $('reply').value = s.text; $('reply').focus(); } } },
        sourceBadge(s.source), ' ', el('span', { class: 'text', text: s.text }),
        s.citation ? el('span', { class: 'muted', text: ' [' + s.citation.n + '] ' + (s.citation.title || '') }) : null))));
    if (!(a.suggestions || []).length) $('suggestions').append(el('li', { class: 'muted', attrs: { 'data-i18n': 'agent.no_suggestions' }, text: t('agent.no_suggestions') }));
    $('knowledge').replaceChildren(...(a.knowledge || []).map((k) => el('details', { class: 'knowledge' }, el('summary', { text: k.title || k.doc }), el('p', { text: k.passage }))));
    if (a.summary && a.summary.text) $('summary').textContent = summaryBody(a.summary.text);
    // Next steps; those naming a shop action run it when the API exists.
    const runnable = A.has('post', actionsAPI);
    $('next-steps').replaceChildren(...(a.next_steps || []).map((st) => el('li', null,
      st.action && runnable
        ? el('button', { class: 'secondary', text: st.label, attrs: { type: 'button' }, on: { click: () => runAction(st.action) } })
        : el('span', { class: 'muted', text: '→ ' + st.label }))));
  }

  async function runAction(action) {
    const c = cur, out = $('action-result');
    try {
      const r = await A.api('POST', '/v1/conversations/' + c.id + '/actions', action);
      if (c !== cur) return;
      const rows = [el('dt', { text: t('agent.action_status') }), el('dd', { text: String(r.status) })];
      for (const [k, v] of Object.entries(r.data || {})) rows.push(el('dt', { text: k }), el('dd', { text: typeof v === 'object' ? JSON.stringify(v) : String(v) }));
      out.replaceChildren(...rows);
    } catch (e) { showError(e); }
  }
})();
