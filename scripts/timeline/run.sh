#!/bin/bash
# usage: run.sh <tag> <dir> — one servicing burst with the timeline probe (README.md); results in /tmp/tl_<tag>/
# TL_NODE_FLAGS: more node flags for every process (e.g. --max-semi-space-size=64)
tag=$1; dir=$2; out=/tmp/tl_$tag; rm -rf $out; mkdir -p $out
python3 /work/wt/s25b/scripts/timeline/sample.py $out/cpu.jsonl & sp=$!
SPROUT_TIMELINE=$out NODE_OPTIONS="--import /work/wt/s25b/scripts/timeline/preload.mjs $TL_NODE_FLAGS" /work/wt/sv.sh tl_$tag $dir
kill $sp
cp /tmp/sv_tl_$tag.log $out/bench.log
