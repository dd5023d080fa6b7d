// Backoffice page of the REST sources: a thin client of /api/backoffice/*. The admin token is typed by the
// operator and kept in this tab's sessionStorage only; the server never sends a secret to the browser.
(function () {
  'use strict';

  const API = '/api/backoffice';
  const ROLE = 'platform-admin';
  const $ = (sel) => document.querySelector(sel);
  let sources = [];
  let toastTimer = null;

  const EXAMPLE = {
    baseUrl: 'https://api.example.com/products',
    cursorStyle: 'offset',
    cursorParam: 'skip',
    pageSizeParam: 'limit',
    defaultPageSize: 50,
    itemsPath: '$.products',
    currentOffsetPath: '$.skip',
    totalPath: '$.total',
    textFields: ['title', 'description', 'tags', 'reviews[*].comment'],
    idField: 'id',
    headersTemplate: { 'X-Api-Key': '{{API_KEY}}' },
    requiresAuth: true,
    provider: 'example',
    ifNoneMatchHeader: true
  };

  function token() { return sessionStorage.getItem('ragsync.backoffice.token') || ''; }

  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json', 'X-Ragsync-Role': ROLE };
    if (token()) { headers['Authorization'] = 'Bearer ' + token(); }
    if (body !== undefined) { headers['Content-Type'] = 'application/json'; }
    const res = await fetch(API + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store'
    });
    let json = null;
    try { json = await res.json(); } catch (e) { json = null; }
    return { status: res.status, ok: res.ok, json };
  }

  function toast(text, bad) {
    const t = $('#toast');
    t.textContent = text;
    t.className = bad ? 'bad' : '';
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, 8000);
  }

  function cell(row, text, cls) {
    const td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '' : String(text);
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }

  function when(ts) { return ts ? new Date(ts).toLocaleString() : ''; }

  function render() {
    const body = $('#sources tbody');
    body.replaceChildren();
    $('#empty').hidden = sources.length > 0;
    for (const s of sources) {
      const m = s.metrics || {};
      const tr = document.createElement('tr');
      tr.dataset.id = s.id;
      tr.id = 'source-' + s.id;
      if (location.hash === '#' + tr.id) { tr.classList.add('target'); }
      cell(tr, s.id, 'num');
      cell(tr, s.title, 'title');
      cell(tr, s.tenantId);
      cell(tr, (s.enabled ? '' : 'disabled · ') + (s.backofficeOnly ? 'backoffice only' : (s.schedule || 'manual')));
      cell(tr, m.pages, 'num pages');
      cell(tr, m.items, 'num items');
      cell(tr, m.chunks, 'num chunks');
      cell(tr, m.done ? 'done' : (m.nextCursor === null || m.nextCursor === undefined ? 'first page' : m.nextCursor), 'next');
      const st = cell(tr, '', 'last-status');
      if (m.lastStatus) {
        const span = document.createElement('span');
        span.className = 'status ' + m.lastStatus;
        span.textContent = m.lastStatus + (m.lastHttpStatus ? ' (' + m.lastHttpStatus + ')' : '');
        st.appendChild(span);
      }
      cell(tr, when(m.lastSyncedAt), 'synced');
      cell(tr, m.lastError, 'error');
      const actions = cell(tr, '', 'actions');
      const dashboard = document.createElement('a');
      dashboard.href = '/ops#rest-source-' + s.id;
      dashboard.className = 'ops-link';
      dashboard.textContent = 'on /ops';
      actions.append(button('Sync', 'sync', () => sync(s)), ' ', button('Edit', 'edit', () => edit(s)), ' ',
        button('Delete', 'delete danger', () => remove(s)), ' ', dashboard);
      body.appendChild(tr);
    }
  }

  function button(label, cls, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.className = cls;
    b.addEventListener('click', onClick);
    return b;
  }

  async function load() {
    if (!token()) {
      $('#auth-state').textContent = 'Enter the platform admin token to see the sources. It stays in this tab only.';
      sources = [];
      render();
      return;
    }
    const res = await api('GET', '/rest-sources');
    if (!res.ok) {
      $('#auth-state').textContent = (res.json && res.json.message) || ('HTTP ' + res.status);
      sources = [];
      render();
      return;
    }
    $('#auth-state').textContent = 'Signed in as platform admin.';
    sources = res.json;
    render();
  }

  async function sync(s) {
    const res = await api('POST', '/rest-batch', { sourceId: s.id });
    const a = res.json || {};
    if (res.ok && a.ok) {
      toast(a.url + ' → ' + (a.done ? 'done' : a.next) + ' · ' + a.items + ' items, ' + a.newChunks + ' new chunks'
        + (a.status === 'not_modified' ? ' (not modified)' : ''));
    } else {
      toast((a.url ? a.url + ' → ' : '') + (a.error || a.message || ('HTTP ' + res.status)), true);
    }
    await load();
  }

  async function remove(s) {
    if (!window.confirm('Delete "' + s.title + '" with its chunks and documents (also in the index)?')) {
      return;
    }
    const res = await api('DELETE', '/rest-sources/' + s.id);
    if (res.ok) {
      toast('Deleted "' + s.title + '": ' + res.json.chunks + ' chunks, ' + res.json.documents + ' documents');
    } else {
      toast((res.json && res.json.message) || ('HTTP ' + res.status), true);
    }
    await load();
  }

  function clearErrors() {
    document.querySelectorAll('.field-error').forEach((e) => { e.textContent = ''; });
    $('#form-errors').replaceChildren();
  }

  function edit(s) {
    clearErrors();
    $('#editor').hidden = false;
    $('#editor-title').textContent = s ? 'Edit source #' + s.id : 'Add source';
    $('#source-id').value = s ? s.id : '';
    $('#tenantId').value = s ? s.tenantId : '';
    $('#title').value = s ? s.title : '';
    $('#schedule').value = s && s.schedule ? s.schedule : '';
    $('#enabled').checked = s ? s.enabled : true;
    $('#backofficeOnly').checked = s ? s.backofficeOnly : false;
    $('#config').value = JSON.stringify(s ? s.config : EXAMPLE, null, 2);
    $('#title').focus();
  }

  async function save(event) {
    event.preventDefault();
    clearErrors();
    const id = $('#source-id').value;
    const body = {
      tenantId: $('#tenantId').value,
      title: $('#title').value,
      schedule: $('#schedule').value || null,
      enabled: $('#enabled').checked,
      backofficeOnly: $('#backofficeOnly').checked,
      // sent as text: the API parses and validates it, and names what is wrong
      config: $('#config').value
    };
    const res = id ? await api('PUT', '/rest-sources/' + id, body) : await api('POST', '/rest-sources', body);
    if (res.ok) {
      $('#editor').hidden = true;
      toast('Saved "' + res.json.title + '"');
      await load();
      return;
    }
    const err = res.json || {};
    const fields = err.fields || {};
    const list = $('#form-errors');
    for (const [field, message] of Object.entries(fields)) {
      const li = document.createElement('li');
      li.textContent = field + ': ' + message;
      list.appendChild(li);
      const top = field.split('.')[0];
      const slot = document.querySelector('.field-error[data-field="' + top + '"]');
      if (slot && !slot.textContent) { slot.textContent = message; }
    }
    if (!Object.keys(fields).length) {
      const li = document.createElement('li');
      li.textContent = err.message || ('HTTP ' + res.status);
      list.appendChild(li);
    }
  }

  $('#auth').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem('ragsync.backoffice.token', $('#token').value.trim());
    $('#token').value = '';
    load();
  });
  $('#sign-out').addEventListener('click', () => { sessionStorage.removeItem('ragsync.backoffice.token'); load(); });
  $('#refresh').addEventListener('click', load);
  $('#add-source').addEventListener('click', () => edit(null));
  $('#cancel-edit').addEventListener('click', () => { $('#editor').hidden = true; });
  $('#source-form').addEventListener('submit', save);
  load();
}());
