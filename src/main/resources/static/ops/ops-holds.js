// The dashboard's held-back reconciliations: GET /api/reconcile/holds, each approved through
// POST /api/reconcile/holds/{id}/approve (the console session with its CSRF token). Kept apart from ops.js.
(function () {
  'use strict';
  var REFRESH_MS = 5000;

  var page = window.opsPage, $ = page.$, time = page.time, cell = page.cell, rows = page.rows;

  function call(method, path) {
    var token = document.cookie.match(/(?:^|; )XSRF-TOKEN=([^;]*)/);
    return fetch(path, {
      method: method,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-XSRF-TOKEN': token ? decodeURIComponent(token[1]) : '' }
    }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) { throw new Error(body.message || ('HTTP ' + r.status)); }
        return body;
      });
    });
  }

  function approve(hold) {
    call('POST', '/api/reconcile/holds/' + encodeURIComponent(hold.id) + '/approve').then(function (body) {
      $('holds-message').textContent = 'Hold ' + body.holdId + ' approved: ' + body.deleted + ' deleted, '
        + body.kept + ' kept (mapped since).';
    }).catch(function (e) { $('holds-message').textContent = 'Approval failed: ' + e.message; }).then(refresh);
  }

  function refresh() {
    call('GET', '/api/reconcile/holds').then(function (holds) {
      rows('reconcile-holds', holds, function (row, h) {
        row.id = 'hold-' + h.id;
        cell(row, h.knowledgeBase);
        cell(row, h.datasetId);
        cell(row, h.orphanCount + ' of ' + h.listed + ' (limit ' + h.maxDeletePercent + ' %)');
        cell(row, h.reason + ': ' + h.detail, 'error');
        cell(row, time(h.createdAt));
        var button = document.createElement('button');
        button.type = 'button';
        button.className = 'approve-hold';
        button.textContent = 'Approve';
        button.addEventListener('click', function () { approve(h); });
        cell(row, '').appendChild(button);
      }, 6);
    }).catch(function (e) { $('holds-message').textContent = e.message; });
  }

  refresh();
  setInterval(refresh, REFRESH_MS);
}());
