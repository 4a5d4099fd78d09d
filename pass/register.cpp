// register.cpp: registers the leakcc pass (leakpass.c) with LLVM and clang.
// The only C++ in the plugin; the instrumentation itself is C.
//
// One leakpass.so serves three hosts:
//   opt   -load-pass-plugin=leakpass.so -passes=leakpass     (pipeline name)
//   clang -fpass-plugin=leakpass.so                          (llvmGetPassPluginInfo)
//   clang -fplugin=leakpass.so       (a PluginASTAction that adds the same
//                                     PassBuilder callbacks to CodeGenOptions)
// The clang symbols this file references are weakened after compilation
// (weaken_clang.cmake), so the .so also loads into opt, which has no clang;
// the AST action is registered only when clang is present in the process.
// Running the pass twice is harmless: leakpass_instrument() marks modules.
#include "leakpass.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <unistd.h>

#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/CodeGenOptions.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#if __has_include("llvm/Plugins/PassPlugin.h") // LLVM >= 22
#include "llvm/Plugins/PassPlugin.h"
#else
#include "llvm/Passes/PassPlugin.h"
#endif
#include "llvm/IR/MDBuilder.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#include <vector>

namespace {

struct LeakPass : llvm::PassInfoMixin<LeakPass> {
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &) {
    char *Message = nullptr;
    enum leakpass_status Status = leakpass_instrument(llvm::wrap(&M), &Message);
    if (Status == LEAKPASS_ERROR) {
      std::string Text = "leakpass: " + M.getModuleIdentifier() + ": " +
                         (Message ? Message : "out of memory");
      M.getContext().emitError(Text);
    }
    free(Message);
    return Status == LEAKPASS_UNCHANGED ? llvm::PreservedAnalyses::all()
                                        : llvm::PreservedAnalyses::none();
  }
  // Also run on optnone functions and at -O0.
  static bool isRequired() { return true; }
};

void registerCallbacks(llvm::PassBuilder &PB) {
  // Last in the optimizer pipeline (also at -O0): allocations the optimizer
  // removes are gone, everything left is what the program really does.
#if LLVM_VERSION_MAJOR >= 20
  PB.registerOptimizerLastEPCallback([](llvm::ModulePassManager &MPM,
                                        llvm::OptimizationLevel,
                                        llvm::ThinOrFullLTOPhase) {
    MPM.addPass(LeakPass());
  });
#else
  PB.registerOptimizerLastEPCallback(
      [](llvm::ModulePassManager &MPM, llvm::OptimizationLevel) {
        MPM.addPass(LeakPass());
      });
#endif
  // Full LTO links modules that may not have been instrumented at compile
  // time (marked modules are skipped).
  PB.registerFullLinkTimeOptimizationLastEPCallback(
      [](llvm::ModulePassManager &MPM, llvm::OptimizationLevel) {
        MPM.addPass(LeakPass());
      });
  PB.registerPipelineParsingCallback(
      [](llvm::StringRef Name, llvm::ModulePassManager &MPM,
         llvm::ArrayRef<llvm::PassBuilder::PipelineElement>) {
        if (Name != "leakpass")
          return false;
        MPM.addPass(LeakPass());
        return true;
      });
}

// clang -fplugin=: runs before the main action and hands the pass to the
// backend through CodeGenOptions::PassBuilderCallbacks (adding the .so to
// CodeGenOptions::PassPlugins is silently ignored by clang 22).
class LeakAction : public clang::PluginASTAction {
protected:
  std::unique_ptr<clang::ASTConsumer>
  CreateASTConsumer(clang::CompilerInstance &CI, llvm::StringRef) override {
    CI.getCodeGenOpts().PassBuilderCallbacks.push_back(registerCallbacks);
    return std::make_unique<clang::ASTConsumer>();
  }
  bool ParseArgs(const clang::CompilerInstance &,
                 const std::vector<std::string> &) override {
    return true;
  }
  ActionType getActionType() override { return AddBeforeMainAction; }
};

const char *pluginPath() {
  Dl_info Info;
  if (dladdr(reinterpret_cast<void *>(&registerCallbacks), &Info) &&
      Info.dli_fname)
    return Info.dli_fname;
  return "leakpass.so";
}

// A plugin built for another LLVM major version would crash inside the host
// (the C++ ABI changes between majors).  LLVMGetVersion resolves to the
// host's libLLVM first: it is earlier in the global lookup scope than the
// plugin's own dependency.  Nothing about the host can be reported through
// its diagnostics safely, so this prints one message and exits.
void checkHostVersion() {
  using GetVersionFn = void (*)(unsigned *, unsigned *, unsigned *);
  auto Get = reinterpret_cast<GetVersionFn>(dlsym(RTLD_DEFAULT, "LLVMGetVersion"));
  if (!Get)
    return; // host exports no LLVM C API: cannot tell, assume ours
  unsigned Major = 0, Minor = 0, Patch = 0;
  Get(&Major, &Minor, &Patch);
  if (Major == LLVM_VERSION_MAJOR)
    return;
  fprintf(stderr,
          "leakpass: error: %s was built for LLVM %d (%s) but is loaded into "
          "LLVM %u.%u.%u; rebuild leakcc against LLVM %u "
          "(cmake -DLLVM_DIR=/usr/lib/llvm-%u/lib/cmake/llvm) or use "
          "clang/opt %d\n",
          pluginPath(), LLVM_VERSION_MAJOR, LLVM_VERSION_STRING, Major, Minor,
          Patch, Major, Major, LLVM_VERSION_MAJOR);
  _exit(1);
}

__attribute__((constructor)) void onLoad() {
  checkHostVersion();
  // The vtable of clang::FrontendAction lives in libclang-cpp: present in
  // clang, absent in opt (where every clang reference here is weak and null).
  if (dlsym(RTLD_DEFAULT, "_ZTVN5clang14FrontendActionE")) {
    static clang::FrontendPluginRegistry::Add<LeakAction> Action(
        "leakpass", "leakcc allocation-site instrumentation");
  }
}

} // namespace

extern "C" char *leakpass_site_function(LLVMValueRef AllocCall) {
  auto *I = llvm::unwrap<llvm::Instruction>(AllocCall);
  const llvm::Function *F = I->getFunction();
  // As llvm-symbolizer names frames: an inlined callee by its debug-info
  // name (only the short name under -gline-tables-only), the function that
  // holds the code by its symbol.
  llvm::StringRef Name = F->getName();
  if (const llvm::DILocation *Loc = I->getDebugLoc().get()) {
    const llvm::DISubprogram *SP = Loc->getScope()->getSubprogram();
    if (SP && SP != F->getSubprogram())
      Name = SP->getLinkageName().empty() ? SP->getName() : SP->getLinkageName();
  }
  Name.consume_front("\1"); // asm label marker
  if (Name.empty())
    return nullptr;
  return strdup(llvm::demangle(Name).c_str());
}

extern "C" void leakpass_append_global_ctor(LLVMModuleRef M, LLVMValueRef Fn,
                                            int Priority) {
  llvm::appendToGlobalCtors(*llvm::unwrap(M), llvm::unwrap<llvm::Function>(Fn),
                            Priority);
}

extern "C" LLVMValueRef leakpass_stack_object(LLVMValueRef Ptr) {
  const llvm::Value *Obj = llvm::getUnderlyingObject(llvm::unwrap(Ptr));
  return llvm::isa<llvm::AllocaInst>(Obj) ? llvm::wrap(Obj) : nullptr;
}

// Walks every use of the alloca through address arithmetic.  Any use other
// than a load, a store *to* it, lifetime markers and droppable uses (assume)
// means the address may reach other code (a call, memcpy, a store of the
// address itself, a phi), so the slot is not local.
extern "C" int leakpass_alloca_is_local(LLVMValueRef Alloca,
                                        LLVMValueRef **Stores,
                                        size_t *NumStores) {
  std::vector<LLVMValueRef> Found;
  std::vector<const llvm::Value *> Work{llvm::unwrap(Alloca)};
  *Stores = nullptr;
  *NumStores = 0;
  while (!Work.empty()) {
    const llvm::Value *V = Work.back();
    Work.pop_back();
    for (const llvm::Use &U : V->uses()) {
      const llvm::User *User = U.getUser();
      if (llvm::isa<llvm::LoadInst>(User))
        continue;
      if (auto *S = llvm::dyn_cast<llvm::StoreInst>(User)) {
        if (U.getOperandNo() != llvm::StoreInst::getPointerOperandIndex())
          return 0;
        Found.push_back(llvm::wrap(S));
        continue;
      }
      if (llvm::isa<llvm::GetElementPtrInst>(User) ||
          llvm::isa<llvm::BitCastInst>(User) ||
          llvm::isa<llvm::AddrSpaceCastInst>(User)) {
        Work.push_back(User); // one pointer operand: reached once
        continue;
      }
      if (auto *I = llvm::dyn_cast<llvm::Instruction>(User))
        if (I->isLifetimeStartOrEnd() || I->isDroppable())
          continue;
      return 0;
    }
  }
  if (!Found.empty()) {
    *Stores = static_cast<LLVMValueRef *>(malloc(Found.size() * sizeof(LLVMValueRef)));
    if (!*Stores)
      return 0;
    memcpy(*Stores, Found.data(), Found.size() * sizeof(LLVMValueRef));
  }
  *NumStores = Found.size();
  return 1;
}

// Whether Call (a call or invoke of an intrinsic) may write the memory its
// pointer arguments point to.  Lifetime markers and assume-like intrinsics
// write nothing a program reads.
extern "C" int leakpass_intrinsic_writes_args(LLVMValueRef Call) {
  auto *CB = llvm::unwrap<llvm::CallBase>(Call);
  if (CB->isLifetimeStartOrEnd() || llvm::isAssumeLikeIntrinsic(CB))
    return 0;
  return llvm::isModSet(CB->getMemoryEffects().getModRef(llvm::IRMemLocation::ArgMem));
}

// How many bytes inline asm call Call may write through its argument Arg:
// 0 when it is not a memory operand and the asm does not clobber "memory"
// (GCC's contract: asm that writes memory it is not given as an operand
// must clobber "memory"), the size of the operand's type for a memory
// operand, UINT64_MAX (anything reachable from there) for a clobber or an
// operand of unknown type.
extern "C" uint64_t leakpass_asm_written_bytes(LLVMValueRef Call, unsigned Arg) {
  auto *CB = llvm::unwrap<llvm::CallBase>(Call);
  if (CB->onlyReadsMemory())
    return 0;
  auto *IA = llvm::cast<llvm::InlineAsm>(CB->getCalledOperand());
  bool indirect = false;
  unsigned arg = 0;
  for (const llvm::InlineAsm::ConstraintInfo &C : IA->ParseConstraints()) {
    if (C.Type == llvm::InlineAsm::isClobber) {
      for (const std::string &Code : C.Codes)
        if (Code == "{memory}")
          return UINT64_MAX;
      continue;
    }
    if ((C.Type == llvm::InlineAsm::isOutput && !C.isIndirect) ||
        C.Type == llvm::InlineAsm::isLabel)
      continue; /* a result or asm goto's target, not an argument */
    if (arg++ == Arg)
      indirect = C.isIndirect;
  }
  if (!indirect)
    return 0;
  llvm::Type *T = CB->getParamElementType(Arg);
  if (!T || !T->isSized())
    return UINT64_MAX;
  uint64_t Size = CB->getModule()->getDataLayout().getTypeStoreSize(T).getFixedValue();
  return Size ? Size : UINT64_MAX;
}

// The size in bytes of a static alloca (0: dynamic or unknown).
extern "C" uint64_t leakpass_alloca_size(LLVMValueRef Alloca) {
  auto *A = llvm::unwrap<llvm::AllocaInst>(Alloca);
  std::optional<llvm::TypeSize> Size =
      A->getAllocationSize(A->getModule()->getDataLayout());
  return Size && !Size->isScalable() ? Size->getFixedValue() : 0;
}

// Whether code outside its module may call Fn: it is visible outside, or
// its address is taken (a callback, a vtable slot).
extern "C" int leakpass_callable_from_outside(LLVMValueRef Fn) {
  auto *F = llvm::unwrap<llvm::Function>(Fn);
  return !F->hasLocalLinkage() || F->hasAddressTaken();
}

// Splits Before's block and returns the terminator of a new block that runs
// only when Cond is true (unlikely), then falls through to Before.
extern "C" LLVMValueRef leakpass_split_if_then(LLVMValueRef Cond,
                                              LLVMValueRef Before) {
  auto *I = llvm::unwrap<llvm::Instruction>(Before);
  llvm::MDBuilder MDB(I->getContext());
  return llvm::wrap(llvm::SplitBlockAndInsertIfThen(
      llvm::unwrap(Cond), I->getIterator(), /*Unreachable=*/false,
      MDB.createUnlikelyBranchWeights()));
}

extern "C" LLVM_ATTRIBUTE_WEAK llvm::PassPluginLibraryInfo
llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "leakpass", LEAKPASS_VERSION,
          registerCallbacks};
}
