#!/usr/bin/env bash
# Store benchmarks: catalog import vs sqlite3's own .import, and the dirty-set rebuild.
# Usage: Benchmarks/store.sh [RELEASE_BUILD_DIR]   (default .build/release; build with
#        `swift build -c release --product BenchStore` first). Results: Benchmarks/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-.build/release}/BenchStore"
DATA=Benchmarks/.data
ROWS=${ROWS:-1000000}
IMPORT_CHANNELS=${IMPORT_CHANNELS:-3}
REBUILD_CHANNELS=10
mkdir -p "$DATA"
CSV="$DATA/catalog-$ROWS.csv"
[ -s "$CSV" ] || "$BIN" generate "$CSV" "$ROWS"

now() { date +%s.%N; }
field() { tr ' ' '\n' | sed -n "s/^$1=//p"; }

# Engine import into a fresh store.
rm -f "$DATA"/import.sqlite*
engine=$("$BIN" import "$CSV" "$DATA/import.sqlite" "$IMPORT_CHANNELS")

# sqlite3's own .import of the same file into a comparable table (same columns, SKU primary key, STRICT).
rm -f "$DATA"/sqlite3.sqlite*
sqlite3 "$DATA/sqlite3.sqlite" "CREATE TABLE product (sku TEXT PRIMARY KEY, title TEXT, price TEXT, quantity TEXT,
  description TEXT, brand TEXT, product_type TEXT, hs_code TEXT, origin_country TEXT, district TEXT,
  weight_grams TEXT, image_urls TEXT, attributes TEXT, title_hi TEXT, channels TEXT) STRICT;"
start=$(now)
sqlite3 "$DATA/sqlite3.sqlite" ".import --csv --skip 1 $CSV product"
sqlite_seconds=$(echo "$(now) - $start" | bc)
sqlite_rows=$(sqlite3 "$DATA/sqlite3.sqlite" "SELECT count(*) FROM product")

engine_rate=$(echo "$engine" | field rows_per_s)
sqlite_rate=$(echo "$sqlite_rows / $sqlite_seconds" | bc)
ratio=$(echo "scale=2; $sqlite_rate / $engine_rate" | bc)
echo "import: $(echo "$engine" | field rows) rows, engine $engine_rate rows/s, sqlite3 .import $sqlite_rate rows/s," \
  "ratio ${ratio}x, peak RSS $(echo "$engine" | field peak_rss_mb) MB" \
  "($IMPORT_CHANNELS channels marked dirty, $(echo "$engine" | field errors) errors)"

# Dirty-set rebuild: seed (not timed) in one process, rebuild in another.
SEEDED="$DATA/rebuild-$ROWS.sqlite"
if [ ! -s "$SEEDED.done" ]; then
  rm -f "$SEEDED"*
  "$BIN" seed "$SEEDED" "$ROWS" "$REBUILD_CHANNELS" > "$SEEDED.done"
fi
sqlite3 "$SEEDED" "DELETE FROM dirty"
rebuild=$("$BIN" rebuild "$SEEDED" "$REBUILD_CHANNELS")
echo "rebuild: $(echo "$rebuild" | field products) SKUs x $REBUILD_CHANNELS channels, 1% changed," \
  "$(echo "$rebuild" | field seconds) s, peak RSS $(echo "$rebuild" | field peak_rss_mb) MB" \
  "($(echo "$rebuild" | field marked) pairs marked)"
