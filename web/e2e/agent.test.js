// The agent workspace with the widget: an escalation from the customer's
// side to the agent's and back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, shot, shotBoth, login, apiLogin, apiCall, openChat, say, langs } from './harness.js';

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
  // The supervisor's setup: the agent under test also takes senior (where
  // angry customers go) and complaints and is the only one working today,
  // so the hand-off waits in the queue for them to claim.
  const admin = await apiLogin(srv, srv.user('admin'));
  const lin = (await apiCall(srv, admin, 'GET', '/v1/users')).users.find((u) => u.email === srv.user('agent', 0).email);
  await apiCall(srv, admin, 'PUT', '/v1/agents/' + lin.id, { skills: { general: 3, senior: 4, complaints: 4, orders: 3 }, langs: ['zh', 'en'], teams: ['tier1'], capacity: 3 });
  for (const u of srv.creds.users) {
    if (u.email === srv.user('agent', 0).email) continue;
    await apiCall(srv, await apiLogin(srv, u), 'PUT', '/v1/agents/me/presence', { presence: 'offline' });
  }
});
after(async () => { await browser?.close(); await srv?.stop(); });

const angry = { en: 'This is the worst service ever, I am furious! Nobody helps me!', zh: '你们这什么破服务，气死我了，根本没人管！' };
const stars = { zh: /^5 星/, en: /^3 of 5/ }; // the supervisor sees an average of 4
const question = { en: 'Who pays for return shipping?', zh: '退货运费谁出？' };
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
    await customer.locator('#state').filter({ hasText: lang === 'zh' ? /第 1 位/ : /number 1 of/ }).waitFor();
    await shot(customer, `widget-queued.${lang}`);

    const item = agent.locator('#queues button.item').first();
    await item.waitFor();
    await item.click();
    await agent.getByRole('button', { name: /^Claim$|^认领$/ }).click();
    await agent.locator('#reply:not([disabled])').waitFor();
    // The customer's words and the bot's hand-off summary are there.
    await agent.locator('#log li.msg-customer').filter({ hasText: angry[lang] }).waitFor();
    // It says why the bot handed off, in the page's words (an English
    // summary has no long run of letters to wait for).
    await agent.locator('#summary').filter({ hasText: lang === 'zh' ? /转人工原因/ : /Handed off because/ }).waitFor();
    const summary = await agent.locator('#summary').innerText();
    assert.doesNotMatch(summary, /No hand-off summary|没有转人工摘要/);
    assert.ok(summary.includes(angry[lang]), 'the summary quotes the problem');
    // The panel's heading is not repeated as the summary's first line.
    assert.doesNotMatch(summary.split('\n')[0], /^(Hand-off summary|转人工摘要)$/);
    assert.match(await agent.locator('#tickets').innerText(), lang === 'zh' ? /首次响应|解决/ : /First response|Resolution/, 'SLA countdowns shown');
    await customer.locator('body[data-owner=agent]').waitFor();
    // The customer sees the agent typing.
    await agent.getByRole('textbox', { name: /Your reply|您的回复/ }).pressSequentially('…');
    await customer.locator('#typing').filter({ hasText: lang === 'zh' ? /客服正在输入/ : /The agent is typing/ }).waitFor();

    // The customer asks something the help center answers: the agent gets
    // suggestions, puts the first in the reply box and sends it.
    await say(customer, question[lang]);
    const asked = agent.locator('#log li.msg-customer').filter({ hasText: question[lang] });
    await asked.waitFor();
    const askedID = await asked.getAttribute('data-id');
    const first = agent.locator(`#suggestions[data-for="${askedID}"] button.suggestion`).first();
    await first.waitFor();
    const suggested = (await first.locator('.text').innerText()).trim();
    await first.click();
    assert.equal((await agent.getByRole('textbox', { name: /Your reply|您的回复/ }).inputValue()).trim(), suggested);
    await agent.getByRole('button', { name: /^Send$|^发送$/ }).click();
    await customer.locator('li.msg-agent').filter({ hasText: suggested.slice(0, 20) }).waitFor();
    await agent.locator('#log li.msg-agent:not(.pending)').first().waitFor();
    await shot(agent, `workspace.${lang}`);
    await shot(customer, `widget-agent.${lang}`);

    // Closing ends it for the customer, who rates it.
    await agent.getByRole('button', { name: /Close conversation|结束会话/ }).click();
    await customer.locator('body[data-owner=closed]').waitFor();
    // Keyboard only: focus the score and press Space.
    await customer.getByRole('radio', { name: stars[lang] }).focus();
    await customer.keyboard.press('Space');
    await customer.getByRole('button', { name: /Send rating|提交评价/ }).click();
    await customer.getByText(/Thank you for your rating|感谢您的评价/).waitFor();
    await shot(customer, `widget-rated.${lang}`);
    assert.deepEqual(agent.problems, []);
    assert.deepEqual(customer.problems, []);
    await agent.context().close();
    await customer.context().close();
  });
}

test('customer text with markup shows literally and runs nothing (workspace)', async () => {
  const agent = await newPage(browser, 'en');
  await agent.goto(srv.url + '/agent');
  await login(agent, srv, srv.user('agent', 0));
  await agent.locator('#live[data-state=on]').waitFor();
  await agent.getByLabel(/Presence/).selectOption('away');
  const customer = await openChat(browser, srv, 'en');
  const attack = 'I want a human <img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>';
  await say(customer, attack);
  await customer.locator('body[data-owner=queue]').waitFor();
  const item = agent.locator('#queues button.item').first();
  await item.waitFor();
  await item.click();
  const msg = agent.locator('#log li.msg-customer .text').first();
  await msg.waitFor();
  assert.equal(await msg.innerText(), attack);
  // The hand-off summary quotes it, as text.
  await agent.locator('#summary').filter({ hasText: '<img src=x' }).waitFor();
  assert.equal(await agent.locator('#log img, #log script, #summary img, #context img').count(), 0);
  assert.equal(await agent.evaluate(() => window.__pwned), undefined);
  await shotBoth(agent, 'workspace-markup');
  await agent.getByRole('button', { name: /^Claim$/ }).click();
  await agent.locator('#reply:not([disabled])').waitFor();
  await agent.getByRole('button', { name: /Close conversation/ }).click();
  await customer.locator('body[data-owner=closed]').waitFor();
  assert.deepEqual(agent.problems, []);
  await agent.context().close();
  await customer.context().close();
});

// After the three escalations above (two angry customers rated 5 and 3,
// one asked for a person) and one question the bot answered, the
// supervisor's numbers say so.
test('the supervisor view shows the numbers of the conversations above', async () => {
  const customer = await openChat(browser, srv, 'en');
  await say(customer, 'How long does delivery take?');
  await customer.locator('li.msg-bot').waitFor();
  await customer.context().close();
  for (const lang of langs) {
    const page = await newPage(browser, lang, { width: 1280, height: 1400 });
    await page.goto(srv.url + '/supervisor');
    await login(page, srv, srv.user('admin'));
    await page.locator('[data-tile=conversations]').waitFor();
    const tile = async (k) => (await page.locator(`[data-tile=${k}] .tile-value`).innerText()).trim();
    assert.equal(await tile('conversations'), '4');
    assert.equal(await tile('handoffs'), '3');
    assert.equal(await tile('deflection'), '25%');
    assert.equal(await tile('csat'), '4.0 / 5');
    assert.notEqual(await tile('first_response'), '—');
    assert.notEqual(await tile('handling'), '—');
    // Hand-offs by reason: the angry Chinese customer's among them, three in all.
    const reasons = await page.locator('#c-reasons').innerText();
    assert.match(reasons, lang === 'zh' ? /客户生气/ : /Angry customer/);
    assert.equal(reasons.split('\n').map(Number).filter((n) => n > 0).reduce((a, b) => a + b, 0), 3, reasons);
    // Minutes of history: no made-up bars, the page says a forecast needs days.
    assert.equal(await page.locator('#c-forecast svg rect.bar').count(), 0, 'no forecast bars from minutes of history');
    assert.match(await page.locator('#c-forecast').innerText(), lang === 'zh' ? /历史数据还不够.*3 天/ : /Not enough history.*needs 3 days/);
    // The suggestions the agents sent, by source.
    assert.match(await page.locator('#f-accept').innerText(), lang === 'zh' ? /帮助中心/ : /Help center/);
    // Live: the agents with their presence.
    assert.match(await page.locator('#agents').innerText(), /Lin Wei/);
    await shot(page, `supervisor.${lang}`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

// An agent triages from the inbox: who waits (the shop's name for a
// signed-in customer), in which language, why, for how long and what they
// wrote; a suggestion sent for a question asked before the claim is
// recorded (GET /v1/assist/stats counts it).
test('inbox items say who waits and what they wrote; a sent suggestion is recorded', async () => {
  const admin = await apiLogin(srv, srv.user('admin'));
  const sentSoFar = async () => (await apiCall(srv, admin, 'GET', '/v1/assist/stats')).by_source.reduce((n, r) => n + r.sent + r.edited, 0);
  const agent = await newPage(browser, 'en');
  await agent.goto(srv.url + '/agent');
  await login(agent, srv, srv.user('agent', 0));
  await agent.locator('#live[data-state=on]').waitFor();
  assert.match(await agent.locator('#whoami').innerText(), /Lin Wei/, 'the top bar names the signed-in agent');
  await agent.getByLabel(/Presence/).selectOption('away');
  const customer = await openChat(browser, srv, 'en', srv.sign('demo-customer-6'));
  await say(customer, 'I want to talk to a person');
  await customer.locator('body[data-owner=queue]').waitFor();
  await say(customer, question.en);
  await customer.locator('li.msg-customer:not(.pending)').nth(1).waitFor();

  const item = agent.locator('#queues button.item').filter({ hasText: 'Olivia Brown' });
  await item.filter({ hasText: question.en }).waitFor();
  const text = await item.innerText();
  assert.match(text, /English/, 'the language');
  assert.match(text, /Asked for a person/, 'the reason');
  assert.match(text, /waiting \d/, 'the wait');
  assert.match(text, /I want to talk to a person.*Who pays for return shipping/s, 'the first and the last message');
  await shot(agent, 'workspace-inbox.en');
  await item.click();
  await agent.getByRole('button', { name: /^Claim$/ }).click();
  await agent.locator('#reply:not([disabled])').waitFor();
  assert.match(await agent.locator('#conv-title').innerText(), /Olivia Brown/, 'the header names the customer');
  await agent.locator('#customer').filter({ hasText: 'Olivia Brown' }).waitFor();
  const facts = await agent.locator('#customer').innerText();
  assert.match(facts, /Name\s*Olivia Brown/);
  assert.match(facts, /Account\s*demo-customer-6/);

  const before = await sentSoFar();
  const asked = agent.locator('#log li.msg-customer').filter({ hasText: question.en });
  const askedID = await asked.getAttribute('data-id');
  const first = agent.locator(`#suggestions[data-for="${askedID}"] button.suggestion`).first();
  await first.waitFor();
  const suggested = (await first.locator('.text').innerText()).trim();
  await first.click();
  await agent.getByRole('button', { name: /^Send$/ }).click();
  await customer.locator('li.msg-agent').filter({ hasText: suggested.slice(0, 20) }).waitFor();
  for (let i = 0; (await sentSoFar()) === before; i++) {
    assert.ok(i < 50, 'the sent suggestion is recorded in /v1/assist/stats');
    await agent.waitForTimeout(100);
  }
  // Answered: the item no longer says the customer is waiting.
  await agent.locator('#mine button.item').filter({ hasText: 'Olivia Brown' }).filter({ hasNotText: /waiting/ }).waitFor({ timeout: 5000 });
  await shotBoth(agent, 'workspace-triage');
  await agent.getByRole('button', { name: /Close conversation/ }).click();
  await customer.locator('body[data-owner=closed]').waitFor();
  assert.deepEqual(agent.problems, []);
  await agent.context().close();
  await customer.context().close();
});

// A signed-in customer's context comes from the shop: their orders and
// membership, beside the conversation.
test('the agent sees a signed-in customer\'s orders and member tier, and transfers with a note', async () => {
  const agent = await newPage(browser, 'zh');
  await agent.goto(srv.url + '/agent');
  await login(agent, srv, srv.user('agent', 0));
  await agent.locator('#live[data-state=on]').waitFor();
  await agent.getByLabel(/状态/).selectOption('away');
  const customer = await openChat(browser, srv, 'zh', srv.sign('demo-customer-1'));
  await say(customer, '我要找人工客服');
  await customer.locator('body[data-owner=queue]').waitFor();
  const item = agent.locator('#queues button.item').first();
  await item.waitFor();
  await item.click();
  await agent.getByRole('button', { name: '认领' }).click();
  await agent.locator('#customer .orders li').first().waitFor();
  const facts = await agent.locator('#customer').innerText();
  assert.match(facts, /demo-customer-1/);
  assert.match(facts, /DD202611030001/);
  assert.match(facts, /会员等级\s*\S+/);
  assert.match(facts, /意图\s*转人工客服/, 'intents by name, not label');
  await shotBoth(agent, 'workspace-customer');
  // Lines the page writes itself (the empty suggestion list too) follow the language menu.
  const was = await agent.locator('#lang').inputValue();
  await agent.locator('#lang').selectOption('en');
  await agent.locator('#suggestions li').first().waitFor();
  const own = await agent.locator('#suggestions li.muted, #suggestions .badge').allTextContents();
  assert.ok(own.length > 0 && own.every((x) => !/[\u4e00-\u9fff]/.test(x)), 'suggestions panel in the page language: ' + own.join(' | '));
  await agent.locator('#lang').selectOption(was);

  // Transfer to the orders queue with a note for the next agent.
  const convID = await agent.locator('#mine button.item').first().getAttribute('data-conv');
  await agent.getByRole('button', { name: '转接' }).click();
  await agent.getByLabel('转到队列').selectOption('orders');
  await agent.getByLabel('给下一位客服的备注').fill('客户想查 DD202611030001 的物流');
  await agent.locator('#transfer').getByRole('button', { name: '转接' }).click();
  await agent.locator('#conv').waitFor({ state: 'hidden' });
  await agent.locator('#queues button.item[data-conv="' + convID + '"]').waitFor();
  const admin = await apiLogin(srv, srv.user('admin'));
  const tk = (await apiCall(srv, admin, 'GET', '/v1/tickets?conversation_id=' + convID)).tickets[0];
  const comments = (await apiCall(srv, admin, 'GET', '/v1/tickets/' + tk.id)).comments;
  assert.ok(comments.some((c) => c.internal && c.body.includes('客户想查 DD202611030001 的物流')), 'the note is on the ticket');
  // The next agent (here the same one, from the orders queue) reads it.
  await agent.locator('#queues button.item[data-conv="' + convID + '"]').click();
  await agent.getByRole('button', { name: '认领' }).click();
  await agent.locator('#reply:not([disabled])').waitFor();
  await agent.locator('#notes').filter({ hasText: '客户想查 DD202611030001 的物流' }).waitFor();
  assert.match(await agent.locator('#summary').innerText(), /\S/, 'the hand-off summary is still there');
  await shot(agent, 'workspace-transfer-note.zh');
  assert.deepEqual(agent.problems, []);
  await agent.context().close();
  await customer.context().close();
});

// A supervisor sees an SLA breach as it happens: with a 2-second first
// response target, a hand-off nobody answers is reported on the page.
test('the supervisor view lists a ticket past its SLA target', async () => {
  const admin = await apiLogin(srv, srv.user('admin'));
  const policies = ['low', 'normal', 'high', 'urgent'].map((priority) => ({ priority, first_response_seconds: 2, next_response_seconds: 3600, resolution_seconds: 86400 }));
  await apiCall(srv, admin, 'PUT', '/v1/sla/policies', { policies });
  const page = await newPage(browser, 'en');
  await page.goto(srv.url + '/supervisor');
  await login(page, srv, srv.user('admin'));
  await page.locator('#live[data-state=on]').waitFor();
  const customer = await openChat(browser, srv, 'en');
  await say(customer, 'I want to talk to a human please');
  await customer.locator('body[data-owner=queue]').waitFor();
  // The page hears of the breach on its event stream.
  const breach = page.locator('#sla .badge.bad').filter({ hasText: /First response · breached/ });
  await breach.waitFor({ timeout: 20000 });
  await shotBoth(page, 'supervisor-sla');
  assert.deepEqual(page.problems, []);
  await page.context().close();
  await customer.context().close();
});
