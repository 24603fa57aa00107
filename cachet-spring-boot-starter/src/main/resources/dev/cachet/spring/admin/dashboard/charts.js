// Cachet dashboard: line charts drawn as inline SVG. No dependencies.
'use strict';

window.CachetCharts = (function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const WINDOW_MS = 5 * 60 * 1000;
  const MIN_SPAN_MS = 30 * 1000;

  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  function niceMax(v) {
    if (!(v > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
    return 10 * p;
  }

  function drawChart(container, now, series, opts) {
    const width = Math.max(200, container.clientWidth);
    const height = Math.max(120, container.clientHeight);
    const pad = { left: 56, right: 10, top: 8, bottom: 22 };
    const w = width - pad.left - pad.right;
    const h = height - pad.top - pad.bottom;
    // The window grows with the history, up to five minutes, so that a fresh page is not empty.
    let first = now;
    for (const s of series) if (s.points.length && s.points[0].t < first) first = s.points[0].t;
    const span = Math.min(WINDOW_MS, Math.max(MIN_SPAN_MS, now - first));
    const from = now - span;
    let top = opts.max;
    if (top === undefined) {
      let seen = 0;
      for (const s of series) for (const p of s.points) if (p.v !== null && p.v > seen) seen = p.v;
      top = niceMax(seen * 1.1);
    }
    const x = (t) => pad.left + ((t - from) / span) * w;
    const y = (v) => pad.top + h - (Math.min(v, top) / top) * h;

    const root = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img' });
    for (let i = 0; i <= 4; i++) {
      const v = (top * i) / 4;
      root.appendChild(svg('line', { x1: pad.left, x2: pad.left + w, y1: y(v), y2: y(v), class: 'grid-line' }));
      const label = svg('text', { x: pad.left - 8, y: y(v) + 4, 'text-anchor': 'end', class: 'axis-label' });
      label.textContent = opts.format(v);
      root.appendChild(label);
    }
    const step = [5, 10, 15, 30, 60, 120].map((v) => v * 1000).find((v) => span / v <= 6) || 60000;
    for (let back = 0; back <= span; back += step) {
      const label = svg('text', { x: x(now - back), y: height - 4, 'text-anchor': back === 0 ? 'end' : 'middle', class: 'axis-label' });
      label.textContent = back === 0 ? 'now' : '-' + (back >= 60000 && back % 60000 === 0 ? back / 60000 + 'm' : back / 1000 + 's');
      root.appendChild(label);
    }
    let any = false;
    for (const s of series) {
      for (const run of runs(s.points)) {
        any = true;
        const d = run.map((p, i) => (i ? 'L' : 'M') + x(p.t).toFixed(1) + ' ' + y(p.v).toFixed(1)).join(' ');
        if (s.area) {
          const area = d + ' L' + x(run[run.length - 1].t).toFixed(1) + ' ' + y(0) + ' L' + x(run[0].t).toFixed(1) + ' ' + y(0) + ' Z';
          const fill = svg('path', { d: area, 'fill-opacity': '0.10', stroke: 'none' });
          fill.style.fill = s.color;
          root.appendChild(fill);
        }
        const line = svg('path', { d: d, fill: 'none', 'stroke-width': s.dashed ? '1.5' : '2', 'stroke-linejoin': 'round', 'stroke-linecap': 'round' });
        line.style.stroke = s.color;
        if (s.dashed) line.setAttribute('stroke-dasharray', '4 4');
        root.appendChild(line);
        if (run.length === 1) {
          const dot = svg('circle', { cx: x(run[0].t), cy: y(run[0].v), r: 2.5 });
          dot.style.fill = s.color;
          root.appendChild(dot);
        }
      }
    }
    if (!any) {
      const empty = svg('text', { x: pad.left + w / 2, y: pad.top + h / 2, 'text-anchor': 'middle', class: 'empty' });
      empty.textContent = opts.empty;
      root.appendChild(empty);
    }
    container.replaceChildren(root);
  }

  /** Consecutive known points: a gap (no traffic) breaks the line. */
  function runs(points) {
    const out = [];
    let current = [];
    for (const p of points) {
      if (p.v === null || p.v === undefined) {
        if (current.length) out.push(current);
        current = [];
      } else {
        current.push(p);
      }
    }
    if (current.length) out.push(current);
    return out;
  }

  return { draw: drawChart, WINDOW_MS };
})();
