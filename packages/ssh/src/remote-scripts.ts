// The scripts the transfers run on the host: POSIX sh, base64, sha256sum (or shasum -a 256), wc,
// sed, mv — nothing else, no Python, no Node. Markers are printed as `printf 'WL-%s-%s' KIND
// "$nonce"`, so the command line itself (should a gateway echo it) never contains one.

/** sh functions: `wl_sha FILE` prints the hex sha256, `wl_size FILE` the size in bytes. */
const HELPERS = [
  'wl_sha() { if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d\' \' -f1; }',
  "wl_size() { wc -c < \"$1\" | tr -d ' '; }",
  'wl_mark() { kind=$1; shift; printf \'WL-%s-%s\' "$kind" "$nonce"; for arg in "$@"; do printf \' %s\' "$arg"; done; printf \'\\n\'; }',
].join("\n");

/** Checks `$tmp` against `$size` and `$sum`, then moves it to `$dest` (same folder: atomic). */
const FINISH = `got=$(wl_size "$tmp"); have=$(wl_sha "$tmp")
if [ "$got" = "$size" ] && [ "$have" = "$sum" ]; then
  mv -f "$tmp" "$dest" && wl_mark DONE "$got" "$have"
else
  rm -f "$tmp"; wl_mark BAD "\${got:-0}" "\${have:-none}"; exit 3
fi`;

/**
 * Checks `$tmp` against size `$3` and sha256 `$4`, then moves it to `$dest`; prints
 * `WL-DONE-<nonce> size sha` or `WL-BAD-<nonce> size sha` (exit 3). Args: dest nonce size sha [tmp].
 */
export const FINISH_SCRIPT = `${HELPERS}
dest=$1; nonce=$2; size=$3; sum=$4; tmp=$5
${FINISH}`;

/**
 * Receives a file as base64 lines on stdin up to the line `WL-END-<nonce>` (so it works through a
 * PTY, where EOF cannot be sent), into a temp name beside `$1`, then FINISH_SCRIPT. Args: dest
 * nonce size sha. Prints `WL-READY-<nonce>` once echo is off and it reads.
 */
export const RECEIVE_SCRIPT = `${HELPERS}
dest=$1; nonce=$2; size=$3; sum=$4; tmp="$dest.wl-part-$nonce"
mkdir -p "$(dirname "$dest")" || exit 1
stty -echo -icanon 2>/dev/null
wl_mark READY
sed -n "/^WL-END-$nonce\\$/q;p" | base64 -d > "$tmp" 2>/dev/null
${FINISH}`;

/** Prints `WL-BEGIN-<nonce> size sha`, the file in base64, `WL-END-<nonce>`. Args: src nonce. */
export const SEND_SCRIPT = `${HELPERS}
src=$1; nonce=$2
if [ ! -f "$src" ]; then wl_mark MISSING; exit 4; fi
wl_mark BEGIN "$(wl_size "$src")" "$(wl_sha "$src")"
base64 < "$src"
wl_mark END`;

/** Prints `WL-SUM-<nonce> size sha` of `$1`, or `WL-MISSING-<nonce>` (exit 4). Args: path nonce. */
export const SUM_SCRIPT = `${HELPERS}
src=$1; nonce=$2
if [ ! -f "$src" ]; then wl_mark MISSING; exit 4; fi
wl_mark SUM "$(wl_size "$src")" "$(wl_sha "$src")"`;
