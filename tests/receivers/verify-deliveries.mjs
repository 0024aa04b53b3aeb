// node verify-deliveries.mjs <deliveries.json>
//
// Verifies deliveries the hub really sent with the libraries a receiver already has, exactly as
// their documentation says to call them:
//   standardwebhooks  new Webhook(secret).verify(rawBody, headers)        (webhook-signature)
//   svix (1.x)        new Webhook(secret).verify(rawBody, headers)        (webhook-signature)
//   stripe            Stripe.webhooks.constructEvent(rawBody, header, secret)  (X-SMB-Signature)
// and, as controls, that each library refuses the same request with one body byte changed and
// with another secret. Input: {"deliveries":[{"label", "secret", "webhookSecret"?,
// "headers":{name: value}, "bodyBase64"}]}; webhookSecret, when given, is what standardwebhooks
// and svix get instead of secret. Output (stdout): {"results":[{"label", "<library>": "ok" | error message,
// "<library>:tamperedBody": …, "<library>:otherSecret": …}]}. Exits 0 when the input was readable;
// the caller judges the results.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { Webhook: StandardWebhook } = require("standardwebhooks");
const { Webhook: SvixWebhook } = require("svix");
const Stripe = require("stripe");

// A valid secret in the hub's format that signed none of the deliveries.
const OTHER_SECRET = "whsec_" + Buffer.alloc(32, 7).toString("base64");

// Each library with the secret it is given: [verify, reads webhookSecret].
const libraries = {
  standardwebhooks: [(secret, headers, rawBody) => new StandardWebhook(secret).verify(rawBody, headers), true],
  svix: [(secret, headers, rawBody) => new SvixWebhook(secret).verify(rawBody, headers), true],
  stripe: [(secret, headers, rawBody) =>
    Stripe.webhooks.constructEvent(rawBody, headers["x-smb-signature"], secret), false],
};

function attempt(verify, secret, headers, rawBody) {
  try {
    const parsed = verify(secret, headers, rawBody);
    // Every library hands back the parsed JSON body once it verifies.
    if (parsed === undefined || parsed === null) return "verified, but no parsed body came back";
    return "ok";
  } catch (err) {
    return `${err.name}: ${err.message}`.split("\n")[0];
  }
}

function tamper(rawBody) {
  const copy = Buffer.from(rawBody);
  const at = Math.floor(copy.length / 2);
  // Swap one character for another printable one, so the body stays plausible UTF-8 text.
  copy[at] = copy[at] === 0x41 ? 0x42 : 0x41;
  return copy;
}

const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
const results = input.deliveries.map((delivery) => {
  const headers = {};
  for (const [name, value] of Object.entries(delivery.headers)) headers[name.toLowerCase()] = value;
  const rawBody = Buffer.from(delivery.bodyBase64, "base64");
  const result = { label: delivery.label };
  for (const [name, [verify, readsWebhookSecret]] of Object.entries(libraries)) {
    const secret = readsWebhookSecret && delivery.webhookSecret ? delivery.webhookSecret : delivery.secret;
    result[name] = attempt(verify, secret, headers, rawBody);
    result[`${name}:tamperedBody`] = attempt(verify, secret, headers, tamper(rawBody));
    result[`${name}:otherSecret`] = attempt(verify, OTHER_SECRET, headers, rawBody);
  }
  return result;
});
process.stdout.write(JSON.stringify({ results }) + "\n");
