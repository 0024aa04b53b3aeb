// Signed in by the main application (SPEC §16): the browser already has the app's smb_session
// cookie (a JWT the C++ test signs with auth.session_secret, as the app would), so the page opens
// on the account's integrations without asking for a key; Sign out removes the cookie.
import {check, env, run} from "../lib/harness.mjs";

run("app-session", async ({context, page, hub}) => {
  await context.addCookies([{name: "smb_session", value: env("APP_SESSION"), url: hub, httpOnly: true, sameSite: "Lax"}]);
  await page.goto(`${hub}/dashboard`);
  await page.getByRole("heading", {name: "Integrations", exact: true}).waitFor();
  check(await page.getByRole("button", {name: "Sign in"}).count() === 0, "no sign-in form");
  await page.getByText(env("ACCOUNT_NAME"), {exact: true}).waitFor();
  await page.getByRole("article", {name: env("INTEGRATION_NAME"), exact: true}).waitFor();
  await page.getByRole("button", {name: "Sign out"}).click();
  await page.getByRole("button", {name: "Sign in"}).waitFor();
  check(!(await context.cookies()).some((c) => c.name === "smb_session"), "smb_session is removed");
});
