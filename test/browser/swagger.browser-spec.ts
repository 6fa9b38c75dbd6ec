import type { Browser, Locator, Page } from 'playwright-core';
import { randomOrderId } from '../support/payments.js';
import { launchBrowser, saveScreenshot } from '../support/browser.js';
import { startTestApp, TEST_API_KEY, TestApp } from '../support/test-app.js';

// Swagger UI as a new user clicks through it: authorize, create two payments in a row, simulate one, see it PAID.
describe('Swagger UI (/docs) in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const operation = (id: string): Locator => page.locator(`#operations-payments-${id}`);

  /** Opens an operation, presses "Try it out" once, and returns its block. */
  async function tryOut(id: string): Promise<Locator> {
    const block = operation(id);
    await block.locator('.opblock-summary').first().click();
    await block.locator('button.try-out__btn').click();
    return block;
  }

  /** Presses Execute and returns the live response's status and parsed body. */
  async function execute(block: Locator): Promise<{ status: number; body: any }> {
    // The previous answer is cleared first, so this one cannot be mistaken for it.
    const clear = block.locator('button.btn-clear');
    if ((await clear.count()) > 0) await clear.click();
    await block.locator('button.execute').click();
    const live = block.locator('.live-responses-table .response').first();
    await live.waitFor({ timeout: 20_000 });
    const status = Number((await live.locator('.response-col_status').innerText()).trim());
    const text = await live.locator('.response-col_description pre').first().innerText();
    return { status, body: JSON.parse(text) as unknown };
  }

  async function setBody(block: Locator, json: object): Promise<void> {
    const textarea = block.locator('textarea.body-param__text');
    await textarea.fill(JSON.stringify(json, null, 2));
  }

  it('authorizes with the API key, creates two payments in a row and simulates one to PAID', async () => {
    await page.goto(`${t.url}/docs`);
    await page.locator('.swagger-ui .info').waitFor();

    // Authorize: the dialog says what to paste; the key alone goes into api-key.
    await page.locator('button.authorize').first().click();
    const dialog = page.locator('.dialog-ux');
    const apiKey = dialog.locator('.auth-container').filter({ hasText: 'api-key' });
    expect(await apiKey.innerText()).toContain('generated-secrets.json');
    await apiKey.locator('input').fill(TEST_API_KEY);
    await apiKey.locator('button.authorize').click();
    await saveScreenshot(page, 'swagger-01-authorize');
    await dialog.locator('button.btn-done').first().click();

    // Create: no Idempotency-Key is filled in for us; two creations in a row both answer 201.
    const create = await tryOut('PaymentsController_create');
    const idempotencyKey = create.locator('tr[data-param-name="Idempotency-Key"] input');
    expect(await idempotencyKey.inputValue()).toBe('');
    await setBody(create, { orderId: randomOrderId('swagger-a'), amount: 20_000 });
    const first = await execute(create);
    expect(first.status).toBe(201);
    await setBody(create, { orderId: randomOrderId('swagger-b'), amount: 35_000 });
    const second = await execute(create);
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    await saveScreenshot(page, 'swagger-02-two-payments');

    // Simulate the first with the body Swagger UI offers: it pays what is due, exactly.
    await create.locator('.opblock-summary').first().click();
    const simulate = await tryOut('SimulationController_simulate');
    await simulate.locator('tr[data-param-name="id"] input').fill(first.body.id);
    expect(JSON.parse(await simulate.locator('textarea.body-param__text').inputValue())).toEqual({});
    const simulated = await execute(simulate);
    expect(simulated.status).toBe(200);
    expect(simulated.body.amount).toBe(20_000);
    expect(simulated.body.payment.status).toBe('PAID');
    await saveScreenshot(page, 'swagger-03-simulated');

    // And reading it back shows it PAID.
    await simulate.locator('.opblock-summary').first().click();
    const get = await tryOut('PaymentsController_get');
    await get.locator('tr[data-param-name="id"] input').fill(first.body.id);
    const read = await execute(get);
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('PAID');
    expect(read.body.amountPaid).toBe(20_000);
    await saveScreenshot(page, 'swagger-04-paid');
  }, 120_000);
});
