// Runs the Node.js snippets of docs/signatures.md, as ReceiverDocsTest extracted them into
// <snippet dir>, over samples the test wrote (ReceiverDocsTest.cpp says the layout):
//   node run-snippets.cjs <snippet dir> <samples file>   prints "<sample dir>\t<check>\t<ok|error>"
//   node run-snippets.cjs <snippet dir> convert <secret> prints the converted secret
// Checks: webhook (verify-webhook.js), smb (verify.js), eachV1 (verify-each-v1.js, the Integrations
// page's snippet run for every v1 of X-SMB-Signature; it checks no timestamp, so it counts for
// fresh samples only), and for samples signed just now the library snippets as the docs show
// them: standardwebhooks, the same with svix, stripe.
"use strict";
const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

const [snippetDir, mode, secretToConvert] = process.argv.slice(2);
const snippet = (name) => fs.readFileSync(path.join(snippetDir, name), "utf8");
// The libraries resolve from tests/receivers/node_modules, where install-deps.sh put them.
const libraryRequire = createRequire(path.join(__dirname, "..", "package.json"));

function outcome(check) {
  try {
    check();
    return "ok";
  } catch (err) {
    return String(err && err.message ? err.message : err).split("\n")[0] || "failed";
  }
}

function runLibrarySnippet(code, rawBody, headers) {
  // The snippet reads rawBody, req and process.env.SIGNING_SECRET, and leaves the parsed body in `event`.
  const event = new Function("require", "rawBody", "req", `${code}\nreturn event;`)(
    libraryRequire, rawBody, { headers });
  if (!event || typeof event !== "object") throw new Error("the snippet gave no parsed body");
}

if (mode === "convert") {
  const converted = new Function("oldSecret", `${snippet("node/convert-secret.js")}\nreturn converted;`)(
    secretToConvert);
  process.stdout.write(`${converted}\n`);
} else {
  const { verifyWebhookSignature } = require(path.resolve(snippetDir, "node/verify-webhook.js"));
  const { verifySmbSignature } = require(path.resolve(snippetDir, "node/verify.js"));
  // It reads `header`, `rawBody` (a string) and process.env.SIGNING_SECRET, and throws unless verified.
  const eachV1 = new Function("crypto", "header", "rawBody", snippet("node/verify-each-v1.js"));
  const standard = snippet("node/standardwebhooks.js");
  const librarySnippets = {
    standardwebhooks: standard,
    // The docs say svix's Webhook is called the same way: the same snippet, requiring svix.
    svix: standard.replace('require("standardwebhooks")', 'require("svix")'),
    stripe: snippet("node/stripe.js"),
  };
  for (const dir of fs.readFileSync(mode, "utf8").split("\n").filter(Boolean)) {
    const file = (name) => fs.readFileSync(path.join(dir, name));
    const headers = {};
    for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature", "x-smb-signature"]) {
      headers[name] = file(name).toString("utf8");
    }
    const rawBody = file("body");
    const secret = file("secret").toString("utf8");
    const now = Number(file("now").toString("utf8"));
    const results = {
      webhook: outcome(() => verifyWebhookSignature(headers, rawBody, secret, now)),
      smb: outcome(() => verifySmbSignature(headers["x-smb-signature"], rawBody, secret, now)),
      eachV1: outcome(() => {
        process.env.SIGNING_SECRET = secret;
        eachV1(require("crypto"), headers["x-smb-signature"], rawBody.toString("utf8"));
      }),
    };
    if (file("fresh").toString("utf8") === "1") {
      process.env.SIGNING_SECRET = secret;
      for (const [name, code] of Object.entries(librarySnippets)) {
        results[name] = outcome(() => runLibrarySnippet(code, rawBody, headers));
      }
    }
    for (const [check, result] of Object.entries(results)) process.stdout.write(`${dir}\t${check}\t${result}\n`);
  }
}
