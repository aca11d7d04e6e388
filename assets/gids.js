// GIDS works without JavaScript; this file only adds conveniences where it runs.
// Participant forms: every answer is saved the moment it is given, with a short
// confirmation for screen readers. Without JavaScript the buttons save per step.
(function () {
  'use strict';
  var form = document.querySelector('form.participate-form[data-save]');
  if (!form || !window.fetch) return;
  var status = document.getElementById('save-status');
  var timers = {};

  function itemOf(element) {
    var name = element.name || '';
    var dot = name.indexOf('.');
    return dot > 0 ? name.slice(0, dot) : null;
  }

  function say(text, bad, pending) {
    if (!status) return;
    status.textContent = text;
    status.className = 'save-status' + (bad ? ' save-status--error' : '') + (pending ? ' save-status--pending' : '');
  }

  function save(item) {
    var body = new URLSearchParams();
    body.append('csrf', form.querySelector('input[name=csrf]').value);
    body.append('item', item);
    Array.prototype.forEach.call(form.elements, function (el) {
      if (itemOf(el) !== item || !el.name) return;
      if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked) return;
      body.append(el.name, el.value);
    });
    fetch(form.getAttribute('data-save'), {
      method: 'POST',
      headers: { 'Accept': 'application/json' },
      body: body,
      credentials: 'same-origin'
    }).then(function (res) {
      return res.json().then(function (data) { return { ok: res.ok, data: data }; });
    }).then(function (r) {
      if (r.ok && r.data.saved) say(form.getAttribute('data-saved-text'));
      else if (r.ok) say(r.data.message, false, true);
      else say(r.data.message || form.getAttribute('data-error-text'), true);
    }).catch(function () {
      say(form.getAttribute('data-offline-text'), true);
    });
  }

  function schedule(event) {
    var item = itemOf(event.target);
    if (!item) return;
    clearTimeout(timers[item]);
    timers[item] = setTimeout(function () { save(item); }, event.type === 'input' ? 800 : 0);
  }

  form.addEventListener('change', schedule);
  form.addEventListener('input', function (event) {
    if (event.target.tagName === 'TEXTAREA' || event.target.type === 'text') schedule(event);
  });
})();

// The meeting screen: follows events by Server-Sent Events and refreshes the live part;
// polls when the stream is refused (the server caps streams) or cut, or EventSource is missing.
(function () {
  'use strict';
  var live = document.getElementById('live');
  if (!live || !window.fetch) return;
  var fragment = live.getAttribute('data-fragment');
  var pending = false;
  var polling = null;

  function refresh() {
    if (pending) return;
    pending = true;
    fetch(fragment, { credentials: 'same-origin' }).then(function (res) {
      return res.ok ? res.text() : null;
    }).then(function (html) {
      pending = false;
      if (html !== null) live.innerHTML = html;
    }).catch(function () { pending = false; });
  }

  function poll() {
    if (!polling) polling = setInterval(refresh, 2000);
  }

  if (!window.EventSource) { poll(); return; }
  var source = new EventSource(live.getAttribute('data-stream') + '?na=' + live.getAttribute('data-last-event'));
  ['geopend', 'aangemeld', 'antwoord', 'namen', 'afspraak', 'gesloten'].forEach(function (kind) {
    source.addEventListener(kind, refresh);
  });
  source.onerror = function () {
    if (source.readyState === EventSource.CLOSED) poll();
  };
})();

// A participant's phone in a meeting: reloads when the facilitator opens another item.
(function () {
  'use strict';
  var box = document.getElementById('live-participant');
  if (!box || !window.fetch) return;
  var current = box.getAttribute('data-current');
  setInterval(function () {
    fetch(box.getAttribute('data-poll'), { credentials: 'same-origin' }).then(function (res) {
      return res.ok ? res.json() : null;
    }).then(function (data) {
      if (data && data.current !== current) window.location.reload();
    }).catch(function () {});
  }, 2000);
})();
