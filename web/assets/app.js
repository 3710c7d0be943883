// Candor pages: optional enhancements. Everything works without this file.
(function () {
  'use strict';

  // Evidence: a link to a <mark> highlights every piece of that quote,
  // scrolls it into view and moves focus to it (for keyboard and screen
  // reader users). Without script, :target does the highlighting.
  function activate(id) {
    var first = document.getElementById(id);
    if (!first || first.tagName !== 'MARK') return false;
    document.querySelectorAll('mark.active').forEach(function (m) { m.classList.remove('active'); });
    first.classList.add('active');
    document.querySelectorAll('mark[data-span="' + id + '"]').forEach(function (m) { m.classList.add('active'); });
    first.setAttribute('tabindex', '-1');
    first.scrollIntoView({ block: 'center' });
    first.focus({ preventScroll: true });
    return true;
  }
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[href^="#"]');
    if (!a) return;
    var id = decodeURIComponent(a.getAttribute('href').slice(1));
    if (activate(id)) {
      e.preventDefault();
      history.replaceState(null, '', '#' + id);
    }
  });
  if (location.hash.length > 1) activate(decodeURIComponent(location.hash.slice(1)));

  // Destructive forms ask first (without script they go straight on; the
  // page they come from says what they do).
  document.querySelectorAll('form[data-confirm]').forEach(function (f) {
    f.addEventListener('submit', function (e) {
      if (!window.confirm(f.getAttribute('data-confirm'))) e.preventDefault();
    });
  });

  // Slate cells: Escape hides the quote shown on hover or focus, until the
  // cell is left (the quote stays readable by focus alone without script).
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') return;
    var c = document.activeElement;
    if (c && c.matches && c.matches('td.cell[aria-describedby]')) c.classList.add('tip-off');
    document.querySelectorAll('td.cell:hover').forEach(function (h) { h.classList.add('tip-off'); });
  });
  ['focusout', 'mouseout'].forEach(function (type) {
    document.addEventListener(type, function (e) {
      var c = e.target.closest && e.target.closest('td.tip-off');
      if (c && !(e.relatedTarget && c.contains(e.relatedTarget))) c.classList.remove('tip-off');
    });
  });

  // Progress of a long analysis: poll the job, go to the report when done.
  var job = document.querySelector('[data-poll]');
  if (job) {
    var url = job.getAttribute('data-poll');
    var bar = job.querySelector('progress');
    var msg = job.querySelector('[data-msg]');
    var tick = function () {
      fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) { return r.json(); })
        .then(function (j) {
          if (j.state === 'done' && j.report_url) { location.replace(j.report_url); return; }
          if (j.state === 'failed' || j.state === 'unknown') { location.reload(); return; }
          if (j.total > 0 && bar && msg) {
            bar.max = j.total; bar.value = j.done;
            msg.textContent = j.done + ' of ' + j.total + ' answers analysed.';
          }
          setTimeout(tick, 1000);
        })
        .catch(function () { setTimeout(tick, 3000); });
    };
    setTimeout(tick, 500);
  }
})();
