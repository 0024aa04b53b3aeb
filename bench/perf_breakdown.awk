# Reads `perf script` output of smb-hub (recorded with call graphs) and says where its CPU time
# goes: each sample is put in the first component whose marker appears in its call stack, and
# store samples are split into SQL compile (sqlite3_prepare), execution (sqlite3_step) and
# Poco::Data binding/extraction. Used by bench/run.sh when PERF=1.
BEGIN {
  n = split("SqlDeliveryQueue::claimDue|SqlDeliveryQueue::defer|SqlDeliveryQueue::record|SqlDeliveryQueue::publish|SqlIntegrationStore::fanoutTargets|SqlAccountStore::|SqlDatabase::|handshake|signedRequest|EventPublisher::publish|smbhub::api::|smbhub::server::|Exchange|boost::asio|DeliveryEngine", marker, "|")
  split("claimDue (store: claim retries due)|defer (store: push back over-limit claims)|record (store: attempt rows + delivery/integration updates)|publish: SqlDeliveryQueue::publish (event + delivery INSERTs, leases, commit)|publish: fanoutTargets (per event, cached)|publish: account lookup|other store calls|TLS handshakes (new outbound connections)|signing (HMAC-SHA256 + headers)|publish: validate/shape/envelope|API routing, auth, JSON parse|front door (hub/server: parsing, socket I/O)|sender: Beast/Asio HTTP + TLS records|sender: other Asio|engine: dispatch/finish bookkeeping", name, "|")
  split("sqlite3_prepare|sqlite3_step|commit|Poco::Data", smark, "|")
  split("SQL compile (sqlite3_prepare)|SQL execution (sqlite3_step)|commit|Poco::Data bind/extract/RecordSet", sname, "|")
}
function flush(   i, j, c, s) {
  if (stack == "") return
  total++
  c = "other (kernel scheduling, malloc outside the above, ...)"
  for (i = 1; i <= n; i++) if (index(stack, marker[i])) { c = name[i]; break }
  comp[c]++
  if (index(stack, "smbhub::store::Sql")) {
    db++
    s = "other database work"
    for (j = 1; j <= 4; j++) if (index(stack, smark[j])) { s = sname[j]; break }
    sub_[s]++
  }
  stack = ""
}
/^$/ { flush(); next }
/^[^ \t]/ { flush(); next }
{ stack = stack "\n" $0 }
END {
  flush()
  if (total == 0) { print "no samples"; exit }
  printf "%d samples of smb-hub\n", total
  for (c in comp) printf "%6.1f%%  %s\n", comp[c] * 100 / total, c | "sort -rn"
  close("sort -rn")
  printf "of which in the store (store/Sql*: SQLite or PostgreSQL): %.1f%%\n", db * 100 / total
  for (s in sub_) printf "%6.1f%%    %s\n", sub_[s] * 100 / total, s | "sort -rn"
  close("sort -rn")
}
