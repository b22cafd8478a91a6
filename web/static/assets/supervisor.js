// The supervisor view: queues, agents and SLA warnings live; the service's
// numbers over a chosen period from GET /v1/analytics, as charts.
'use strict';
(function () {
  const A = window.Assist, t = A.t, el = A.el;
  const $ = (id) => document.getElementById(id);
  let users = {}, report = null, extras = {}, liveTimer = 0;

  A.staffStart(['supervisor', 'admin'], run);

  async function run() {
    await A.loadIntents();
    const today = new Date();
    setPeriod(7, today);
    for (const b of document.querySelectorAll('#period button[data-days]')) b.addEventListener('click', () => { setPeriod(Number(b.dataset.days), new Date()); load(); });
    $('period').addEventListener('submit', (e) => { e.preventDefault(); load(); });
    A.onLang(() => { renderLive(); render(); });
    try { users = Object.fromEntries((await A.api('GET', '/v1/users')).users.map((u) => [u.id, u.name || u.email])); } catch (e) { users = {}; }
    stream();
    await Promise.all([loadLive(), load()]);
  }

  const iso = (d) => d.toISOString().slice(0, 10);
  function setPeriod(days, end) {
    $('to').value = iso(end);
    $('from').value = iso(new Date(end.getTime() - (days - 1) * 86400000));
  }

  // Live: queues, agents, SLA --------------------------------------------------

  let live = { queues: [], agents: [], tickets: [] };
  function stream() {
    const es = new EventSource('/v1/agent/events');
    const show = (k) => { $('live').dataset.state = k; $('live').dataset.i18n = 'agent.live.' + k; $('live').textContent = t('agent.live.' + k); };
    show('connecting');
    es.addEventListener('ready', () => show('on'));
    es.onerror = () => show('off');
    for (const type of ['queue', 'presence', 'assigned', 'closed', 'transfer', 'released', 'sla_warning', 'sla_breach', 'offer']) {
      es.addEventListener(type, () => { clearTimeout(liveTimer); liveTimer = setTimeout(loadLive, 300); });
    }
    es.addEventListener('unauthorized', () => location.reload());
  }

  async function loadLive() {
    try {
      const [q, a, tk] = await Promise.all([
        A.api('GET', '/v1/queues?limit=100'),
        A.api('GET', '/v1/agents'),
        A.api('GET', '/v1/tickets?status=new,open,pending&limit=100'),
      ]);
      live = { queues: q.queues, agents: a.agents, tickets: tk.tickets || [] };
      renderLive();
    } catch (e) { $('period-error').textContent = t('error.generic', { message: e.message }); }
  }

  const skill = (k) => (t('skill.' + k) === 'skill.' + k ? k : t('skill.' + k));
  const reason = (k) => (t('reason.' + k) === 'reason.' + k ? k : t('reason.' + k));

  function renderLive() {
    $('queues').replaceChildren(...live.queues.map((q) => {
      const longest = Math.max(0, ...q.entries.map((e) => e.waited_seconds));
      return el('tr', null, el('td', { text: skill(q.skill) }), el('td', { text: String(q.length) }),
        el('td', null, q.length ? el('span', { class: 'badge ' + (longest > 300 ? 'bad' : longest > 60 ? 'warn' : 'ok'), text: A.duration(longest) }) : '—'));
    }));
    if (!live.queues.length) $('queues').append(el('tr', null, el('td', { class: 'muted', text: t('sup.no_queues'), attrs: { colspan: 3 } })));
    $('agents').replaceChildren(...live.agents.map((a) => el('tr', null,
      el('td', { text: users[a.user_id] || a.user_id }),
      el('td', null, el('span', { class: 'badge ' + (a.presence === 'online' ? 'ok' : a.presence === 'away' ? 'warn' : ''), text: t('presence.' + a.presence) })),
      el('td', { text: a.load + ' / ' + a.capacity }))));
    const warn = [];
    for (const tk of live.tickets) {
      for (const s of tk.sla || []) {
        if (s.state !== 'running' && !s.breached) continue;
        const breached = s.breached || s.remaining_seconds <= 0;
        if (!breached && s.remaining_seconds > s.target_seconds * 0.25) continue;
        warn.push({ breached, left: s.remaining_seconds, text: '#' + tk.number + ' ' + t('sla.' + s.metric) + ' · ' +
          (breached ? t('sup.breached', { late: A.duration(-s.remaining_seconds) }) : t('sup.due', { left: A.duration(s.remaining_seconds) })) });
      }
    }
    warn.sort((a, b) => a.left - b.left);
    $('sla').replaceChildren(...(warn.length ? warn.map((w) => el('li', null, el('span', { class: 'badge ' + (w.breached ? 'bad' : 'warn'), text: w.text })))
      : [el('li', { class: 'muted', text: t('sup.sla_ok') })]));
  }

  // Numbers over the period ------------------------------------------------------

  async function load() {
    $('period-error').textContent = '';
    const from = $('from').value, to = $('to').value;
    if (!from || !to || from > to) { $('period-error').textContent = t('sup.bad_period'); return; }
    try {
      report = await A.api('GET', '/v1/analytics?from=' + from + '&to=' + to);
      extras = {};
      if (A.has('get', '/v1/assist/stats')) extras.accept = await A.api('GET', '/v1/assist/stats').catch(() => null);
      if (A.has('get', '/v1/gaps')) extras.gaps = await A.api('GET', '/v1/gaps?status=open&limit=5').catch(() => null);
      render();
    } catch (e) { $('period-error').textContent = t('error.generic', { message: e.message }); }
  }

  const pct = (v) => Math.round(v * 100) + '%';
  function tile(key, value, sub) {
    return el('div', { class: 'tile panel', attrs: { 'data-tile': key } }, el('span', { class: 'tile-label', text: t('sup.t.' + key) }),
      el('span', { class: 'tile-value', text: value }), sub ? el('span', { class: 'muted small', text: sub }) : null);
  }

  function render() {
    const r = report;
    if (!r) return;
    $('tiles').replaceChildren(
      tile('conversations', String(r.conversations)),
      tile('deflection', r.conversations ? pct(r.deflection) : '—', t('sup.deflected', { n: r.deflected })),
      tile('handoffs', String(r.handoffs)),
      tile('first_response', r.first_response.count ? A.duration(r.first_response.median_seconds) : '—', r.first_response.count ? t('sup.p90', { v: A.duration(r.first_response.p90_seconds) }) : ''),
      tile('handling', r.handling.count ? A.duration(r.handling.median_seconds) : '—', r.handling.count ? t('sup.p90', { v: A.duration(r.handling.p90_seconds) }) : ''),
      tile('csat', r.csat.count ? r.csat.average.toFixed(1) + ' / 5' : '—', t('sup.ratings', { n: r.csat.count, s: pct(r.csat.satisfied) })));
    $('c-daily').replaceChildren(A.barChart(r.daily.map((d) => ({ label: d.date.slice(5), value: d.conversations, value2: d.handoffs })),
      { title: t('sup.c.daily'), legend: [t('sup.t.conversations'), t('sup.t.handoffs')] }));
    $('c-reasons').replaceChildren(r.handoffs_by_reason.length ? A.hbarChart(r.handoffs_by_reason.map((c) => ({ label: reason(c.key), value: c.count })), { title: t('sup.c.reasons'), cls: 'warn' }) : empty());
    $('c-csat').replaceChildren(r.csat.count ? A.hbarChart(r.csat.scores.map((n, i) => ({ label: '★'.repeat(i + 1), value: n })), { title: t('sup.c.csat'), cls: 'ok' }) : empty());
    $('c-intents').replaceChildren(r.top_intents.length ? A.hbarChart(r.top_intents.map((c) => ({ label: A.intentName(c.key), value: c.count })), { title: t('sup.c.intents') }) : empty());
    const hour = (iso) => new Date(iso).toLocaleTimeString(A.lang === 'zh' ? 'zh-CN' : 'en-GB', { hour: '2-digit', minute: '2-digit' });
    const fc = r.forecast;
    // Too little history: say so, instead of drawing a guess.
    $('c-forecast').replaceChildren(fc.enough
      ? A.barChart(fc.next.map((h) => ({ label: hour(h.at), value: h.expected })), { title: t('sup.c.forecast'), cls: 'forecast' })
      : el('p', { class: 'muted', attrs: { 'data-forecast': 'not-enough' }, text: t('sup.forecast_not_enough', { hours: fc.history_hours, days: fc.min_history_days }) }));
    $('forecast-note').textContent = !fc.enough ? '' : fc.last_week.length
      ? t('sup.forecast_note', { hours: fc.history_hours, mae: fc.mae.toFixed(2), wape: pct(fc.wape) })
      : t('sup.forecast_no_backtest', { hours: fc.history_hours });
    const lw = r.forecast.last_week;
    $('c-backtest').replaceChildren(lw.length ? A.barChart(lw.map((h) => ({ label: new Date(h.at).toLocaleDateString(A.lang === 'zh' ? 'zh-CN' : 'en-GB', { weekday: 'short' }), value: h.actual || 0, value2: h.expected })),
      { title: t('sup.c.backtest'), barWidth: 4, legend: [t('sup.actual'), t('sup.expected')] }) : empty());
    $('f-accept').hidden = !extras.accept;
    if (extras.accept) {
      const xs = extras.accept.by_source || [];
      $('c-accept').replaceChildren(xs.length ? A.hbarChart(xs.map((x) => ({ label: t('source.' + x.key), value: x.acceptance, text: pct(x.acceptance) + ' (' + x.shown + ')' })), { title: t('sup.c.acceptance'), cls: 'ok' }) : empty());
    }
    $('f-gaps').hidden = !extras.gaps;
    if (extras.gaps) {
      const gs = extras.gaps.clusters || [];
      $('c-gaps').replaceChildren(gs.length ? A.hbarChart(gs.map((g) => ({ label: g.question || (g.questions || [])[0] || '', value: g.size })), { title: t('sup.c.gaps'), cls: 'warn' }) : empty());
    }
  }

  function empty() { return el('p', { class: 'muted', text: t('sup.none') }); }
})();
