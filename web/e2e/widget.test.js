// The customer widget, in a real browser against the real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, shot, shotBoth, langs, openChat as open, say as send } from './harness.js';

let srv, browser;
before(async () => { srv = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

const questions = { en: 'How long does delivery take?', zh: '发票怎么开？' };
const topic = { en: /days/, zh: /发票/ };

const openChat = (lang, query) => open(browser, srv, lang, query);

for (const lang of langs) {
  test(`a customer asks a help-center question and reads the answer with its source (${lang})`, async () => {
    const page = await openChat(lang);
    assert.equal(await page.locator('ol[role=log][aria-live=polite]').count(), 1, 'the messages are a live log');
    await send(page, questions[lang]);
    const answer = page.locator('li.msg-bot').last();
    await answer.waitFor();
    await page.locator('li.msg-customer:not(.pending)').waitFor();
    const text = await answer.innerText();
    // The source is named: as citation links, or as the answer's last line.
    const sources = await answer.locator('.sources li').allInnerTexts();
    const cited = sources.length > 0 ? sources.join(' ') : text;
    assert.ok(sources.length > 0, 'the answer cites its sources');
    assert.match(cited, lang === 'zh' ? /发票/ : /[Dd]elivery/, 'the source is the article that answers');
    assert.match(text, topic[lang], 'the answer answers the question');
    // The sources are listed once: below the answer, not also in its text.
    assert.doesNotMatch(text, /Sources: \[|来源：\[/, 'the sources are not repeated in the text');
    // API clients still get them in the text.
    const stored = await page.evaluate(async () => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('assist.chat.'));
      const c = JSON.parse(localStorage.getItem(key));
      const r = await fetch('/v1/conversations/' + c.id + '/messages', { headers: { Authorization: 'Bearer ' + c.token } });
      return (await r.json()).messages.filter((m) => m.author === 'bot').map((m) => m.text);
    });
    assert.match(stored.at(-1), lang === 'zh' ? /来源：\[1\]/ : /Sources: \[1\]/, 'the API text keeps its sources line');
    assert.equal(await page.getByRole('button', { name: /^Send$|^发送$/ }).count(), 1);
    await shot(page, `widget-answer.${lang}`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}

const quick = { en: 'Track my order', zh: '查询我的订单' };
for (const lang of langs) {
  test(`a new conversation opens with a greeting and quick replies that send their words (${lang})`, async () => {
    const page = await openChat(lang);
    const hello = page.locator('#log li.msg-greeting');
    assert.match(await hello.innerText(), lang === 'zh' ? /智能客服.*退货/s : /assistant.*return/s, 'says what the bot can do');
    assert.equal(await hello.locator('.choices button').count(), 3);
    await shot(page, `widget-greeting.${lang}`);
    await hello.getByRole('button', { name: quick[lang], exact: true }).click();
    await page.locator('li.msg-customer:not(.pending)').filter({ hasText: quick[lang] }).waitFor();
    const answer = page.locator('li.msg-bot').first();
    await answer.waitFor();
    assert.doesNotMatch(await answer.innerText(), /rephrase|换个说法/, 'the bot understood the quick reply');
    assert.equal(await hello.locator('.choices button').first().isDisabled(), true, 'the greeting\'s quick replies are spent');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}

test('customer text with markup shows literally and runs nothing (widget)', async () => {
  const page = await openChat('en');
  const attacks = ['<img src=x onerror="window.__pwned=1">', '<script>window.__pwned=2</script>', '[see](javascript:window.__pwned=3)'];
  for (const a of attacks) await send(page, a);
  await page.locator('li.msg-customer:not(.pending)').nth(attacks.length - 1).waitFor();
  const texts = await page.locator('li.msg-customer .text').allInnerTexts();
  for (const a of attacks) assert.ok(texts.includes(a), `${a} is shown as typed`);
  assert.equal(await page.locator('#log img, #log script, #log a[href^="javascript"]').count(), 0);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no injected code ran');
  await shotBoth(page, 'widget-markup');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a dropped connection resumes from the last message, without losing or repeating one', async () => {
  const page = await newPage(browser, 'en', { width: 480, height: 760 });
  // Keep a handle on the page's sockets so the test can cut them.
  await page.addInitScript(() => {
    const Native = window.WebSocket;
    window.__sockets = [];
    window.WebSocket = class extends Native { constructor(...a) { super(...a); window.__sockets.push(this); } };
  });
  await page.goto(`${srv.url}/chat?tenant=${srv.creds.tenant}`);
  await page.locator('.conn[data-state=online]').waitFor();
  await send(page, 'hello');
  await page.locator('li.msg-bot').first().waitFor();
  const before = await page.locator('#log li').count();
  // Cut the socket and write while it is down: the message waits and goes
  // with the same idempotency key once the socket is back.
  await page.evaluate(() => window.__sockets.at(-1).close());
  await page.locator('.conn[data-state=offline]').waitFor();
  await send(page, questions.en);
  await page.locator('.conn[data-state=online]').waitFor();
  await page.locator('li.msg-customer:not(.pending)').nth(1).waitFor();
  await page.locator('li.msg-bot').nth(1).waitFor();
  const ids = await page.locator('#log li[data-id]').evaluateAll((ls) => ls.map((l) => l.dataset.id));
  assert.equal(new Set(ids).size, ids.length, 'no message shown twice');
  assert.ok(ids.length > before, 'the new message and its answer arrived');
  assert.equal(await page.locator('li.msg-customer').filter({ hasText: questions.en }).count(), 1, 'the message sent offline is stored once');
  // A reload shows the same conversation, in the same order.
  await page.reload();
  await page.locator('.conn[data-state=online]').waitFor();
  await page.locator('#log li[data-id]').nth(ids.length - 1).waitFor();
  const again = await page.locator('#log li[data-id]').evaluateAll((ls) => ls.map((l) => l.dataset.id));
  assert.deepEqual(again, ids);
  await shotBoth(page, 'widget-resumed');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

const orderQuestion = { en: 'Where is my order?', zh: '我的订单到哪了' };
for (const lang of langs) {
  test(`a signed-in customer checks an order by picking it from the quick replies (${lang})`, async () => {
    const page = await openChat(lang, srv.sign('demo-customer-1'));
    await send(page, orderQuestion[lang]);
    const choices = page.locator('li.msg-bot .choices').last();
    await choices.waitFor();
    // The shipped hoodie order, picked with the keyboard.
    const pick = choices.getByRole('button', { name: /Hoodie|卫衣/ });
    await pick.focus();
    await page.keyboard.press('Enter');
    const answer = page.locator('li.msg-bot').filter({ hasText: /SF|顺丰/ }).last();
    await answer.waitFor();
    assert.equal(await choices.getByRole('button').first().isDisabled(), true, 'the quick replies are spent once one is picked');
    assert.match(await answer.innerText(), /SF1234567890123/, 'the tracking number of the picked order');
    assert.equal(await answer.locator('.card').count() > 0, true, 'shown as a card');
    await shot(page, `widget-order.${lang}`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}

// The snippet on a shop's own site (another origin): a chat button that
// opens the widget in a frame; the shop page cannot reach into it.
test('the widget snippet on a shop site opens the chat in a frame the shop cannot read', async () => {
  const { createServer } = await import('node:http');
  const shop = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>A shop</title></head><body><h1>A shop</h1>
      <script src="${srv.url}/widget.js" data-tenant="${srv.creds.tenant}" async></script></body></html>`);
  });
  await new Promise((ok) => shop.listen(0, '127.0.0.1', ok));
  try {
    const page = await newPage(browser, 'en');
    await page.goto(`http://localhost:${shop.address().port}/`);
    await page.getByRole('button', { name: 'Chat with us' }).click();
    const frame = page.frameLocator('iframe[data-assist-widget=frame]');
    await frame.locator('.conn[data-state=online]').waitFor();
    const box = frame.getByRole('textbox', { name: 'Your message' });
    await box.fill(questions.en);
    await box.press('Enter');
    await frame.locator('li.msg-bot .sources li').first().waitFor();
    assert.equal(await page.evaluate(() => document.querySelector('iframe').contentDocument), null, 'the shop page cannot read the chat');
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing of the chat is stored in the shop origin');
    for (const l of langs) {
      await frame.locator('#lang').selectOption(l);
      await shot(page, `widget-embedded.${l}`);
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  } finally {
    shop.close();
  }
});
