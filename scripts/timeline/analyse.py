# Timeline of one burst from run.sh's files: python3 analyse.py /tmp/tl_<tag> [bucket_ms]
import json, sys, glob, collections
d = sys.argv[1]; B = float(sys.argv[2]) if len(sys.argv) > 2 else 100
ev = []
for f in glob.glob(f'{d}/*-*.json'):
    j = json.load(open(f)); ev += j['events']
ev.sort(key=lambda e: (e[0] is None, e[0] or 0))
cs = [e[0] for e in ev if e[1] == 'csend']
T0 = min(cs)
# first occurrence per (event, key): the first attempt
first = collections.defaultdict(dict)
batches = collections.defaultdict(dict); tok = []; lags = []; gcs = []
keybatch = {}
for t, e, k, n in ev:
    if t is None: continue
    r = t - T0
    if e in ('bstart', 'bsel', 'bmany', 'bcommit'):
        batches[k][e] = r
        if e == 'bstart': batches[k]['n'] = n
        if e == 'bsel': batches[k]['fresh'] = n
    elif e in ('tokbatch', 'tokbatchend'): tok.append((r, e, n))
    elif e == 'lag': lags.append((r, n))
    elif e == 'gc': gcs.append((r, k, n))
    elif k is not None:
        if e == 'inbatch' and k not in keybatch: keybatch[k] = n
        first[e].setdefault(k, r)
stages = ['csend', 'cconn', 'cflush', 'accept', 'parsed', 'turn', 'tokq', 'tok', 'handler', 'queued', 'finish', 'cresp', 'cend']
def pct(xs, q):
    xs = sorted(xs); return xs[min(len(xs)-1, max(0, int(q*len(xs)+0.5)-1))] if xs else float('nan')
def rep(k): return '-repay-' in k
print(f'T0 = first client send. first-attempt repayments (n={sum(1 for k in first["csend"] if rep(k))}); ms after T0')
print('| stage | first | p10 | p50 | p90 | p99 | last |'); print('|---|---|---|---|---|---|---|')
for s in stages:
    xs = [v for k, v in first[s].items() if rep(k)]
    if xs: print(f'| {s} | ' + ' | '.join(f'{pct(xs,q):.0f}' for q in (0.0001, .1, .5, .9, .99, 1)) + ' |')
# gaps per request
def gap(a, b):
    return [first[b][k] - first[a][k] for k in first[a] if rep(k) and k in first[b]]
print('\nper-request gaps (ms): p10/p50/p90/p99')
for a, b in [('csend','cflush'),('cflush','accept'),('accept','parsed'),('cflush','parsed'),('parsed','turn'),('turn','tokq'),('tokq','tok'),('tok','handler'),('handler','queued'),('queued','finish'),('finish','cend'),('csend','cend')]:
    g = gap(a, b)
    if g: print(f'  {a:>7} -> {b:<8} ' + ' / '.join(f'{pct(g,q):.0f}' for q in (.1,.5,.9,.99)))
print('\nbatches (ms after T0):')
print('| batch | size | start | idem read done | statements done | committed |'); print('|---|---|---|---|---|---|')
for k, b in sorted(batches.items(), key=lambda kv: kv[1].get('bstart', 0)):
    print(f"| {k} | {b.get('n')} | {b.get('bstart',float('nan')):.0f} | {b.get('bsel',float('nan')):.0f} | {b.get('bmany',float('nan')):.0f} | {b.get('bcommit',float('nan')):.0f} |")
print('\ntoken lookups (write+read lanes): ' + ', '.join(f'{e[0]:.0f}{"+" if e[1]=="tokbatch" else "-"}{e[2]}' for e in tok))
# cumulative counts per bucket + cpu
cpu = [json.loads(l) for l in open(f'{d}/cpu.jsonl')]
def cum(s, t): return sum(1 for k, v in first[s].items() if rep(k) and v <= t)
end = max(v for k, v in first['cend'].items())
print(f'\ncumulative first-attempt repayments having passed each stage, and CPU in each {B:.0f} ms (percent of one core; machine = of 2 cores)')
cols = ['csend','cflush','accept','parsed','turn','tok','queued','finish','cend']
print('| t ms | ' + ' | '.join(cols) + ' | machine busy % | server main % | server other % | clients % | bench % | postgres % | loop lag sum/max ms | server threads % | GC pauses ms (minor/major) |')
print('|' + '---|' * (len(cols) + 10))
def gcsum(x, y):
    g = [(k, n) for r, k, n in gcs if x <= r < y]
    mi = sum(n for k, n in g if k == '1'); ma = sum(n for k, n in g if k != '1')
    return f'{mi:.0f} ({sum(1 for k, n in g if k == "1")}) / {ma:.0f}'
def othr(a, b, dt):
    A, Bb = a.get('srvBy', {}), b.get('srvBy', {})
    return ' '.join(f'{k}:{(Bb[k]-A.get(k,0))/dt:.0f}' for k in Bb if (Bb[k]-A.get(k,0))/dt >= 3)
def cpuAt(t):
    tt = t + T0; best = min(cpu, key=lambda r: abs(r['t'] - tt)); return best
t = -B
while t <= end + B:
    a, b = cpuAt(t), cpuAt(t + B)
    dt = (b['t'] - a['t']) / 1000 or 1
    def pc(f):
        if f not in a or f not in b or a[f] is None or b[f] is None: return '-'
        return f'{(b[f]-a[f])/dt:.0f}'  # jiffies = 10 ms → /dt*1 = % of core
    mb = (b['busy']-a['busy'])/max(1,(b['total']-a['total']))*100
    so = '-' if 'srvAll' not in a or 'srvAll' not in b else f"{((b['srvAll']-a['srvAll'])-(b['srvMain']-a['srvMain']))/dt:.0f}"
    lg = [n for r, n in lags if t <= r < t + B]
    print(f'| {t:.0f}–{t+B:.0f} | ' + ' | '.join(str(cum(s, t+B)) for s in cols) + f' | {mb:.0f} | {pc("srvMain")} | {so} | {pc("client")} | {pc("bench")} | {pc("pg")} | {sum(lg):.0f} / {max(lg, default=0):.0f} | {othr(a, b, dt)} | {gcsum(t, t+B)} |')
    t += B
