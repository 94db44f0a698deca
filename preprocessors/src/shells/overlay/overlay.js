// The error overlay (see overlay.rs). Problems are text: every one is put in
// the page with textContent, never as markup.
(function () {
  if (window.__responderDocsOverlay) return;
  window.__responderDocsOverlay = true;
  var ID = 'responder-docs-overlay';
  // Fixed colours, not the theme's: the overlay reads the same in every theme.
  var CSS = '#' + ID + '{position:fixed;inset:2rem;z-index:2147483647;overflow:auto;' +
    'background:#fff;color:#1a1a1a;border:3px solid #a40000;border-radius:6px;' +
    'padding:1.5rem;font:16px/1.5 system-ui,sans-serif;box-shadow:0 0 0 100vmax rgba(0,0,0,.5);text-align:left}' +
    '#' + ID + ' h2{margin:0 0 .5rem;color:#a40000;font-size:1.4rem}' +
    '#' + ID + ' ol{padding-left:1.5rem}' +
    '#' + ID + ' li{margin:0 0 1rem}' +
    '#' + ID + ' code,#' + ID + ' pre{font:14px/1.4 ui-monospace,monospace;color:#1a1a1a;background:#f2f2f2}' +
    '#' + ID + ' pre{padding:.5rem;margin:.25rem 0;white-space:pre-wrap;overflow-wrap:anywhere}' +
    '#' + ID + ' .rd-code{color:#a40000;font-weight:bold}' +
    '#' + ID + ' button{font:inherit;color:#fff;background:#a40000;border:0;border-radius:4px;padding:.4rem 1rem;cursor:pointer}' +
    '#' + ID + ' button:focus{outline:3px solid #1a1a1a;outline-offset:2px}';

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function dismiss() {
    var box = document.getElementById(ID);
    if (box) box.remove();
    document.removeEventListener('keydown', onKey, true);
  }

  function onKey(e) {
    if (e.key === 'Escape') { e.preventDefault(); dismiss(); }
  }

  function show(problems) {
    if (!Array.isArray(problems) || problems.length === 0 || document.getElementById(ID)) return;
    var style = el('style');
    style.textContent = CSS;
    document.head.appendChild(style);
    var box = el('div');
    box.id = ID;
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-modal', 'true');
    box.setAttribute('aria-labelledby', ID + '-title');
    box.tabIndex = -1;
    var title = el('h2', 'The book did not build');
    title.id = ID + '-title';
    box.appendChild(title);
    box.appendChild(el('p', problems.length === 1
      ? '1 problem. Fix it and save: the page reloads when the book builds.'
      : problems.length + ' problems. Fix them and save: the page reloads when the book builds.'));
    var list = el('ol');
    problems.forEach(function (p) {
      var item = el('li');
      var head = el('p');
      if (p.at) { head.appendChild(el('code', p.at, 'rd-at')); head.appendChild(document.createTextNode(' ')); }
      head.appendChild(el('span', p.severity + (p.code ? '[' + p.code + ']' : ''), 'rd-code'));
      head.appendChild(document.createTextNode(': ' + p.message));
      item.appendChild(head);
      if (p.line) item.appendChild(el('pre', p.line, 'rd-line'));
      if (p.hint) item.appendChild(el('p', 'help: ' + p.hint, 'rd-hint'));
      list.appendChild(item);
    });
    box.appendChild(list);
    var close = el('button', 'Dismiss (Esc)');
    close.type = 'button';
    close.addEventListener('click', dismiss);
    box.appendChild(close);
    document.body.appendChild(box);
    document.addEventListener('keydown', onKey, true);
    close.focus();
  }

  // Under stock `mdbook serve` each failing pass put its problems in the
  // chapters (the print page holds every chapter's copy); under
  // `responder-docs serve` the server answers with them.
  function start() {
    var inline = document.querySelectorAll('script[type="application/json"].responder-docs-problems');
    if (inline.length) {
      var all = [], seen = {};
      inline.forEach(function (s) {
        var list = [];
        try { list = JSON.parse(s.textContent); } catch (e) { /* not ours */ }
        list.forEach(function (p) {
          var key = JSON.stringify(p);
          if (!seen[key]) { seen[key] = true; all.push(p); }
        });
      });
      show(all);
      return;
    }
    fetch('/_responder-docs/problems.json', { cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(show, function () { /* no serve behind this page */ });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
