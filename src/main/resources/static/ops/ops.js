// The sync dashboard: reads /ops/api/* (JSON, same login as this page) every few seconds, requeues through
// POST /api/jobs/requeue and releases a job whose holder is gone through POST /api/jobs/{id}/release. No build step, no framework.
(function () {
  'use strict';
  var REFRESH_MS = 5000;
  var STATUS_ORDER = ['queued', 'processing', 'indexed', 'truncated', 'deleted', 'failed', 'download_failed', 'config_error', 'superseded'];
  var BAD = { failed: true, download_failed: true, config_error: true, truncated: true };

  var page = window.opsPage, $ = page.$, text = page.text, time = page.time, cell = page.cell;

  function getJson(path) {
    return fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (r) {
      if (r.status === 401 || r.redirected) { window.location.reload(); }
      if (!r.ok) { throw new Error(path + ': HTTP ' + r.status); }
      return r.json();
    });
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) { return '–'; }
    var s = Number(seconds);
    if (s < 90) { return s + ' s'; }
    if (s < 5400) { return Math.round(s / 60) + ' min'; }
    if (s < 172800) { return (s / 3600).toFixed(1) + ' h'; }
    return (s / 86400).toFixed(1) + ' d';
  }

  // a running job's lease: live (its holder renews it) or run out (the holder is gone)
  function lease(job) {
    if (job.status !== 'processing' || job.leaseSecondsLeft === null || job.leaseSecondsLeft === undefined) { return ''; }
    return job.holderGone ? 'ran out ' + duration(-job.leaseSecondsLeft) + ' ago: holder gone'
      : 'live, ' + duration(job.leaseSecondsLeft) + ' left';
  }

  function renderOverview(o) {
    var counts = $('counts');
    counts.textContent = '';
    var statuses = STATUS_ORDER.concat(Object.keys(o.counts).filter(function (s) { return STATUS_ORDER.indexOf(s) < 0; }));
    statuses.forEach(function (status) {
      var n = o.counts[status] || 0;
      var card = document.createElement('div');
      card.className = 'card' + (BAD[status] && n > 0 ? ' bad' : '') + (status === 'indexed' ? ' good' : '');
      card.id = 'count-' + status;
      card.innerHTML = '<div class="label"></div><div class="value"></div>';
      card.querySelector('.label').textContent = status;
      card.querySelector('.value').textContent = n;
      counts.appendChild(card);
    });
    $('queue-depth').textContent = o.queue.depth;
    $('queue-detail').textContent = o.queue.due + ' due now, ' + o.queue.waitingForRetry + ' waiting for a retry';
    $('queue-oldest').textContent = o.queue.depth > 0 ? duration(o.queue.oldestAgeSeconds) : '–';
    var p = o.progress;
    $('progress-bar').style.width = (p.total > 0 ? p.percent : 0) + '%';
    $('progress-text').textContent = p.total > 0
      ? p.done + ' / ' + p.total + ' jobs done (' + p.percent + '%, ' + p.failed + ' failed), ' + p.remaining
        + ' remaining since ' + time(p.since) + ' · ' + p.ratePerMinute + ' jobs/min'
        + (p.etaSeconds !== null ? ' · about ' + duration(p.etaSeconds) + ' left' : '')
        + (p.abandonedJobs > 0 ? ' · ' + p.abandonedJobs + ' running job(s) whose holder is gone: no time estimate' : '')
      : 'nothing pending · ' + p.ratePerMinute + ' jobs/min finished over the last 5 minutes';
    var paused = $('paused');
    paused.hidden = !o.ragflow.jobsPaused;
    paused.textContent = o.ragflow.jobsPaused
      ? 'RAGFlow jobs are paused: ' + o.ragflow.reason + '. Fix the key or URL, then requeue the config_error jobs.' : '';
    var holding = $('holding-back');
    holding.hidden = !o.ragflow.holdingBack;
    holding.textContent = o.ragflow.holdingBack
      ? 'Holding back uploads to RAGFlow: ' + o.ragflow.holdingBackReason + '. ' + o.ragflow.uploadsWaiting
        + ' upload(s) wait in the queue and go on as RAGFlow catches up.' : '';
    $('updated').textContent = 'updated ' + time(o.generatedAt);
  }

  // a job table: each row's id names its job (the requeue and release buttons and their tests find it by it)
  function renderRows(tableId, jobs, columns, colspan) {
    page.rows(tableId, jobs, function (row, job) {
      row.id = tableId + '-job-' + job.jobId;
      columns(row, job);
    }, colspan);
  }

  function documentLabel(job) {
    return job.documentId === null ? 'knowledge base ' + job.knowledgeBaseId : '#' + job.documentId + ' ' + text(job.title);
  }

  function refresh() {
    return Promise.all([
      getJson('/ops/api/overview').then(renderOverview),
      getJson('/ops/api/waiting').then(function (jobs) {
        renderRows('waiting', jobs, function (row, job) {
          cell(row, job.jobId);
          cell(row, documentLabel(job));
          cell(row, job.op);
          cell(row, job.status + (job.phase ? ' (' + job.phase + ')' : ''));
          cell(row, job.retryCount);
          cell(row, duration(job.ageSeconds));
          cell(row, time(job.nextRetryAt));
          cell(row, job.claimedBy, 'holder');
          cell(row, lease(job), job.holderGone ? 'lease gone' : 'lease');
          cell(row, job.lastError, 'error');
          var actions = cell(row, '');
          if (job.holderGone) {
            var button = document.createElement('button');
            button.type = 'button';
            button.className = 'release-one';
            button.textContent = 'Release';
            button.title = 'The holder is gone: put the job back in the queue now';
            button.addEventListener('click', function () { release(job.jobId); });
            actions.appendChild(button);
          }
        }, 11);
      }),
      getJson('/ops/api/freshness').then(function (f) {
        $('freshness-threshold').textContent = 'A document is stale when its change is not searchable after '
          + duration(f.thresholdSeconds) + '.';
        page.rows('freshness', f.rows, function (row, r) {
          row.className = r.staleDocuments > 0 ? 'stale' : '';
          cell(row, r.knowledgeBase ? r.knowledgeBase + ' (#' + r.knowledgeBaseId + ')' : r.knowledgeBaseId);
          cell(row, r.source);
          cell(row, r.searchableLastHour);
          cell(row, duration(r.p50Seconds));
          cell(row, duration(r.p95Seconds));
          cell(row, r.staleDocuments, r.staleDocuments > 0 ? 'error' : '');
          cell(row, r.staleDocuments > 0 ? duration(r.oldestStaleSeconds) : '');
        }, 7);
      }),
      getJson('/ops/api/failures').then(function (jobs) {
        renderRows('failures', jobs, function (row, job) {
          cell(row, job.jobId);
          cell(row, documentLabel(job));
          cell(row, job.op);
          cell(row, job.status);
          cell(row, time(job.endedAt));
          cell(row, job.lastError, 'error');
          var actions = cell(row, '');
          if (job.requeueable && job.documentId !== null) {
            var button = document.createElement('button');
            button.type = 'button';
            button.className = 'requeue-one';
            button.textContent = 'Requeue';
            button.addEventListener('click', function () { requeue({ documentId: job.documentId }); });
            actions.appendChild(button);
          }
        }, 7);
      })
    ]).catch(function (e) { show(e.message); });
  }

  function show(message) {
    var box = $('message');
    box.hidden = false;
    box.textContent = message;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )XSRF-TOKEN=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : '';
  }

  function requeue(request) {
    return fetch('/api/jobs/requeue', {
      method: 'POST',
      credentials: 'same-origin',
      // the console session's actions carry its CSRF token (the XSRF-TOKEN cookie, sent back as a header)
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-XSRF-TOKEN': csrfToken() },
      body: JSON.stringify(request)
    }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) { throw new Error(body.message || ('HTTP ' + r.status)); }
        show('Requeued ' + body.requeued + ' job(s) (' + JSON.stringify(request) + ').');
      });
    }).catch(function (e) { show('Requeue failed: ' + e.message); }).then(refresh);
  }

  function release(jobId) {
    return fetch('/api/jobs/' + encodeURIComponent(jobId) + '/release', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-XSRF-TOKEN': csrfToken() }
    }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) { throw new Error(body.message || ('HTTP ' + r.status)); }
        show('Released job ' + body.jobId + ' of ' + body.releasedFrom + ': now ' + body.status + '.');
      });
    }).catch(function (e) { show('Release failed: ' + e.message); }).then(refresh);
  }

  $('requeue-failed').addEventListener('click', function () { requeue({ status: 'failed' }); });
  $('requeue-config-error').addEventListener('click', function () { requeue({ status: 'config_error' }); });
  $('requeue-download-failed').addEventListener('click', function () { requeue({ status: 'download_failed' }); });
  $('requeue-document-form').addEventListener('submit', function (event) {
    event.preventDefault();
    requeue({ documentId: Number($('requeue-document-id').value) });
  });

  refresh();
  setInterval(refresh, REFRESH_MS);
}());
