// The knowledge console: a knowledge manager uploads an article, finds it
// with the try-it box, keeps a macro and deletes the article.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, shot, shotBoth, login, langs, openChat, say } from './harness.js';

let srv, browser;
before(async () => { srv = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

// The article carries markup: the loaders drop it, and nothing of it runs
// in the console.
const article = `Gift wrapping

Gift wrapping costs 8 yuan per parcel and is chosen at checkout. <img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>
Wrapped parcels ship with a handwritten card on request.
`;

for (const lang of langs) {
  test(`a knowledge manager uploads an article, finds it in try-it, keeps a macro and deletes the article (${lang})`, async () => {
    const page = await newPage(browser, lang, { width: 1280, height: 1300 });
    await page.goto(srv.url + '/console');
    await login(page, srv, srv.user('admin'));
    await page.locator('#doclist tr[data-doc]').first().waitFor();
    const before = await page.locator('#doclist tr[data-doc]').count();

    await page.getByLabel(/Files|文件/).setInputFiles({ name: `gift-wrapping-${lang}.txt`, mimeType: 'text/plain', buffer: Buffer.from(article) });
    await page.getByRole('button', { name: /^Upload$|^上传$/ }).click();
    await page.locator('#upload-status').filter({ hasText: /Stored 1 documents|已保存 1 篇/ }).waitFor();
    assert.equal(await page.locator('#progress').getAttribute('value'), '100');
    await page.locator('#doclist tr[data-doc]').nth(before).waitFor();

    await page.getByPlaceholder(/Ask a question|像顾客一样/).fill('How much does gift wrapping cost?');
    await page.getByRole('button', { name: /^Ask$|^提问$/ }).click();
    await page.locator('#answer .chunks li').first().waitFor();
    const chunks = await page.locator('#answer .chunks').innerText();
    assert.match(chunks, /Gift wrapping/);
    assert.match(chunks, /score|得分/);
    assert.match(await page.locator('#answer').innerText(), /confidence|置信度/);
    assert.equal(await page.locator('#answer img, #answer script').count(), 0);

    if (await page.locator('#macros').isVisible()) {
      const form = page.locator('#macro-form');
      await form.getByRole('textbox', { name: /Title|标题/ }).fill('Wrapping price ' + lang);
      await form.getByRole('textbox', { name: /Text|内容/ }).fill('Gift wrapping is 8 yuan per parcel.');
      await page.getByRole('button', { name: /Save macro|保存快捷回复/ }).click();
      await page.locator('#macrolist').filter({ hasText: 'Wrapping price ' + lang }).waitFor();
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, `console.${lang}`);

    const row = page.locator('#doclist tr', { hasText: `gift-wrapping-${lang}` }).first();
    const del = row.getByRole('button', { name: /Delete|删除/ });
    await del.click();
    await del.click(); // asked again on the button itself
    await page.locator('#doclist tr', { hasText: `gift-wrapping-${lang}` }).waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}

// The gap report's loop: a question the bot could not answer, a thumbs
// down, the answer written and published in the console, and the bot
// answering the next customer who asks.
test('a knowledge manager publishes the answer to a question the bot could not answer; the bot then answers it', async () => {
  const question = 'Can you engrave a name on the watch I buy?';
  const first = await openChat(browser, srv, 'en');
  await say(first, question);
  const reply = first.locator('li.msg-bot').last();
  await reply.waitFor();
  await reply.getByRole('button', { name: 'Not helpful' }).click();
  await reply.getByText('Thanks for your feedback.').waitFor();
  await first.context().close();

  // Seen in Chinese, then answered and published in English.
  for (const lang of ['zh', 'en']) {
    const page = await newPage(browser, lang, { width: 1280, height: 900 });
    await page.goto(srv.url + '/console#gaps');
    await login(page, srv, srv.user('admin'));
    const gap = page.locator('#gaplist li.gap').filter({ hasText: /engrave/ }).first();
    await gap.waitFor();
    await gap.scrollIntoViewIfNeeded();
    await shot(page, `console-gaps.${lang}`);
    if (lang === 'zh') { await page.context().close(); continue; }
    await gap.getByRole('textbox', { name: /Answer to/ }).fill('Yes: we engrave up to 12 letters on any watch for 30 yuan. Choose "Engraving" at checkout.');
    await gap.getByRole('button', { name: /Publish/ }).click();
    await page.locator('#gaplist li.gap').filter({ hasText: /engrave/ }).waitFor({ state: 'detached' });
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }

  const next = await openChat(browser, srv, 'en');
  await say(next, question);
  await next.locator('li.msg-bot').filter({ hasText: /30 yuan/ }).waitFor();
  await shotBoth(next, 'widget-published');
  await next.context().close();
});
