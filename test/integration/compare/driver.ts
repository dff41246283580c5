// The driver's side of the webview queries (see webview-query.ts): finds the compare panel's frame among
// the workbench's iframes, performs the actions with Playwright, evaluates the script and writes the answer.
// It also records every dialog the page opens (none should: no alert() from a run name).
import { writeFileSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { parseWebviewRequest, type Action, type WebviewAnswer, type WebviewRequest } from './webview-query';

const FIND_FRAME_MS = 20_000;
/** True in the page of the compare webview (webview/compare/main.ts renders into #app[data-view=compare]). */
const IS_COMPARE = `document.querySelector('main#app[data-view="compare"]') !== null`;

export function webviewDriver(): (line: string, page: Page) => void {
  const dialogs: string[] = [];
  const watched = new WeakSet<Page>();
  return (line, page) => {
    const parsed = parseWebviewRequest(line);
    if (!parsed) return;
    if (!watched.has(page)) {
      watched.add(page);
      page.on('dialog', (dialog) => {
        dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        void dialog.dismiss();
      });
    }
    void answer(page, parsed.request).then(
      (value): WebviewAnswer => ({ ok: true, value, dialogs }),
      (error: Error): WebviewAnswer => ({ ok: false, error: error.message, dialogs }),
    ).then((result) => writeFileSync(parsed.answerFile, JSON.stringify(result)));
  };
}

async function answer(page: Page, request: WebviewRequest): Promise<unknown> {
  if (request.frame === 'all') {
    return Promise.all(page.frames().map(async (frame) => ({ url: frame.url(), value: await frame.evaluate(request.script).catch((e: Error) => `error: ${e.message}`) })));
  }
  const frame = request.frame === 'workbench' ? page.mainFrame() : await compareFrame(page);
  for (const action of request.actions ?? []) await perform(frame, action);
  return frame.evaluate(request.script);
}

/** The newest frame showing the compare panel (an old one may linger for a moment after a reload). */
async function compareFrame(page: Page): Promise<Frame> {
  for (const deadline = Date.now() + FIND_FRAME_MS; Date.now() < deadline; await page.waitForTimeout(200)) {
    const matches = await Promise.all(page.frames().map(async (frame) => ((await frame.evaluate(IS_COMPARE).catch(() => false)) ? frame : undefined)));
    const found = matches.filter((frame): frame is Frame => frame !== undefined).at(-1);
    if (found) return found;
  }
  throw new Error(`no compare panel frame within ${FIND_FRAME_MS / 1000} s`);
}

async function perform(frame: Frame, action: Action): Promise<void> {
  if ('click' in action) await frame.locator(action.click).first().click();
  else if ('press' in action) await frame.locator(action.on).first().press(action.press);
  else if ('hover' in action) {
    const target = frame.locator(action.hover).first();
    const box = await target.boundingBox();
    if (!box) throw new Error(`${action.hover} is not visible`);
    await target.hover({ position: { x: box.width * action.at.x, y: box.height * action.at.y } });
  } else await frame.locator(action.scroll).first().scrollIntoViewIfNeeded();
}
