// The widget snippet for a shop's site:
//   <script src="https://assist.example/widget.js" data-tenant="shop"
//           data-customer-ref="…" data-customer-sig="…" data-customer-expires="…" async></script>
// It adds a chat button and, when opened, the chat page (/chat) in a frame
// from the Assist server, so the conversation and its token stay in that
// server's origin, out of the shop page's reach.
(function () {
  'use strict';
  var me = document.currentScript;
  if (!me) return;
  var base = new URL(me.src, location.href).origin;
  var d = me.dataset;
  var q = new URLSearchParams({ tenant: d.tenant || '', embed: '1' });
  if (d.customerRef) { q.set('customer_ref', d.customerRef); q.set('customer_sig', d.customerSig || ''); q.set('customer_expires', d.customerExpires || ''); }
  if (d.lang) q.set('lang', d.lang);

  function build() {
    var strings = window.AssistStrings || {};
    var nav = (navigator.language || 'en').toLowerCase().split('-')[0];
    var s = strings[d.lang] || strings[nav] || strings.en || {};
    var btn = document.createElement('button');
    btn.type = 'button';
    btn.textContent = s['chat.open'] || 'Chat';
    btn.setAttribute('aria-expanded', 'false');
    btn.setAttribute('data-assist-widget', 'button');
    Object.assign(btn.style, { position: 'fixed', right: '20px', bottom: '20px', zIndex: 2147483000, padding: '10px 16px',
      borderRadius: '24px', border: 'none', background: '#1f6feb', color: '#fff', font: '15px system-ui, sans-serif', cursor: 'pointer',
      boxShadow: '0 4px 14px rgba(0,0,0,.2)' });
    var frame = null;
    btn.addEventListener('click', function () {
      if (!frame) {
        frame = document.createElement('iframe');
        frame.src = base + '/chat?' + q.toString();
        frame.title = s['chat.title'] || 'Chat';
        frame.setAttribute('data-assist-widget', 'frame');
        Object.assign(frame.style, { position: 'fixed', right: '20px', bottom: '76px', width: '370px', height: '560px',
          maxWidth: 'calc(100vw - 40px)', maxHeight: 'calc(100vh - 100px)', border: '1px solid #dde1e8', borderRadius: '12px',
          boxShadow: '0 8px 30px rgba(0,0,0,.2)', zIndex: 2147483000, background: '#fff' });
        document.body.appendChild(frame);
      } else {
        frame.hidden = !frame.hidden;
      }
      var open = !frame.hidden;
      btn.setAttribute('aria-expanded', String(open));
      btn.textContent = open ? (s['chat.close'] || 'Close') : (s['chat.open'] || 'Chat');
      if (open) frame.focus();
    });
    document.body.appendChild(btn);
  }

  // The wording comes from the same file the pages read.
  var i18n = document.createElement('script');
  i18n.src = base + '/assets/i18n.js';
  i18n.onload = i18n.onerror = function () { if (document.body) build(); else document.addEventListener('DOMContentLoaded', build); };
  document.head.appendChild(i18n);
})();
