#!/usr/bin/env bash
# `make bench`: every benchmark, each beside its reference tool in the same run. Results: Benchmarks/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(swift build -c release --show-bin-path)
echo "== catalog projection"
"$bin/BenchCatalog" 1000000
echo "== HTTP engine vs curl"
bash Benchmarks/http.sh "$bin/BenchHTTP"
echo "== import and dirty-set rebuild vs sqlite3"
bash Benchmarks/store.sh "$bin"
echo "== sync engine: change-to-acknowledgement latency and single-call throughput vs curl"
"$bin/BenchSync" "$bin/marketplace-sandbox" "${SYNC_EDITS:-1000}" "${SYNC_UPDATES:-100000}" ${SYNC_QUOTA_CHANGES:-10000}
echo "== sync engine: path choice by the account's budget (400 SKUs × 6 EU marketplaces, published quotas)"
"$bin/BenchSync" "$bin/marketplace-sandbox" path
echo "== oversell window: an order on one marketplace to the new quantity on every other channel (published quotas)"
"$bin/BenchOrders" "$bin/marketplace-sandbox" "${ORDERS:-60}" "${ORDERS_SPACING:-5}" "${ORDER_POLL_SECONDS:-60}"
