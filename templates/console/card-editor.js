// The card editor's progressive enhancement (served by the console at /console/cards/editor.js; the
// editor works without it). 1. Choosing a button action (or media kind) shows that variant's fields
// at once. 2. The preview follows the form: 600 ms after the last change, the form's values (without
// files) are posted to the preview route and its answer replaces the preview pane.
(function () {
  'use strict';
  var form = document.querySelector('form[data-card-editor]');
  if (!form) return;

  function showVariant(select) {
    var owner = select.getAttribute('data-choice-tag');
    var variants = form.querySelectorAll('fieldset[data-variant-of="' + CSS.escape(owner) + '"]');
    for (var i = 0; i < variants.length; i++) {
      var on = variants[i].getAttribute('data-variant') === select.value;
      variants[i].hidden = !on;
      variants[i].disabled = !on;
    }
  }

  var status = form.querySelector('[data-live-status]');
  var timer = null;
  var inFlight = null;

  function refreshPreview() {
    var data = new FormData(form);
    var files = [];
    data.forEach(function (value, key) { if (typeof value !== 'string') files.push(key); });
    files.forEach(function (key) { data.delete(key); });
    data.delete('op');
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    if (status) status.textContent = 'Updating the preview…';
    fetch(form.getAttribute('data-preview-url'), { method: 'POST', body: data, credentials: 'same-origin', signal: inFlight.signal })
      .then(function (res) {
        if (!res.ok) throw new Error('preview ' + res.status);
        return res.text();
      })
      .then(function (html) {
        var pane = document.getElementById('card-preview');
        if (pane) pane.outerHTML = html;
        if (status) status.textContent = '';
      })
      .catch(function (err) {
        if (err.name !== 'AbortError' && status) status.textContent = 'The preview could not be updated; press Preview.';
      });
  }

  function changed(event) {
    var target = event.target;
    if (target.matches && target.matches('select[data-choice-tag]')) showVariant(target);
    if (target.type === 'file') return;
    clearTimeout(timer);
    timer = setTimeout(refreshPreview, 600);
  }

  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.setAttribute('data-live', 'on');
})();
