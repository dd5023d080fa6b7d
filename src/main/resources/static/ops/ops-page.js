// What the scripts of the dashboard (ops.js, ops-sources.js, ops-holds.js) build their tables with.
window.opsPage = (function () {
  'use strict';

  function $(id) { return document.getElementById(id); }

  function text(value) { return value === null || value === undefined ? '' : String(value); }

  function time(iso) { return iso ? new Date(iso).toLocaleString() : ''; }

  function cell(row, value, cls) {
    var td = document.createElement('td');
    td.textContent = text(value);
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }

  // one row per item (fill adds its cells), or a single 'none' row across colspan columns
  function rows(tableId, items, fill, colspan) {
    var body = $(tableId).querySelector('tbody');
    body.textContent = '';
    if (items.length === 0) {
      var empty = document.createElement('tr');
      cell(empty, 'none', 'empty').colSpan = colspan;
      body.appendChild(empty);
      return;
    }
    items.forEach(function (item) {
      var row = document.createElement('tr');
      fill(row, item);
      body.appendChild(row);
    });
  }

  return { $: $, text: text, time: time, cell: cell, rows: rows };
}());
