// The knowledge console: documents (upload with progress, list, delete,
// re-index), a try-it box, and, once their APIs exist, the gap report's
// review, macros and the eval reports.
'use strict';
(function () {
  const A = window.Assist, t = A.t, el = A.el;
  const $ = (id) => document.getElementById(id);
  const gapsAPI = '/v1/gaps', macrosAPI = '/v1/macros', evalsAPI = '/v1/eval/reports';
  let me = null;

  A.staffStart(['knowledge_manager', 'supervisor', 'admin'], run);

  const kb = () => $('kb').value.trim() || 'help';
  const kbPath = (rest) => '/v1/kb/' + encodeURIComponent(kb()) + rest;
  const manager = () => me.role === 'knowledge_manager' || me.role === 'admin';
  function fail(e) { $('error').textContent = t('error.generic', { message: e.message }); }

  async function run(who) {
    me = who;
    // Documents are the knowledge managers'; supervisors review gaps and read reports.
    $('docs').hidden = !manager();
    $('upload').addEventListener('submit', upload);
    $('reindex').addEventListener('click', reindex);
    $('ask').addEventListener('submit', ask);
    $('kb').addEventListener('change', loadDocs);
    $('gaps').hidden = $('nav-gaps').hidden = !A.has('get', gapsAPI);
    $('macros').hidden = $('nav-macros').hidden = !A.has('get', macrosAPI);
    $('evals').hidden = $('nav-evals').hidden = !A.has('get', evalsAPI);
    $('gap-status').addEventListener('change', loadGaps);
    $('macro-form').addEventListener('submit', saveMacro);
    $('macro-form').addEventListener('reset', () => { $('macro-id').value = ''; });
    A.onLang(() => { loadDocs(); loadEvals(); });
    await Promise.all([loadDocs(), loadGaps(), loadMacros(), loadEvals()]);
  }

  // Documents -------------------------------------------------------------

  async function loadDocs() {
    if (!manager()) return;
    try {
      const r = await A.api('GET', kbPath('/documents'));
      $('doclist').replaceChildren(...(r.documents.length ? r.documents.map(docRow) : [el('tr', null, el('td', { class: 'muted', text: t('kb.no_docs'), attrs: { colspan: 6 } }))]));
    } catch (e) { fail(e); }
  }

  function docRow(d) {
    return el('tr', { attrs: { 'data-doc': d.doc } },
      el('td', { text: d.title || d.doc }), el('td', { class: 'muted small', text: d.doc }), el('td', { text: d.lang }),
      el('td', { text: String(d.chunks) }), el('td', { class: 'small', text: new Date(d.updated_at).toLocaleString(A.lang === 'zh' ? 'zh-CN' : 'en-GB') }),
      el('td', null, deleteButton(d.title || d.doc, async () => {
        await A.api('DELETE', kbPath('/documents/' + d.doc.split('/').map(encodeURIComponent).join('/')));
        loadDocs();
      })));
  }

  // deleteButton asks again on the button itself before deleting.
  function deleteButton(name, del) {
    const b = el('button', { class: 'danger', text: t('kb.delete'), attrs: { type: 'button', 'aria-label': t('kb.delete_doc', { doc: name }) } });
    let armed = false;
    b.addEventListener('click', async () => {
      if (!armed) {
        armed = true;
        b.textContent = t('kb.confirm_delete', { doc: name });
        setTimeout(() => { armed = false; b.textContent = t('kb.delete'); }, 5000);
        return;
      }
      try { await del(); } catch (e) { fail(e); }
    });
    return b;
  }

  // upload sends the files with XMLHttpRequest, whose upload events give
  // the progress fetch does not.
  function upload(e) {
    e.preventDefault();
    const files = $('files').files;
    if (!files.length) return;
    const fd = new FormData();
    for (const f of files) fd.append('file', f, f.name);
    const xhr = new XMLHttpRequest();
    const bar = $('progress'), status = $('upload-status');
    bar.hidden = false; bar.value = 0;
    status.textContent = t('kb.uploading');
    xhr.upload.onprogress = (ev) => { if (ev.lengthComputable) bar.value = Math.round(100 * ev.loaded / ev.total); };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (x) { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) {
        bar.value = 100;
        status.textContent = t('kb.uploaded', { docs: body.documents.length, chunks: body.chunks });
        $('files').value = '';
        loadDocs();
      } else {
        status.textContent = t('error.generic', { message: body && body.error ? body.error.message : xhr.statusText });
      }
    };
    xhr.onerror = () => { status.textContent = t('error.generic', { message: t('kb.network') }); };
    xhr.open('POST', kbPath('/documents'));
    xhr.setRequestHeader('X-Assist-CSRF', '1');
    xhr.send(fd);
  }

  async function reindex() {
    $('reindex-status').textContent = t('kb.reindexing');
    try {
      const r = await A.api('POST', kbPath('/reindex'));
      $('reindex-status').textContent = t('kb.reindexed', { docs: r.documents, chunks: r.chunks });
    } catch (e) { $('reindex-status').textContent = ''; fail(e); }
  }

  // Try it ----------------------------------------------------------------

  async function ask(e) {
    e.preventDefault();
    const q = $('question').value.trim();
    if (!q) return;
    const box = $('answer');
    box.replaceChildren(el('p', { class: 'muted', text: t('kb.asking') }));
    try {
      const a = await A.api('POST', kbPath('/ask'), { question: q });
      // The decision as the bot made it, with the threshold it was made
      // against, and the passages found whether it answered or declined.
      const found = a.retrieved || a.sources;
      const cited = new Set(a.sources.map((s) => s.doc + '\n' + s.text));
      const pctOf = (v) => Math.round(v * 100);
      box.replaceChildren(
        el('p', { class: 'decision', attrs: { 'data-known': String(a.known) } },
          el('span', { class: 'badge ' + (a.known ? 'ok' : 'warn'), text: a.known ? t('kb.known') : t('kb.unknown') }), ' ',
          el('span', { text: a.threshold ? t('kb.decision', { v: pctOf(a.confidence), t: pctOf(a.threshold) }) : t('kb.confidence', { v: pctOf(a.confidence) }) })),
        el('div', { class: 'answer-text', text: a.answer }),
        el('h3', { text: t('kb.chunks_found') }),
        found.length ? el('ol', { class: 'chunks' }, ...found.map((s) => el('li', null,
          el('div', null, el('strong', { text: '[' + s.n + '] ' + (s.title || s.doc) }), ' ',
            s.similarity ? el('span', { class: 'badge', text: t('kb.similarity', { v: pctOf(s.similarity) }) }) : null, ' ',
            s.keyword ? el('span', { class: 'badge', text: t('kb.keyword', { v: s.keyword.toFixed(1) }) }) : null, ' ',
            cited.has(s.doc + '\n' + s.text) ? el('span', { class: 'badge ok', text: t('kb.cited') }) : null),
          el('div', { class: 'chunk-text', text: s.text }))))
          : el('p', { class: 'muted', text: t('kb.no_chunks') }));
    } catch (x) { box.replaceChildren(); fail(x); }
  }

  // Gaps --------------------------------------------------------------------

  async function loadGaps() {
    if (!A.has('get', gapsAPI)) return;
    try {
      const r = await A.api('GET', gapsAPI + '?status=' + encodeURIComponent($('gap-status').value) + '&limit=50');
      const items = (r.clusters || []).map(gapItem);
      $('gaplist').replaceChildren(...(items.length ? items : [el('li', { class: 'muted', text: t('kb.no_gaps') })]));
    } catch (e) { fail(e); }
  }

  function gapItem(g) {
    const qs = g.questions || [], replies = g.agent_replies || [];
    const answer = el('textarea', { attrs: { rows: 3, maxlength: 4000, 'aria-label': t('kb.g.answer_for', { q: g.question || qs[0] || '' }) } });
    // Only a proposal that answers the questions is put in the box; the
    // agents' replies are listed beside it to read, not to publish.
    answer.value = g.answer || g.proposed_answer || '';
    const question = el('input', { class: 'grow', attrs: { maxlength: 500, 'aria-label': t('kb.g.question') } });
    question.value = g.question || qs[0] || '';
    const act = (method, path, body) => async () => {
      try { await A.api(method, gapsAPI + '/' + encodeURIComponent(g.id) + path, body); loadGaps(); } catch (e) { fail(e); }
    };
    const editable = g.status === 'open' || g.status === 'accepted';
    return el('li', { class: 'gap panel', attrs: { 'data-gap': g.id } },
      el('h3', { text: g.question || (g.questions || [])[0] || '' }),
      el('div', { class: 'row' }, el('span', { class: 'badge warn', text: g.size === 1 ? t('kb.g.asked_once') : t('kb.g.asked', { n: g.size }) }),
        g.thumbs_down ? el('span', { class: 'badge bad', text: t('kb.g.thumbs', { n: g.thumbs_down }) }) : null,
        g.escalations ? el('span', { class: 'badge', text: t('kb.g.escalated', { n: g.escalations }) }) : null,
        el('span', { class: 'muted small', text: (g.lang || '') + (g.intent ? ' · ' + g.intent : '') })),
      el('label', { class: 'col' }, el('span', { text: t('kb.g.question') }), question),
      qs.length ? el('div', { class: 'gap-questions small' }, el('span', { class: 'muted', text: t('kb.g.questions') }),
        el('ul', { class: 'variants' }, ...qs.map((q) => el('li', { text: q })))) : null,
      el('label', { class: 'col' }, el('span', { text: t('kb.g.answer') }), answer),
      editable && !g.answer ? el('p', { class: 'muted small gap-proposal', text: g.proposed_answer ? t('kb.g.proposed') : t('kb.g.no_proposal') }) : null,
      replies.length ? el('div', { class: 'gap-replies small' }, el('span', { class: 'muted', text: t('kb.g.replies') }),
        el('ul', { class: 'replies' }, ...replies.map((r) => el('li', { class: 'pre', text: r })))) : null,
      editable ? el('div', { class: 'row' },
        el('button', { class: 'secondary', text: t('kb.g.save'), attrs: { type: 'button' }, on: { click: () => act('PATCH', '', { question: question.value.trim(), answer: answer.value.trim() })() } }),
        el('button', { text: t('kb.g.publish'), attrs: { type: 'button' }, on: { click: async () => {
          try {
            await A.api('PATCH', gapsAPI + '/' + encodeURIComponent(g.id), { question: question.value.trim(), answer: answer.value.trim() });
            await A.api('POST', gapsAPI + '/' + encodeURIComponent(g.id) + '/publish');
            loadGaps(); loadDocs();
          } catch (e) { fail(e); }
        } } }),
        el('button', { class: 'danger', text: t('kb.g.dismiss'), attrs: { type: 'button' }, on: { click: act('POST', '/dismiss', {}) } }))
        : el('p', { class: 'muted small', text: t('gap.' + g.status) + (g.published_doc ? ' · ' + g.published_doc : '') }));
  }

  // Macros ------------------------------------------------------------------

  async function loadMacros() {
    if (!A.has('get', macrosAPI)) return;
    try {
      const r = await A.api('GET', macrosAPI);
      const rows = (r.macros || []).map((m) => el('tr', null, el('td', { text: m.title }), el('td', { text: m.lang }), el('td', { text: m.intent || '' }),
        el('td', { class: 'small pre', text: m.text }),
        el('td', null,
          el('button', { class: 'secondary', text: t('kb.m.edit'), attrs: { type: 'button' }, on: { click: () => editMacro(m) } }), ' ',
          deleteButton(m.title, async () => { await A.api('DELETE', macrosAPI + '/' + encodeURIComponent(m.id)); loadMacros(); }))));
      $('macrolist').replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { class: 'muted', text: t('kb.no_macros'), attrs: { colspan: 5 } }))]));
    } catch (e) { fail(e); }
  }

  function editMacro(m) {
    $('macro-id').value = m.id;
    $('macro-title').value = m.title;
    $('macro-lang').value = m.lang;
    $('macro-intent').value = m.intent || '';
    $('macro-text').value = m.text;
    $('macro-title').focus();
  }

  async function saveMacro(e) {
    e.preventDefault();
    const id = $('macro-id').value;
    const body = { title: $('macro-title').value.trim(), lang: $('macro-lang').value, intent: $('macro-intent').value.trim(), text: $('macro-text').value.trim() };
    try {
      if (id) await A.api('PUT', macrosAPI + '/' + encodeURIComponent(id), body);
      else await A.api('POST', macrosAPI, body);
      $('macro-form').reset();
      loadMacros();
    } catch (x) { fail(x); }
  }

  // Eval reports -----------------------------------------------------------

  async function loadEvals() {
    if (!A.has('get', evalsAPI)) return;
    try {
      const r = await A.api('GET', evalsAPI);
      const rows = (r.reports || []).map((x) => el('tr', null,
        el('td', null, el('a', { text: x.title || x.name, attrs: { href: evalsAPI + '/' + encodeURIComponent(x.name), target: '_blank', rel: 'noopener' } })),
        el('td', { text: x.suite }), el('td', { class: 'small', text: x.created }),
        el('td', { class: 'small', text: (x.metrics || []).map((m) => m.name + ' ' + (Math.round(m.value * 1000) / 1000)).join(', ') }),
        el('td', null, el('span', { class: 'badge ' + (x.regressions ? 'bad' : 'ok'), text: String(x.regressions) }))));
      $('evallist').replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { class: 'muted', text: t('kb.no_evals'), attrs: { colspan: 5 } }))]));
    } catch (e) { fail(e); }
  }
})();
