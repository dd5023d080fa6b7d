// The dashboard's source sections: dropped files the drop does not sync and the REST sources' state, from
// /ops/api/drop-files and /ops/api/rest-sources. Kept apart from ops.js so each part of the page reads on its own.
(function () {
  'use strict';
  var REFRESH_MS = 5000;

  var page = window.opsPage, $ = page.$, text = page.text, time = page.time, cell = page.cell, rows = page.rows;

  function getJson(path) {
    return fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (r) {
      if (!r.ok) { throw new Error(path + ': HTTP ' + r.status); }
      return r.json();
    });
  }

  function count(cardId, n) {
    var card = $(cardId);
    card.querySelector('.value').textContent = n;
    card.className = 'card' + (cardId === 'drop-rejected' && n > 0 ? ' bad' : '');
  }

  function renderDrop(d) {
    count('drop-rejected', d.counts.rejected);
    count('drop-skipped', d.counts.skipped);
    rows('drop-files', d.files, function (row, f) {
      row.className = 'drop-' + f.status;
      cell(row, f.path);
      cell(row, f.status === 'rejected' ? 'refused' : f.status);
      cell(row, f.reason, 'error');
      cell(row, time(f.checkedAt));
    }, 4);
  }

  function renderRest(sources) {
    rows('rest-sources', sources, function (row, s) {
      row.id = 'rest-source-' + s.id;
      if (s.consecutiveFailures > 0) { row.className = 'failing'; }
      cell(row, '#' + s.id + ' ' + text(s.title));
      cell(row, s.tenantId);
      cell(row, (s.enabled ? '' : 'disabled · ') + (s.backofficeOnly ? 'backoffice only' : (s.schedule || 'manual')));
      cell(row, text(s.lastStatus) + (s.lastHttpStatus ? ' (' + s.lastHttpStatus + ')' : ''));
      cell(row, s.consecutiveFailures, s.consecutiveFailures > 0 ? 'bad' : '');
      cell(row, time(s.lastFailedAt));
      cell(row, time(s.nextAttemptAfter));
      cell(row, s.lastError, 'error');
      var link = document.createElement('a');
      link.href = '/backoffice/rest-sources#source-' + s.id;
      link.className = 'backoffice-link';
      link.textContent = 'open in backoffice';
      cell(row, '').appendChild(link);
    }, 9);
    if (window.location.hash.indexOf('#rest-source-') === 0 && $(window.location.hash.substring(1))) {
      $(window.location.hash.substring(1)).classList.add('target');
    }
  }

  function refresh() {
    return Promise.all([
      getJson('/ops/api/drop-files').then(renderDrop),
      getJson('/ops/api/rest-sources').then(renderRest)
    ]).catch(function (e) {
      var box = $('message');
      box.hidden = false;
      box.textContent = e.message;
    });
  }

  refresh();
  setInterval(refresh, REFRESH_MS);
}());
