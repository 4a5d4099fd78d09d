#!/usr/bin/env python3
"""Generative differential test of leakcc (issue 9).

For each seed, leakgen.py writes a random C or C++ program with a known set
of live and leaked blocks.  This script builds it at each optimisation level
with leakcc/leakc++, with clang -fsanitize=leak and with plain clang, runs

  - the leakcc build with mode=precise (the default) and mode=conservative,
  - the LSan build,
  - the plain build and the leakcc build with LG_CHECK=1 (and no leak
    check), which walk the program's own data structures and must find
    exactly the live blocks of the ground truth,

and compares the leaked blocks each checker reports (report_objects=1,
matched by address) with the ground truth: a *false leak* is a live block
reported, a *missed leak* a leaked block not reported.

    test/gen/run.py --seeds 1-12 --jobs 2            # the fixed set (ctest gen_fixed)
    test/gen/run.py --seeds 1-2000 --jobs 2 --keep /tmp/genfail

Exit status: 2 if the generator's ground truth disagrees with a plain build
(or a build or run fails), else 1 if precise mode has a false or a missed
leak, else 0.  Conservative and LSan verdicts are informational.
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import leakgen  # noqa: E402

LLVM = '/usr/lib/llvm-19/bin'
OPTS = {
    'O0': ['-O0'],
    'O1': ['-O1'],
    'O2': ['-O2'],
    'O3': ['-O3'],
    'O2-flto': ['-O2', '-flto'],
}
CHECKERS = ['precise', 'conservative', 'lsan']
OBJ_RE = re.compile(r'^(0x[0-9a-f]+) \((\d+) bytes\)\s*$')
CLEAN_ENV = ['LEAKCC_OPTIONS', 'LSAN_OPTIONS', 'ASAN_OPTIONS', 'LEAKCC_DEBUG', 'LEAKCC_CC',
             'LEAKCC_CXX', 'LG_CHECK']


def parse_seeds(text):
    seeds = []
    for part in text.split(','):
        if '-' in part:
            a, b = part.split('-')
            seeds += range(int(a), int(b) + 1)
        elif part:
            seeds.append(int(part))
    return seeds


def env_with(**kv):
    env = dict(os.environ)
    for k in CLEAN_ENV:
        env.pop(k, None)
    env.update(kv)
    return env


def sh(cmd, cwd, env=None, timeout=120):
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env or env_with(), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
        return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')
    except subprocess.TimeoutExpired as e:
        return 'timeout', (e.stdout or b'').decode('utf-8', 'replace'), (e.stderr or b'').decode('utf-8', 'replace')


def lsan_available(work):
    d = tempfile.mkdtemp(dir=work)
    src = os.path.join(d, 'l.c')
    with open(src, 'w') as f:
        f.write('#include <stdlib.h>\nvoid *volatile p;\nint main(void){p=malloc(7);p=0;return 0;}\n')
    rc, _, _ = sh([os.path.join(LLVM, 'clang'), '-fsanitize=leak', src, '-o', os.path.join(d, 'l')], d)
    if rc != 0:
        return False
    rc, _, err = sh([os.path.join(d, 'l')], d)
    return rc == 23 and 'LeakSanitizer' in err


class Program:
    def __init__(self, seed, work, args):
        self.seed = seed
        self.dir = os.path.join(work, dirname(seed))
        shutil.rmtree(self.dir, ignore_errors=True)
        self.src, self.truth = leakgen.write(seed, self.dir)
        self.cxx = self.src.endswith('.cpp')
        self.args = args
        self.blocks = {b['id']: b for b in self.truth['blocks']}
        self.live = {i for i, b in self.blocks.items() if b['fate'] == 'live'}
        self.leak = {i for i, b in self.blocks.items() if b['fate'] == 'leak'}
        self.logs = []

    def log(self, name, rc, out, err):
        with open(os.path.join(self.dir, name + '.log'), 'w') as f:
            f.write('rc=%s\n--- stdout\n%s--- stderr\n%s' % (rc, out, err))

    def compile(self, kind, opt):
        flags = OPTS[opt]
        lib = os.path.join(self.dir, 'lglib.%s.o' % opt.split('-')[0])
        if not os.path.exists(lib):
            rc, out, err = sh([os.path.join(LLVM, 'clang'), '-w', flags[0], '-c', 'lglib.c', '-o', lib],
                              self.dir)
            if rc != 0:
                return None, 'lib build failed: %s' % err[-2000:]
        exe = os.path.join(self.dir, '%s.%s' % (kind, opt))
        if kind == 'leakcc':
            cc = os.path.join(self.args.build_dir, 'bin', 'leakc++' if self.cxx else 'leakcc')
            cmd = [cc]
        elif kind == 'lsan':
            cmd = [os.path.join(LLVM, 'clang++' if self.cxx else 'clang'), '-fsanitize=leak',
                   '-fno-omit-frame-pointer']
        else:
            cmd = [os.path.join(LLVM, 'clang++' if self.cxx else 'clang')]
        cmd += ['-w'] + flags + [self.src, lib, '-lpthread', '-o', exe]
        rc, out, err = sh(cmd, self.dir, timeout=300)
        if rc != 0:
            self.log('build-%s.%s' % (kind, opt), rc, out, err)
            return None, 'build %s %s failed: %s' % (kind, opt, err[-2000:])
        return exe, None

    def run(self, exe, env, name):
        rc, out, err = sh([exe], self.dir, env=env, timeout=self.args.timeout)
        self.log(name, rc, out, err)
        return rc, out, err

    def addresses(self, out):
        addr = {}
        for line in out.splitlines():
            if line.startswith('LGBLK '):
                _, i, a, n = line.split()
                addr[int(a, 16)] = (int(i), int(n))
        return addr

    def check_walk(self, rc, out, what):
        """LG_CHECK run: must reach exactly the live blocks."""
        errs = []
        if rc != 0:
            errs.append('%s: exit status %s' % (what, rc))
        if 'LGDONE' not in out:
            errs.append('%s: did not finish' % what)
        seen = []
        for line in out.splitlines():
            if line.startswith('LGLIVE '):
                seen.append(int(line.split()[1]))
            elif line.startswith('LGERR'):
                errs.append('%s: %s' % (what, line))
        if sorted(seen) != sorted(self.live):
            extra = sorted(set(seen) - self.live)
            missing = sorted(self.live - set(seen))
            dup = sorted({i for i in seen if seen.count(i) > 1})
            errs.append('%s: walk found %s; missing %s, extra %s, twice %s'
                        % (what, sorted(seen), missing, extra, dup))
        blk = self.addresses(out)
        ids = sorted(i for i, _ in blk.values())
        if sorted(set(ids)) != sorted(self.blocks):
            errs.append('%s: allocated blocks %s, truth has %s' % (what, ids, sorted(self.blocks)))
        return errs

    def verdict(self, rc, out, err, what):
        """A leak-checking run: (false, missed, untracked, errors)."""
        errs = []
        if rc not in (0, 23):
            errs.append('%s: exit status %s' % (what, rc))
        if 'LGDONE' not in out:
            errs.append('%s: did not finish' % what)
        for line in out.splitlines():
            if line.startswith('LGERR'):
                errs.append('%s: %s' % (what, line))
        blk = self.addresses(out)
        reported, untracked = set(), []
        for line in err.splitlines():
            m = OBJ_RE.match(line)
            if not m:
                continue
            a, n = int(m.group(1), 16), int(m.group(2))
            if a in blk:
                i, size = blk[a]
                if size != n:
                    errs.append('%s: block %d reported with %d bytes, allocated %d' % (what, i, n, size))
                reported.add(i)
            else:
                untracked.append(n)
        if (rc == 23) != bool(reported or untracked) and rc in (0, 23):
            errs.append('%s: exit status %s but %d objects listed' % (what, rc, len(reported) + len(untracked)))
        false = sorted(self.live & reported)
        missed = sorted(self.leak - reported)
        return false, missed, untracked, errs


def dirname(seed):
    if isinstance(seed, int):
        return 'seed%d' % seed
    return 'probe-' + re.sub(r'[^A-Za-z0-9_.=+-]', '_', seed.replace(',', '__').replace('/', '%'))


# The probe matrix: each feature alone (the rest: malloc, raw pointer in a
# root slot, no transport, stored inline).
MATRIX = (['src=' + v for v in ('calloc', 'realloc0', 'aligned_alloc', 'posix_memalign',
                                'posix_memalign_heap', 'memalign', 'strdup', 'thread_ret',
                                'thread_glob', 'libout_alloc', 'getline', 'getline_heap', 'new',
                                'opnew', 'new_nothrow') + tuple(leakgen.SLOT_SRCS)] +
          ['path=' + v for v in ('ident', 'asmid', 'sret', 'pair', 'libout', 'libout_heap', 'cell',
                                 'global', 'memcpy', 'select', 'int', 'thread')] +
          ['d=' + v for v in ('field', 'mid', 'end', 'below', 'strtol', 'strtod', 'strtok', 'strchr')] +
          ['enc=' + v for v in leakgen.SLOT_ENCS] +
          ['sink=' + v for v in ('helper', 'va', 'thread', 'libcb', 'sret', 'byval')] +
          ['reloc=%s/%s' % (a, b) for a in ('stack', 'heap', 'global')
           for b in ('assign', 'memcpy', 'memmove', 'words')] +
          ['hold=block', 'hold=temp', 'hold=xl', 'hold=arr,sort=qsort', 'hold=arr,sort=lib_sort',
           'hold=box', 'hold=box,src=callback', 'hold=box,box=ours', 'hold=box,box=ours,src=callback',
           'hold=box,box=via', 'hold=box,box=via,src=callback',
           'hold=vec', 'hold=map', 'hold=uptr',
           'fp=stale', 'fp=muldiv', 'realloc=1', 'exit=nested', 'lang=c++'])


def run_program(seed, args, work):
    t0 = time.time()
    p = Program(seed, work, args)
    if args.style != 'any' and p.truth.get('style', args.style) != args.style:
        shutil.rmtree(p.dir, ignore_errors=True)
        return None
    res = {'seed': seed, 'lang': p.truth['lang'], 'style': p.truth.get('style'),
           'nlive': len(p.live), 'nleak': len(p.leak),
           'builds': {}, 'gen_errors': [], 'errors': [], 'blocks': p.blocks}
    for opt in args.opts:
        b = {c: None for c in CHECKERS}
        b['untracked'] = {}
        res['builds'][opt] = b
        # Ground truth against the plain build.
        exe, e = p.compile('plain', opt)
        if e:
            res['gen_errors'].append(e)
            continue
        rc, out, err = p.run(exe, env_with(LG_CHECK='1'), 'plain-check.%s' % opt)
        res['gen_errors'] += p.check_walk(rc, out, 'plain %s' % opt)
        # leakcc
        exe, e = p.compile('leakcc', opt)
        if e:
            res['errors'].append(e)
        else:
            rc, out, err = p.run(exe, env_with(LG_CHECK='1', LEAKCC_OPTIONS='detect_leaks=0'),
                                 'leakcc-check.%s' % opt)
            for m in p.check_walk(rc, out, 'leakcc %s' % opt):
                res['errors'].append(m)
            for mode in ('precise', 'conservative'):
                opts = 'report_objects=1' + (':mode=conservative' if mode == 'conservative' else '')
                rc, out, err = p.run(exe, env_with(LEAKCC_OPTIONS=opts + ':symbolize=0'), '%s.%s' % (mode, opt))
                f, m, u, errs = p.verdict(rc, out, err, '%s %s' % (mode, opt))
                b[mode] = (f, m)
                b['untracked'][mode] = u
                res['errors'] += errs
        if args.lsan:
            exe, e = p.compile('lsan', opt)
            if e:
                res['errors'].append(e)
            else:
                rc, out, err = p.run(exe, env_with(LSAN_OPTIONS='report_objects=1:symbolize=0'), 'lsan.%s' % opt)
                f, m, u, errs = p.verdict(rc, out, err, 'lsan %s' % opt)
                b['lsan'] = (f, m)
                b['untracked']['lsan'] = u
                res['errors'] += errs
    res['precise_fail'] = any(b['precise'] and (b['precise'][0] or b['precise'][1])
                              for b in res['builds'].values())
    res['time'] = time.time() - t0
    bad = res['precise_fail'] or res['gen_errors'] or res['errors']
    if bad and args.keep:
        dst = os.path.join(args.keep, dirname(seed))
        shutil.rmtree(dst, ignore_errors=True)
        shutil.copytree(p.dir, dst, ignore=shutil.ignore_patterns('*.o', 'plain.*', 'lsan.O*',
                                                                 'leakcc.O*'))
    if not args.keep_work:
        shutil.rmtree(p.dir, ignore_errors=True)
    return res


def features(block):
    """Features of a block, for grouping discrepancies."""
    f = ['src=' + str(block['src']), 'enc=' + str(block['enc']), 'd=' + block['dk'],
         'sink=' + block['sink'], 'hold=' + str(block['hold']), 'role=' + block['role']]
    f += ['path=' + t for t in block['path']]
    if block['reloc']:
        f.append('reloc=%s/%s' % tuple(block['reloc']))
    if block['kill']:
        f.append('kill=' + block['kill'])
    if block['fp']:
        f.append('fp=' + block['fp'].split('(')[0])
    if block.get('cons_holder'):
        f.append('holder scanned conservatively')
    if block.get('cons_fp'):
        f.append('false pointer in memory scanned conservatively')
    return f


HIDDEN = {'lowtag', 'hightag', 'nanbox', 'xorkey', 'mangle', 'xorself', 'off32', 'selfrel',
          'packed', 'split', 'bitfield', 'vector', 'memcpy'}
ESCAPE_WRITERS = {'out_lib', 'out_join', 'out_strtol', 'out_strtok', 'out_getline', 'libstore'}

# Known failure mechanisms (test/gen/repro/*.c): the first rule that matches a
# failing block names its likely cause.
MECHANISMS = [
    ('asm-store', 'inline asm store of a pointer', 'asm_store.c',
     lambda b, o, k: b['enc'] == 'asm'),
    ('varargs', 'pointer taken with va_arg', 'varargs_pointer.c',
     lambda b, o, k: b['sink'] == 'va'),
    ('posix_memalign-out', 'posix_memalign writes the new block into memory', 'posix_memalign_heap_field.c',
     lambda b, o, k: b['src'] == 'pm_slot'),
    ('libc-end-pointer', 'strtol/strtod/strtok_r end or save pointer written into a local',
     'strtol_end_pointer.c', lambda b, o, k: b['dk'] in ('strtol', 'strtod', 'strtok')),
    ('lib-out-param', 'plain library writes the pointer into a local or heap cell then loaded',
     'lib_out_param_stack.c', lambda b, o, k: 'libout' in b['path'] or 'libout_heap' in b['path']),
    ('pthread_join-out', 'pthread_join writes the pointer into a local', 'pthread_join_retval.c',
     lambda b, o, k: 'thread' in b['path']),
    ('out-param-scratch', 'uninstrumented writer stores into a scratch slot (local or heap) that is then copied',
     'strtol_end_pointer.c', lambda b, o, k: b['enc'] in ESCAPE_WRITERS and (
         b['sink'] in ('sret', 'byval') or (b['reloc'] and b['reloc'][0] in ('stack', 'heap')))),
    ('bitfield', 'pointer above a 16-bit tag in a bitfield, value from a call', 'bitfield_pointer.c',
     lambda b, o, k: b['enc'] == 'bitfield'),
    ('vector-O0', 'vector lane built in a local at -O0', 'vector_store.c',
     lambda b, o, k: b['enc'] == 'vector' and o == 'O0'),
    ('lib-writes-via-pointer', 'plain library writes into a block it reached through a pointer to '
     'a pointer (no escape)', 'lib_writes_via_pointer.c',
     lambda b, o, k: b['hold'] == 'box' and b.get('holder_src') == 'our_box_via'),
    ('hidden-in-conservative', 'hidden pointer kept in a block scanned conservatively (escaped or '
     'allocated by uninstrumented code)', 'escape_hidden_pointer.c',
     lambda b, o, k: k == 'FALSE LEAK' and b.get('cons_holder') and (
         b['enc'] in HIDDEN or b['dk'] in ('below', 'end'))),
    ('false-pointer-in-conservative', 'stale or computed false pointer in a block scanned '
     'conservatively', 'escape_false_pointer.c',
     lambda b, o, k: k == 'MISSED LEAK' and b.get('cons_fp')),
    ('false-pointer-reached', 'stale or computed false pointer in a block that escaped memory '
     'references (scanned conservatively: the callee may have written there)',
     '../../lit/e2e/sound_escape_reachable.c',
     lambda b, o, k: k == 'MISSED LEAK' and b.get('fp')),
    ('below-argument', 'pointer below its block passed as an argument, then encoded by the callee',
     'below_pointer_argument.c',
     lambda b, o, k: b['dk'] == 'below' and b['sink'] != 'inline' and b['enc'] != 'raw'),
    ('loaded-offset-xor', 'pointer plus an offset read from memory, XORed with or subtracted from '
     'another pointer', 'pointer_plus_loaded_offset.c',
     lambda b, o, k: 'int' in b['path'] and b['enc'] in ('xorself', 'selfrel')),
]


def mechanism(block, opt, kind):
    for name, _, _, rule in MECHANISMS:
        # All but one are lost references: they explain false leaks only.
        if (kind == 'MISSED LEAK') != name.startswith('false-pointer'):
            continue
        if rule(block, opt, kind):
            return name
    return 'unexplained'


def note(block):
    """Why leakcc scans the places that matter conservatively, if it does."""
    n = []
    if block.get('cons_holder'):
        n.append('holder conservative: ' + block['cons_holder'])
    if block.get('cons_fp'):
        n.append('false pointer conservative: ' + block['cons_fp'])
    return ' [%s]' % '; '.join(n) if n else ''


def less_right(kind, others):
    """Whether precise marking is less right than the others on a block:
    conservative marking keeps the live block, or conservative marking and
    LSan both report the leak (LSan alone may be right only because its
    allocator left no stale copy of the address behind) without reporting
    the false pointer's live holder."""
    return others['conservative'] == 'right' and (kind == 'FALSE LEAK' or others['lsan'] == 'right')


def fp_holder(block):
    """The id of the block that holds BLOCK's false pointer, if a block does."""
    return block.get('fp_holder')


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--seeds', default='1-12', help='e.g. 1-12 or 1,5,9-20')
    ap.add_argument('--probe', action='append', default=[],
                    help='run the probe program SPEC (see leakgen.Probe) instead of seeds')
    ap.add_argument('--matrix', action='store_true',
                    help='run the probe matrix: every feature alone')
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--opts', default=','.join(OPTS), help='comma-separated: ' + ','.join(OPTS))
    ap.add_argument('--build-dir', default=os.path.join(HERE, '..', '..', 'build'))
    ap.add_argument('--work', help='scratch directory (default: a temporary one)')
    ap.add_argument('--keep', help='copy each failing program (source, truth, logs) here')
    ap.add_argument('--keep-work', action='store_true', help='do not delete the scratch programs')
    ap.add_argument('--no-lsan', action='store_true')
    ap.add_argument('--expect', help='known precise-mode discrepancies, "SEED OPT FALSE|MISSED bN" '
                    'per line: only a new one fails')
    ap.add_argument('--style', choices=('any', 'pure', 'mixed'), default='any',
                    help='only the programs that never hand a block to code built without leakcc '
                    '(pure), or only the others (mixed)')
    ap.add_argument('--timeout', type=float, default=30)
    ap.add_argument('--json', help='write all results here (JSON lines, one program a line, '
                    'written as each program finishes)')
    ap.add_argument('--summarize', metavar='JSON',
                    help='print the report of a previous --json file (complete or not) and exit')
    ap.add_argument('-v', '--verbose', action='store_true',
                    help='also list conservative and LSan discrepancies')
    args = ap.parse_args(argv)
    args.opts = args.opts.split(',')
    if args.summarize:
        with open(args.summarize) as f:
            results = [json.loads(line) for line in f if line.strip()]
        for r in results:
            r['blocks'] = {int(k): v for k, v in r['blocks'].items()}
        args.seeds = '%s (%s)' % (args.seeds if args.seeds != '1-12' else 'from file', args.summarize)
        args.json = None
        results.sort(key=lambda r: (isinstance(r['seed'], str), r['seed']))
        return report(results, args, sum(r.get('time', 0) for r in results) / max(1, args.jobs))
    args.build_dir = os.path.abspath(args.build_dir)
    for o in args.opts:
        if o not in OPTS:
            ap.error('unknown opt level %s' % o)
    for d in ('leakcc', 'leakc++'):
        if not os.path.exists(os.path.join(args.build_dir, 'bin', d)):
            ap.error('no %s in %s/bin: build leakcc first' % (d, args.build_dir))
    if args.matrix:
        args.probe = list(MATRIX) + args.probe
    seeds = args.probe or parse_seeds(args.seeds)
    if args.probe:
        args.seeds = 'probes'
    work = args.work or tempfile.mkdtemp(prefix='leakgen.')
    os.makedirs(work, exist_ok=True)
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    args.lsan = not args.no_lsan and lsan_available(work)
    if not args.lsan:
        print('leakgen: LSan (clang-19 -fsanitize=leak) not available: not run')

    t0 = time.time()
    results = []
    jf = open(args.json, 'w') if args.json else None
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futs = {ex.submit(run_program, s, args, work): s for s in seeds}
        done = 0
        for fut in concurrent.futures.as_completed(futs):
            s = futs[fut]
            try:
                r = fut.result()
            except Exception as e:  # a generator crash is a generator error
                r = {'seed': s, 'gen_errors': ['generator/driver exception: %r' % e], 'errors': [],
                     'builds': {}, 'precise_fail': False, 'nlive': 0, 'nleak': 0, 'blocks': {}}
            if r is None:  # another --style
                continue
            results.append(r)
            if jf:
                jf.write(json.dumps(r, default=str) + '\n')
                jf.flush()
            done += 1
            if args.verbose or r['gen_errors'] or r['errors'] or r['precise_fail']:
                tag = 'GEN-ERROR' if r['gen_errors'] else 'ERROR' if r['errors'] else \
                    'PRECISE-FAIL' if r['precise_fail'] else 'ok'
                print('[%d/%d] seed %s: %s' % (done, len(seeds), s, tag), flush=True)
    if not args.work and not args.keep_work:
        shutil.rmtree(work, ignore_errors=True)
    results.sort(key=lambda r: (str(type(r['seed'])), r['seed']))
    return report(results, args, time.time() - t0)


def report(results, args, elapsed):
    nprog = len(results)
    nbuilds = sum(len(r['builds']) for r in results)
    totals = {c: [0, 0, 0, 0, 0] for c in CHECKERS}  # builds, false, missed, live, leak
    for r in results:
        for opt, b in r['builds'].items():
            for c in CHECKERS:
                if b.get(c) is None:
                    continue
                t = totals[c]
                t[0] += 1
                t[1] += len(b[c][0])
                t[2] += len(b[c][1])
                t[3] += r['nlive']
                t[4] += r['nleak']
    print()
    print('leakgen: %d programs (seeds %s), %d builds (%s), %.0f s'
          % (nprog, args.seeds, nbuilds, ' '.join(args.opts), elapsed))
    print('%-13s %7s %12s %12s %12s %12s' % ('checker', 'builds', 'live blocks', 'false leaks',
                                             'leaked', 'missed leaks'))
    for c in CHECKERS:
        t = totals[c]
        if t[0] == 0:
            print('%-13s %7s' % (c, 'not run'))
            continue
        print('%-13s %7d %12d %12d %12d %12d' % (c, t[0], t[3], t[1], t[4], t[2]))
    gen_err = [r for r in results if r['gen_errors']]
    run_err = [r for r in results if r['errors']]
    print('ground truth vs plain builds: %d program(s) disagree' % len(gen_err))
    for r in gen_err:
        for e in r['gen_errors'][:5]:
            print('  GEN-ERROR seed %s: %s' % (r['seed'], e))
    for r in run_err:
        for e in r['errors'][:5]:
            print('  ERROR seed %s: %s' % (r['seed'], e))

    probes = [r for r in results if isinstance(r['seed'], str)]
    if probes:
        def cell(b, c):
            if not b or b.get(c) is None:
                return '?'
            f, m = b[c]
            return ('F' if f else '') + ('M' if m else '') or '.'
        print('\nprobes (per opt level: . right, F false leak, M missed leak; precise | conservative | lsan):')
        print('%-40s %s' % ('probe', '  '.join('%-8s' % o for o in args.opts)))
        for r in probes:
            cells = []
            for o in args.opts:
                b = r['builds'].get(o)
                cells.append('%-8s' % ('%s|%s|%s' % (cell(b, 'precise'), cell(b, 'conservative'),
                                                      cell(b, 'lsan'))))
            flag = ' ERR' if r['gen_errors'] or r['errors'] else ''
            print('%-40s %s%s' % (r['seed'], '  '.join(cells), flag))

    # Precise-mode discrepancies, one line per block and build.
    fails = []
    for r in results:
        for opt, b in r['builds'].items():
            if not b.get('precise'):
                continue
            for kind, ids in (('FALSE LEAK', b['precise'][0]), ('MISSED LEAK', b['precise'][1])):
                for i in ids:
                    blk = r['blocks'][i]
                    # A consequence: the block that holds it has the same verdict.
                    via = blk.get('parent') if blk.get('parent') in ids else None
                    # What the other checkers said about this block.
                    col = 0 if kind == 'FALSE LEAK' else 1
                    others = {c: ('wrong' if i in b[c][col] else
                                  'right only by reporting the false pointer\'s live holder'
                                  if kind == 'MISSED LEAK' and fp_holder(blk) in b[c][0] else
                                  'right') if b.get(c) else 'n/a'
                              for c in ('conservative', 'lsan')}
                    fails.append((r['seed'], opt, kind, i, blk, via, others))
    if fails:
        print('\nprecise-mode discrepancies (%d):' % len(fails))
        for seed, opt, kind, i, blk, via, others in fails:
            print('  seed %s %s %-11s b%d (%s, %d bytes; conservative %s, lsan %s): %s'
                  % (seed, opt, kind, i, r_lang(results, seed), blk['size'], others['conservative'],
                     others['lsan'], 'only through b%d' % via if via else
                     '<%s> %s%s' % (mechanism(blk, opt, kind), blk['desc'], note(blk))))
        # (a block that fails only through its holder shares its verdict)
        worse_c = sum(1 for f in fails if f[2] == 'FALSE LEAK' and not f[5] and less_right(f[2], f[6]))
        worse_l = sum(1 for f in fails if f[2] == 'MISSED LEAK' and not f[5] and less_right(f[2], f[6]))
        print('precise less right than the others: %d false leak(s) of blocks conservative marking '
              'keeps, %d missed leak(s) conservative marking and LSan report' % (worse_c, worse_l))
        # Likely mechanisms (blocks that fail only through their holder are
        # not counted).
        mech = {}
        for seed, opt, kind, i, blk, via, others in fails:
            if via:
                continue
            m = mech.setdefault(mechanism(blk, opt, kind), {'n': 0, 'opts': set(), 'seeds': set(),
                                                            'kinds': set(), 'worse': 0})
            m['n'] += 1
            m['opts'].add(opt)
            m['seeds'].add(seed)
            m['kinds'].add(kind)
            if less_right(kind, others):
                m['worse'] += 1
        print('\nlikely mechanisms (first failing block of each chain; block x build; "worse": '
              'precise marking less right than the others):')
        info = {n: (d, r) for n, d, r, _ in MECHANISMS}
        for name, m in sorted(mech.items(), key=lambda kv: -kv[1]['n']):
            d, r = info.get(name, ('no known mechanism: inspect by hand', '-'))
            print('  %-30s %4d (worse %3d)  %s  levels %s  seeds %s\n      %s (repro: %s)'
                  % (name, m['n'], m['worse'], '/'.join(sorted(m['kinds'])),
                     ' '.join(o for o in args.opts if o in m['opts']),
                     ' '.join(str(x) for x in sorted(m['seeds'], key=lambda x: (isinstance(x, str), x))[:12])
                     + (' ...' if len(m['seeds']) > 12 else ''), d, r))
        # Which features the failing blocks share (not counting blocks that
        # fail only because the block holding them does).
        counts = {}
        for _, _, kind, _, blk, via, _ in fails:
            if via:
                continue
            for f in features(blk):
                counts[(kind, f)] = counts.get((kind, f), 0) + 1
        print('\nfeatures of the first failing blocks of each chain (count of block x build):')
        for (kind, f), n in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1])):
            print('  %-11s %4d  %s' % (kind, n, f))
        failing = sorted({f[:2] for f in fails})
        fs = sorted({s for s, _ in failing}, key=lambda x: (isinstance(x, str), x))
        styles = {r['seed']: r.get('style') for r in results}
        for st, what in (('pure', 'programs without escapes'), ('mixed', 'programs with escapes')):
            these = [str(x) for x in fs if styles.get(x) == st]
            print('\nfailing seeds, %s (%d of %d): %s'
                  % (what, len(these), sum(1 for r in results if r.get('style') == st), ' '.join(these)))
        other = [str(x) for x in fs if styles.get(x) not in ('pure', 'mixed')]
        if other:
            print('failing probes: %s' % ' '.join(other))
        if args.keep:
            print('failing programs kept in %s' % args.keep)
    if args.verbose:
        for c in ('conservative', 'lsan'):
            for r in results:
                for opt, b in r['builds'].items():
                    if b.get(c) and (b[c][0] or b[c][1]):
                        print('  %s seed %s %s: false %s missed %s' % (c, r['seed'], opt, b[c][0], b[c][1]))
    if gen_err or run_err:
        return 2
    if args.expect:
        # Known discrepancies (an open precision limit each, docs/precision.md):
        # only a new one fails the run, or one where precise marking is less
        # right than the others (a live block conservative marking keeps, a
        # leak LSan reports without misreporting the false pointer's holder);
        # a known one that went away is reported, so that the list is
        # trimmed when a limit is fixed.
        known = set()
        with open(args.expect) as f:
            for line in f:
                line = line.split('#')[0].split()
                if len(line) == 4:
                    known.add(tuple(line))
        seen = {(str(seed), opt, kind.split()[0], 'b%d' % i)
                for seed, opt, kind, i, _, _, _ in fails}
        ran = {(str(r['seed']), o) for r in results for o in r['builds']}
        new_ones = sorted(seen - known)
        gone = sorted(k for k in known - seen if (k[0], k[1]) in ran)
        for k in new_ones:
            print('NEW discrepancy (not in %s): seed %s %s %s %s' % (args.expect, *k))
        for k in gone:
            print('FIXED? expected discrepancy did not occur: seed %s %s %s %s '
                  '(remove it from %s)' % (*k, args.expect))
        worse = [f for f in fails if not f[5] and less_right(f[2], f[6])]
        for seed, opt, kind, i, _, _, _ in worse:
            print('WORSE than conservative marking: seed %s %s %s b%d' % (seed, opt, kind, i))
        print('%d discrepancies, %d known, %d new, %d known ones gone, %d where precise '
              'marking is less right than the others'
              % (len(seen), len(seen & known), len(new_ones), len(gone), len(worse)))
        return 1 if new_ones or worse else 0
    return 1 if fails else 0


def r_lang(results, seed):
    for r in results:
        if r['seed'] == seed:
            return r.get('lang', '?')
    return '?'


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
