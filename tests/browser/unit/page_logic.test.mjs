// The page's pure logic, without a browser (node --test): the 24-hour chart's buckets and
// totals — from the log, or from the hub's stats.last24h when it serves them (SPEC §15) — and
// the message for a return from OAuth.
import assert from "node:assert/strict";
import {test} from "node:test";

import {hourlyBuckets, summaryText, totals} from "../../../hub/dashboard/web/chart.js";
import {returnMessage} from "../../../hub/dashboard/web/oauth.js";

const HOUR = 3600 * 1000;
const now = Date.parse("2026-12-02T12:30:00Z");
const at = (ms, status) => ({createdAt: new Date(now - ms).toISOString(), status});

test("attempts fall into the hour they were made, oldest hour first", () => {
  const buckets = hourlyBuckets([at(0, "succeeded"), at(10 * 60 * 1000, "failed"), at(2 * HOUR + 1, "pending"),
                                 at(23 * HOUR + 59 * 60 * 1000, "succeeded")], now);
  assert.equal(buckets.length, 24);
  assert.deepEqual(buckets[23], {succeeded: 1, failed: 1});
  assert.deepEqual(buckets[21], {succeeded: 0, failed: 1}, "a failed attempt that will be retried is a failure");
  assert.deepEqual(buckets[0], {succeeded: 1, failed: 0});
});

test("attempts older than 24 hours, or from the future, are left out", () => {
  const buckets = hourlyBuckets([at(24 * HOUR, "succeeded"), at(-5000, "failed")], now);
  assert.equal(buckets.reduce((n, b) => n + b.succeeded + b.failed, 0), 0);
});

test("totals come from stats.last24h when the hub serves it", () => {
  const log = [{createdAt: new Date().toISOString(), status: "succeeded"}];
  assert.deepEqual(totals(log, {last24h: {succeeded: 120, failed: 3, pending: 2}}),
                   {succeeded: 120, failed: 3, pending: 2, exact: true});
  assert.deepEqual(totals(log, {total: 1, succeeded: 1}), {succeeded: 1, failed: 0, pending: 0, exact: false},
                   "without last24h (today's stats shape) the log is counted");
  assert.equal(summaryText({succeeded: 120, failed: 3, pending: 2}),
               "Last 24 h: 120 succeeded, 3 failed, 2 pending (98% success)");
  assert.equal(summaryText({succeeded: 0, failed: 0, pending: 0}), "No deliveries in the last 24 hours");
});

test("the OAuth return says connected, or why not, by the provider's name", () => {
  const providers = [{id: "hubspot", name: "HubSpot"}, {id: "salesforce", name: "Salesforce"}];
  assert.deepEqual(returnMessage("?provider=salesforce&status=connected", providers),
                   {ok: true, text: "Salesforce is connected."});
  assert.deepEqual(returnMessage("?provider=hubspot&status=error&reason=state_expired", providers),
                   {ok: false, text: "HubSpot could not be connected: the sign-in took longer than 10 minutes (state_expired)."});
  assert.equal(returnMessage("?provider=pipedrive&status=error&reason=new_reason", []).text,
               "pipedrive could not be connected: new_reason (new_reason).");
  assert.equal(returnMessage("", providers), null);
  assert.equal(returnMessage("?status=connected", providers), null);
});
