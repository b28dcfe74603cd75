# CPU sampler for the timeline probe: every ~10 ms, jiffies of the machine, the server's main thread and
# its other threads, the clients, the bench, and all postgres processes. Usage: sample.py OUT
import os, sys, time, json
out = open(sys.argv[1], 'w')
def cmd(pid):
    try: return open(f'/proc/{pid}/cmdline','rb').read().replace(b'\0',b' ').decode()
    except Exception: return ''
def comm(pid):
    try: return open(f'/proc/{pid}/comm').read().strip()
    except Exception: return ''
def jif(path):
    # CPU time in units of 10 ms (as jiffies were), from schedstat's nanoseconds
    try:
        return int(open(path.replace('/stat', '/schedstat')).read().split()[0]) / 1e7
    except Exception: return None
def tasks(pid):
    try: return os.listdir(f'/proc/{pid}/task')
    except Exception: return []
def discover():
    roles = {'server': [], 'client': [], 'bench': [], 'pg': []}
    for p in os.listdir('/proc'):
        if not p.isdigit(): continue
        c = cmd(p)
        if 'node' in c and ' serve ' in c and '--no-demo' in c: roles['server'].append(p)
        elif '--sprout-load-clients' in c: roles['client'].append(p)
        elif 'bench servicing' in c and 'node' in c: roles['bench'].append(p)
        elif comm(p) == 'postgres': roles['pg'].append(p)
    return roles
roles = discover(); last = time.time()
while True:
    now = time.time()
    if now - last > 0.1: roles = discover(); last = now
    cpu = open('/proc/stat').readline().split()[1:]
    cpu = [int(x) for x in cpu]
    rec = {'t': now*1000, 'busy': sum(cpu) - cpu[3] - cpu[4], 'total': sum(cpu)}
    srv = roles['server']
    if srv:
        s = srv[-1]
        rec['srvMain'] = jif(f'/proc/{s}/task/{s}/stat')
        tot = 0; by = {}
        for t in tasks(s):
            j = jif(f'/proc/{s}/task/{t}/stat') or 0; tot += j
            if t != s:
                n = comm(f'{s}/task/{t}'); by[n] = by.get(n, 0) + j
        rec['srvAll'] = tot; rec['srvBy'] = by
    for r in ('client', 'bench'):
        if roles[r]: rec[r] = sum(jif(f'/proc/{p}/task/{t}/stat') or 0 for p in roles[r] for t in tasks(p))
    rec['pg'] = sum(jif(f'/proc/{p}/stat') or 0 for p in roles['pg'])
    out.write(json.dumps(rec) + '\n')
    time.sleep(0.01)
