// Small hand-written SVG charts. Labels are set as text, never markup.
'use strict';
(function () {
  const A = window.Assist;
  const NS = 'http://www.w3.org/2000/svg';
  function s(tag, attrs, text) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  const fmt = (v) => (Math.round(v * 10) / 10).toString();

  // bars draws vertical bars: items [{label, value, value2?}], with an
  // optional second series drawn as a line (e.g. forecast vs actual).
  // opts: title, height, color, color2, legend [name1, name2].
  A.barChart = function (items, opts) {
    opts = opts || {};
    const w = Math.max(300, items.length * (opts.barWidth || 22) + 50), h = opts.height || 180, left = 36, bottom = 34, top = 10;
    const max = Math.max(1, ...items.map((d) => Math.max(d.value || 0, d.value2 || 0)));
    const svg = s('svg', { viewBox: `0 0 ${w} ${h}`, class: 'chart', role: 'img', 'aria-label': opts.title || '' });
    svg.append(s('title', {}, opts.title || ''));
    const plotW = w - left - 8, plotH = h - top - bottom, bw = plotW / Math.max(1, items.length);
    for (const f of [0, 0.5, 1]) {
      const y = top + plotH * (1 - f);
      svg.append(s('line', { x1: left, x2: w - 8, y1: y, y2: y, class: 'grid' }));
      svg.append(s('text', { x: left - 4, y: y + 4, class: 'axis', 'text-anchor': 'end' }, fmt(max * f)));
    }
    const every = Math.ceil(items.length / 12);
    items.forEach((d, i) => {
      const bh = plotH * (d.value || 0) / max, x = left + i * bw;
      const r = s('rect', { x: x + bw * 0.15, y: top + plotH - bh, width: bw * 0.7, height: Math.max(0, bh), class: 'bar ' + (opts.cls || '') });
      r.append(s('title', {}, d.label + ': ' + fmt(d.value || 0)));
      svg.append(r);
      if (i % every === 0) svg.append(s('text', { x: x + bw / 2, y: h - bottom + 14, class: 'axis', 'text-anchor': 'middle' }, d.label));
    });
    if (items.some((d) => d.value2 !== undefined)) {
      const pts = items.map((d, i) => `${left + i * bw + bw / 2},${top + plotH - plotH * (d.value2 || 0) / max}`).join(' ');
      svg.append(s('polyline', { points: pts, class: 'line' }));
    }
    if (opts.legend) {
      svg.append(s('rect', { x: left, y: h - 14, width: 10, height: 10, class: 'bar ' + (opts.cls || '') }));
      svg.append(s('text', { x: left + 14, y: h - 5, class: 'axis' }, opts.legend[0]));
      if (opts.legend[1]) {
        svg.append(s('line', { x1: left + 120, x2: left + 134, y1: h - 9, y2: h - 9, class: 'line' }));
        svg.append(s('text', { x: left + 138, y: h - 5, class: 'axis' }, opts.legend[1]));
      }
    }
    return svg;
  };

  // hbars draws labelled horizontal bars: items [{label, value, text?}].
  A.hbarChart = function (items, opts) {
    opts = opts || {};
    const row = 22, w = 360, labelW = 130, h = Math.max(1, items.length) * row + 6;
    const max = Math.max(1, ...items.map((d) => d.value || 0));
    const svg = s('svg', { viewBox: `0 0 ${w} ${h}`, class: 'chart', role: 'img', 'aria-label': opts.title || '' });
    svg.append(s('title', {}, opts.title || ''));
    items.forEach((d, i) => {
      const y = 3 + i * row, bw = (w - labelW - 50) * (d.value || 0) / max;
      svg.append(s('text', { x: labelW - 6, y: y + 15, class: 'axis', 'text-anchor': 'end' }, d.label.length > 20 ? d.label.slice(0, 19) + '…' : d.label));
      svg.append(s('rect', { x: labelW, y: y + 3, width: Math.max(1, bw), height: row - 8, class: 'bar ' + (opts.cls || '') }));
      svg.append(s('text', { x: labelW + bw + 5, y: y + 15, class: 'axis' }, d.text !== undefined ? d.text : fmt(d.value || 0)));
    });
    return svg;
  };
})();
