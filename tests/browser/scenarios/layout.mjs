// Screenshots of the sign-in page and of the signed-in tab (a log open, the create form open)
// at 375 px and 1280 px into the build tree, and at each width a check that nothing is wider
// than the window (SPEC §16 "readable at 375 px and 1280 px wide").
import {card, check, expectNoHorizontalOverflow, run, signIn, env} from "../lib/harness.mjs";

run("layout", async ({context, page, hub, screenshot}) => {
  for (const width of [375, 1280]) {
    await context.clearCookies();
    await page.setViewportSize({width, height: 800});
    await page.goto(`${hub}/dashboard`);
    await page.getByRole("button", {name: "Sign in"}).waitFor();
    await expectNoHorizontalOverflow(page, `sign-in at ${width} px`);
    await screenshot(`sign-in-${width}.png`, {fullPage: true});

    await signIn(page, hub, env("API_KEY"));
    const down = card(page, "Receiver /hooks/down");
    await down.getByRole("button", {name: "Deliveries"}).click();
    const failed = down.locator('li[data-status="failed"]').first();
    await failed.waitFor();
    await failed.locator("summary").click();
    // The 24-hour chart: the caption counts, and the current hour has a green column.
    const up = card(page, "Receiver /hooks/up");
    await up.getByText(/Last 24 h: 1 succeeded/).waitFor();
    const green = await up.locator("svg rect.bar-ok").evaluateAll((bars) => bars.filter((b) => Number(b.getAttribute("height")) > 0).length);
    check(green === 1, `one hour of the chart has succeeded attempts (got ${green})`);
    await page.getByRole("button", {name: "New integration"}).click();
    await page.getByRole("region", {name: "New integration"}).waitFor();
    await expectNoHorizontalOverflow(page, `the Integrations tab at ${width} px`);
    await screenshot(`dashboard-${width}.png`, {fullPage: true});
  }
});
