# Per-statement time inside repayment batches of 250: the gap before each 'st' mark, summed over big batches.
import json, glob, sys, collections
d = sys.argv[1]
ev = []
for f in glob.glob(f'{d}/server-*.json'): ev += json.load(open(f))['events']
ev.sort(key=lambda e: e[0] or 0)
# follow the repayment batches: from bstart of repayment-N with n>=200 until its bcommit
cur = None; last = None; tot = collections.defaultdict(list); order = []
for t, e, k, n in ev:
    if e == 'bstart' and k.startswith('repayment') and n >= 200: cur = k; last = t; seen = collections.Counter(); continue
    if cur is None: continue
    if e == 'st' and not k.startswith('drawdown:'):
        seen[k] += 1; name = k if seen[k] == 1 else f'{k}#{seen[k]}'
        if name not in order: order.append(name)
        tot[name].append(t - last); last = t
        if k == 'repayment:committed': cur = None
print('| step (time since the previous mark) | batches | mean ms | min | max |'); print('|---|---|---|---|---|')
s = 0
for name in order:
    xs = tot[name]; s += sum(xs)/len(xs)
    print(f'| {name} | {len(xs)} | {sum(xs)/len(xs):.1f} | {min(xs):.1f} | {max(xs):.1f} |')
print(f'| sum of means | | {s:.1f} | | |')
