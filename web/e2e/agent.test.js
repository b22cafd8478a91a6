// The agent workspace with the widget: an escalation from the customer's
// side to the agent's and back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, shot, login, apiLogin, apiCall, openChat, say } from './harness.js';

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
  // The supervisor's setup: the agent under test also takes complaints
  // (where angry customers go) and is the only one working today, so the
  // hand-off waits in the queue for them to claim.
  const admin = await apiLogin(srv, srv.user('admin'));
  const lin = (await apiCall(srv, admin, 'GET', '/v1/users')).users.find((u) => u.email === srv.user('agent', 0).email);
  await apiCall(srv, admin, 'PUT', '/v1/agents/' + lin.id, { skills: { general: 3, complaints: 4, orders: 3 }, langs: ['zh', 'en'], teams: ['tier1'], capacity: 3 });
  for (const u of srv.creds.users) {
    if (u.email === srv.user('agent', 0).email) continue;
    await apiCall(srv, await apiLogin(srv, u), 'PUT', '/v1/agents/me/presence', { presence: 'offline' });
  }
});
after(async () => { await browser?.close(); await srv?.stop(); });

const angry = { en: 'This is the worst service ever, I am furious! Nobody helps me!', zh: '你们这什么破服务，气死我了，根本没人管！' };
const reply = { en: 'I am sorry, I am looking into it right now.', zh: '非常抱歉，我马上为您处理。' };

for (const lang of ['zh', 'en']) {
  test(`an angry customer is escalated; the agent claims, reads the summary and answers; the customer sees it (${lang})`, async () => {
    const agent = await newPage(browser, lang);
    await agent.goto(srv.url + '/agent');
    await login(agent, srv, srv.user('agent', 0));
    await agent.locator('#live[data-state=on]').waitFor();
    // Away: nothing is offered; the agent picks from the queue.
    await agent.getByLabel(/Presence|状态/).selectOption('away');

    const customer = await openChat(browser, srv, lang);
    await say(customer, angry[lang]);
    await customer.locator('body[data-owner=queue]').waitFor();
    const state = await customer.locator('#state').innerText();
    assert.match(state, lang === 'zh' ? /人工客服/ : /person/);

    const item = agent.locator('#queues button.item').first();
    await item.waitFor();
    await item.click();
    await agent.getByRole('button', { name: /^Claim$|^认领$/ }).click();
    await agent.locator('#reply:not([disabled])').waitFor();
    // The customer's words and the bot's hand-off summary are there.
    await agent.locator('#log li.msg-customer').filter({ hasText: angry[lang] }).waitFor();
    await agent.locator('#summary').filter({ hasText: /\S{10,}/ }).waitFor();
    const summary = await agent.locator('#summary').innerText();
    assert.doesNotMatch(summary, /No hand-off summary|没有转人工摘要/);
    assert.match(await agent.locator('#tickets').innerText(), lang === 'zh' ? /首次响应|解决/ : /First response|Resolution/, 'SLA countdowns shown');
    await customer.locator('body[data-owner=agent]').waitFor();

    await agent.getByRole('textbox', { name: /Your reply|您的回复/ }).fill(reply[lang]);
    await agent.getByRole('button', { name: /^Send$|^发送$/ }).click();
    await customer.locator('li.msg-agent').filter({ hasText: reply[lang] }).waitFor();
    await agent.locator('#log li.msg-agent:not(.pending)').filter({ hasText: reply[lang] }).waitFor();
    await shot(agent, `workspace.${lang}`);
    await shot(customer, `widget-agent.${lang}`);

    // Closing ends it for the customer, who may rate it if the API exists.
    await agent.getByRole('button', { name: /Close conversation|结束会话/ }).click();
    await customer.locator('body[data-owner=closed]').waitFor();
    assert.deepEqual(agent.problems, []);
    assert.deepEqual(customer.problems, []);
    await agent.context().close();
    await customer.context().close();
  });
}
