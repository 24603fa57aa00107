// Cachet dashboard: number, time and size formatting, and a small DOM builder. No dependencies.
'use strict';

window.CachetFormat = (function () {
  const integer = new Intl.NumberFormat('en-US');
  const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

  function count(n) { return n >= 100000 ? compact.format(n) : integer.format(n); }
  function percent(r) { return r === null || r === undefined ? '–' : (r * 100).toFixed(r >= 0.9995 || r === 0 ? 0 : 1) + '%'; }
  function axisMs(v) {
    if (v === 0) return '0';
    return (v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2)).replace(/\.0+$/, '') + ' ms';
  }
  function ms(v) {
    if (v === null || v === undefined) return '–';
    if (v >= 1000) return (v / 1000).toFixed(2) + ' s';
    if (v >= 100) return v.toFixed(0) + ' ms';
    if (v >= 10) return v.toFixed(1) + ' ms';
    return v.toFixed(2) + ' ms';
  }
  function bytes(n) {
    if (n === null || n === undefined) return '–';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    let v = n;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v.toFixed(0) : v.toFixed(1)) + ' ' + units[i];
  }
  function duration(msLeft) {
    if (msLeft === null || msLeft === undefined) return '–';
    const s = Math.round(msLeft / 1000);
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' m ' + (s % 60) + ' s';
    if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' m';
    return Math.floor(s / 86400) + ' d';
  }
  function ago(msAgo) { return msAgo < 1000 ? 'just now' : duration(msAgo) + ' ago'; }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (k === 'text') node.textContent = v;
        else if (k === 'className') node.className = v;
        else node.setAttribute(k, v);
      }
    }
    for (const child of children || []) node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    return node;
  }

  return { count, percent, axisMs, ms, bytes, duration, ago, el };
})();
