// clang -fplugin= alone (the AST action path) instruments at -O0, with sites from -g and the module constructor.
// RUN: %clang -fplugin=%leakpass -O0 -g -S -emit-llvm %s -o - | FileCheck %s
#include <stdlib.h>
#include <string.h>

// CHECK-DAG: @llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 1, ptr @__leakcc_module_ctor, ptr null }]
// CHECK-DAG: @[[FN:__leakcc_str[.0-9]*]] = private unnamed_addr constant [5 x i8] c"copy\00"
// CHECK-DAG: @[[SITE:__leakcc_site[.0-9]*]] = private constant { ptr, ptr, i32, i32 } { ptr @{{__leakcc_str[.0-9]*}}, ptr @[[FN]], i32 [[@LINE+5]], i32 10 }

// CHECK-LABEL: define {{.*}} @copy(
// CHECK: call noalias ptr @__leakcc_hook_strdup(ptr noundef %{{.*}}, ptr @[[SITE]])
char *copy(const char *s) {
  return strdup(s);
}
