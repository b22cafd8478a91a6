// Sign-in for the staff pages. The session lives in an HttpOnly cookie the
// server sets at login (this script never holds the token); staffStart
// shows the sign-in form until /v1/me answers with an allowed role.
'use strict';
(function () {
  const A = window.Assist, t = A.t, el = A.el;

  function form(onDone) {
    const err = el('p', { class: 'error', attrs: { role: 'alert' } });
    const tenant = el('input', { attrs: { id: 'login-tenant', name: 'tenant', autocomplete: 'organization', required: true } });
    const email = el('input', { attrs: { id: 'login-email', name: 'email', type: 'email', autocomplete: 'username', required: true } });
    const pass = el('input', { attrs: { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true } });
    tenant.value = new URLSearchParams(location.search).get('tenant') || '';
    const f = el('form', { class: 'login', attrs: { id: 'login' } },
      el('h2', { attrs: { 'data-i18n': 'staff.signin_title' }, text: t('staff.signin_title') }),
      el('label', null, el('span', { attrs: { 'data-i18n': 'staff.tenant' }, text: t('staff.tenant') }), tenant),
      el('label', null, el('span', { attrs: { 'data-i18n': 'staff.email' }, text: t('staff.email') }), email),
      el('label', null, el('span', { attrs: { 'data-i18n': 'staff.password' }, text: t('staff.password') }), pass),
      err,
      el('button', { attrs: { type: 'submit', 'data-i18n': 'staff.signin' }, text: t('staff.signin') }));
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      err.textContent = '';
      try {
        await A.api('POST', '/v1/auth/login', { tenant: tenant.value.trim(), email: email.value.trim(), password: pass.value, cookie: true });
        pass.value = '';
        onDone();
      } catch (x) { err.textContent = x.message; }
    });
    return f;
  }

  // staffStart signs the user in, then calls run(me) with /v1/me's answer.
  // roles: the roles the page is for.
  A.staffStart = async function (roles, run) {
    const main = document.getElementById('main');
    const bar = document.getElementById('whoami');
    A.langSwitch(document.getElementById('lang'));
    await A.loadFeatures();
    const go = async () => {
      let me;
      try { me = await A.api('GET', '/v1/me'); } catch (e) {
        main.hidden = true;
        bar.hidden = true;
        const f = form(go);
        document.getElementById('signin').replaceChildren(f);
        f.querySelector('input:invalid, input').focus();
        return;
      }
      document.getElementById('signin').replaceChildren();
      if (!roles.includes(me.role)) {
        document.getElementById('signin').append(el('p', { class: 'login error', attrs: { role: 'alert' }, text: t('staff.wrong_role', { role: me.role }) }));
        showBar(me);
        return;
      }
      showBar(me);
      main.hidden = false;
      run(me);
    };
    await go();
  };

  function showBar(me) {
    const bar = document.getElementById('whoami');
    bar.hidden = false;
    // The signed-in person by name, with their role.
    const roleKey = 'role.' + me.role;
    bar.replaceChildren(el('span', { class: 'who' }, me.name ? el('strong', { text: me.name + ' ' }) : null,
      el('span', { class: 'role', attrs: { 'data-i18n': roleKey }, text: t(roleKey) })),
      el('button', { attrs: { type: 'button', id: 'logout', 'data-i18n': 'staff.signout' }, text: t('staff.signout'),
        on: { click: async () => { try { await A.api('POST', '/v1/auth/logout'); } finally { location.reload(); } } } }));
  }
})();
