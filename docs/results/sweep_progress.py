# Means over seeds of the finished units of an unfinished persistence sweep (reads RUN/units/*.json).
import json, glob, sys, statistics as st, collections
rows = collections.defaultdict(list)
for f in sorted(glob.glob(sys.argv[1] + '/units/*.json')):
    for r in json.load(open(f))['runs']:
        rate = lambda p: p['successes'] / p['trials']
        c = r['curve']
        rows[(r['objective'], r['size'], r['mechanism'], r['method'])].append(
            (rate(c[0]['item2']['triggered']), rate(c[-1]['item2']['triggered']), rate(c[-1]['item2']['untriggered']), rate(r['after_removal']['triggered'])))
print('| Objective | Size | Mechanism | Method | Seeds | Triggered before | after | Untriggered after | After removal check |')
print('|---|---|---|---|---|---:|---:|---:|---:|')
order = {'nano': 0, 'micro': 1, 'mini': 2, 'tiny': 3, 'small': 4, 'medium': 5, 'large': 6}
for (o, s, m, meth), v in sorted(rows.items(), key=lambda kv: (kv[0][0], order.get(kv[0][1], 9))):
    f = lambda i: f"{100 * st.mean(x[i] for x in v):.1f}%"
    print(f'| {o} | {s} | {m} | {meth} | {len(v)} | {f(0)} | {f(1)} | {f(2)} | {f(3)} |')
