// The "New campaign" form's only script (served same-origin; the console's CSP allows nothing else):
// a chosen CSV file is read in the browser and put into the recipients textarea, which is what the
// form posts. Without this script the file field stays hidden and pasting still works.
(function () {
  'use strict';
  var MAX_BYTES = 8 * 1024 * 1024;
  var box = document.querySelector('[data-recipients-file]');
  if (!box) return;
  var input = box.querySelector('input[type=file]');
  var target = document.getElementById(input.getAttribute('data-target'));
  var status = box.querySelector('[data-file-status]');
  box.hidden = false;
  input.addEventListener('change', function () {
    var file = input.files && input.files[0];
    if (!file) return;
    if (file.size > MAX_BYTES) {
      status.textContent = file.name + ' is too large for one campaign (8 MB at most): split the list.';
      input.value = '';
      return;
    }
    file.text().then(function (text) {
      target.value = text.replace(/^\uFEFF/, '');
      var lines = target.value.split(/\r\n|\r|\n/).filter(function (l) { return l.trim() !== ''; }).length;
      status.textContent = file.name + ': ' + lines + ' lines loaded into the box.';
      input.value = '';
    }, function () {
      status.textContent = 'Could not read ' + file.name + '.';
    });
  });
})();
