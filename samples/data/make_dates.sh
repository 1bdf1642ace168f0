#!/usr/bin/env bash
# Makes samples/data/dates (the data of samples/date_translator.dlx): dates written by people in
# 19 formats paired with their ISO form, 10000 training, 1000 validation and 1000 test pairs,
# seed 2001. Needs a JDK; any further options go to make_dates.java
# (--train N --val N --test N --seed SEED).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec java "$here/make_dates.java" "$here/dates" "$@"
