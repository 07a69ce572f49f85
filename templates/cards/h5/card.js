(function () {
  function ping(href) {
    if (!href || href === '#') return;
    // POST: a beacon records the tap and is never answered with a redirect.
    try { fetch(href, { method: 'POST', mode: 'no-cors', keepalive: true, credentials: 'omit' }); } catch (e) { /* best effort */ }
  }
  function copy(text, done) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { legacyCopy(text); done(); });
    } else { legacyCopy(text); done(); }
  }
  function legacyCopy(text) {
    var t = document.createElement('textarea');
    t.value = text;
    t.setAttribute('readonly', '');
    t.style.position = 'absolute';
    t.style.left = '-9999px';
    document.body.appendChild(t);
    t.select();
    try { document.execCommand('copy'); } catch (e) { /* the code stays visible on the card */ }
    document.body.removeChild(t);
  }
  document.addEventListener('click', function (e) {
    var a = e.target && e.target.closest ? e.target.closest('a[data-button]') : null;
    if (!a || !a.hasAttribute('data-ping')) return;
    e.preventDefault();
    ping(a.getAttribute('href'));
    var code = a.getAttribute('data-copy');
    if (code !== null) {
      copy(code, function () {
        a.setAttribute('data-state', 'copied');
        a.textContent = a.getAttribute('data-copied') || a.textContent;
      });
    }
  });
})();
