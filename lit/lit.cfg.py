# lit configuration for leakcc.  Substitutions:
#   %leakcc %leakcxx        the drivers from the build tree
#   %leakpass               the plugin (.so)
#   %leakrt_dir             directory holding libleakrt.a / libleakrt.so
#   %clang %clangxx %opt    the LLVM the project was built against
#   %env_leakcc_opts=       "env LEAKCC_OPTIONS=" (append options)
#   %run                    runs a test program (no-op prefix today)
#   %as_nobody              runs a command as user nobody (setpriv)
#   %nobody_dir LINK        a fresh directory nobody can reach, linked at LINK
#   %lsan %lsanxx           clang / clang++ -fsanitize=leak with frame pointers
#                           (as the driver builds; feature lsan), to compare a
#                           verdict with LeakSanitizer's
#   %glib_flags             pkg-config --cflags --libs glib-2.0 (feature glib)
# Features: root (the suite runs as root: setuid tests), setpriv, lsan,
# zlib, expat, glib (headers or pkg-config present), avx2, avx512f (the CPU
# has them: tests that run such code need them), overcommit-limited (the
# kernel refuses a 1 TiB commit).
import os
import shutil
import subprocess
import tempfile
import lit.formats

config.name = "leakcc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".cpp", ".ll", ".test"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.leakcc_obj_root, "lit")

tools = config.llvm_tools_dir
obj = config.leakcc_obj_root
bindir = os.path.join(obj, "bin")
libdir = os.path.join(obj, "lib", "leakcc")

config.environment["PATH"] = os.pathsep.join([tools, bindir, config.environment.get("PATH", os.environ.get("PATH", ""))])
# Tests choose their own options; never inherit the developer's.
for var in ["LEAKCC_OPTIONS", "LSAN_OPTIONS", "LEAKCC_DEBUG", "LEAKCC_CC", "LEAKCC_CXX",
            "LEAKCC_SYMBOLIZER_PATH", "LEAKCC_PLUGIN", "LEAKCC_RUNTIME_DIR"]:
    config.environment.pop(var, None)

clangxx = config.clang + "++"
config.substitutions += [
    ("%leakcxx", os.path.join(bindir, "leakc++")),
    ("%leakcc", os.path.join(bindir, "leakcc")),
    ("%leakpass", os.path.join(libdir, "leakpass.so")),
    ("%leakrt_dir", libdir),
    ("%clangxx", clangxx),
    ("%clang", config.clang),
    ("%opt", os.path.join(tools, "opt")),
    ("%env_leakcc_opts=", "env LEAKCC_OPTIONS="),
    ("%run", ""),
    ("%llvm_major", str(config.llvm_version_major)),
]
config.available_features.add("llvm-%d" % config.llvm_version_major)
if shutil.which("valgrind"):
    config.available_features.add("valgrind")
# Another supported LLVM installed beside this one: the plugin must refuse to
# load into it with a clear error (lit/ir/version-mismatch.test).
for other in (19, 22):
    other_opt = "/usr/lib/llvm-%d/bin/opt" % other
    if other != config.llvm_version_major and os.path.exists(other_opt):
        config.available_features.add("other-llvm")
        config.substitutions += [("%other_opt", other_opt), ("%other_major", str(other))]
        break
# The kernel refuses a 1 TiB commit (vm.overcommit_memory 0 or 2, not 1):
# lit/e2e/overcommit.c then checks allocator_may_return_null=0's report.
try:
    with open("/proc/sys/vm/overcommit_memory") as f:
        if f.read().strip() != "1":
            config.available_features.add("overcommit-limited")
except OSError:
    pass
# Secure-mode tests (lit/e2e/secure_*.c) make a program setuid-root and run
# it as user nobody; only root can do that (REQUIRES: root, setpriv).
if os.getuid() == 0:
    config.available_features.add("root")
if shutil.which("setpriv"):
    config.available_features.add("setpriv")
config.substitutions += [
    ("%as_nobody", "setpriv --reuid=65534 --regid=65534 --clear-groups"),
    ("%nobody_dir", "sh " + os.path.join(config.test_source_root, "e2e", "Inputs", "nobody_dir.sh")),
]

# LeakSanitizer as the reference for "what conservative marking says": the
# feature is set when clang -fsanitize=leak links and runs a trivial program.
def _lsan_works():
    try:
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "t.c")
            exe = os.path.join(d, "t")
            with open(src, "w") as f:
                f.write("int main(void) { return 0; }\n")
            subprocess.run([config.clang, "-fsanitize=leak", src, "-o", exe],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            subprocess.run([exe], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return True
    except (OSError, subprocess.CalledProcessError):
        return False

_lsan_fp = " -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer"
if _lsan_works():
    config.available_features.add("lsan")
    config.substitutions += [
        ("%lsanxx", clangxx + " -fsanitize=leak" + _lsan_fp),
        ("%lsan", config.clang + " -fsanitize=leak" + _lsan_fp),
    ]

# System libraries the real-library tests link against, used uninstrumented.
if os.path.exists("/usr/include/zlib.h"):
    config.available_features.add("zlib")
if os.path.exists("/usr/include/expat.h"):
    config.available_features.add("expat")
try:
    _glib = subprocess.run(["pkg-config", "--cflags", "--libs", "glib-2.0"], check=True,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           universal_newlines=True).stdout.strip()
    config.available_features.add("glib")
    config.substitutions += [("%glib_flags", _glib)]
except (OSError, subprocess.CalledProcessError):
    pass

# CPU features, for tests that execute AVX2 / AVX-512 stores.
try:
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                for feat in ("avx2", "avx512f"):
                    if feat in flags:
                        config.available_features.add(feat)
                break
except OSError:
    pass
