#!/usr/bin/env bash
# Makes samples/data/digits-detect (the data of samples/detect_digits.dlx) from MNIST:
# 2000 training and 400 test canvases of 64x64 with one to three digits of 16 to 32 pixels each,
# seed 17. Needs MNIST (samples/data/fetch.sh mnist) and a JDK; any further options go to
# make_detection.java (--train N --test N --size S --min D --max D --objects K --seed SEED).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec java "$here/make_detection.java" "$here/mnist" "$here/digits-detect" "$@"
