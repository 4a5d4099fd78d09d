// Hidden pointer (issue 3, idiom 3): NaN-boxing, as in clox (Crafting
// Interpreters): an object pointer lives in the payload of a quiet NaN with
// the sign bit set, numbers are plain doubles.  Values are built by helper
// functions, passed by value, appended to a value array that grows with
// realloc.  A 101-byte object is referenced only by a boxed value in that
// array; a 203-byte object leaks when its slot is overwritten by a number.
// mode=precise must keep the first and report the second; conservative
// scanning sees a NaN, not a pointer, and reports the live object as leaked.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

typedef uint64_t Value;
#define SIGN_BIT ((uint64_t)0x8000000000000000)
#define QNAN ((uint64_t)0x7ffc000000000000)
#define IS_OBJ(v) (((v) & (QNAN | SIGN_BIT)) == (QNAN | SIGN_BIT))
#define AS_OBJ(v) ((Obj *)(uintptr_t)((v) & ~(SIGN_BIT | QNAN)))
#define OBJ_VAL(obj) (Value)(SIGN_BIT | QNAN | (uint64_t)(uintptr_t)(obj))

typedef struct {
  int type;
  int id;
  char payload[];
} Obj;

typedef struct {
  int capacity;
  int count;
  Value *values;
} ValueArray;

ValueArray *volatile constants;

__attribute__((noinline)) static Value number_val(double num) {
  Value value;
  memcpy(&value, &num, sizeof(double));
  return value;
}

__attribute__((noinline)) static double as_number(Value value) {
  double num;
  memcpy(&num, &value, sizeof(Value));
  return num;
}

__attribute__((noinline)) static void *reallocate(void *pointer,
                                                  size_t new_size) {
  return realloc(pointer, new_size);
}

__attribute__((noinline)) static void write_value_array(ValueArray *array,
                                                        Value value) {
  if (array->capacity < array->count + 1) {
    array->capacity = array->capacity < 8 ? 8 : array->capacity * 2;
    array->values =
        reallocate(array->values, sizeof(Value) * (size_t)array->capacity);
  }
  array->values[array->count] = value;
  array->count++;
}

__attribute__((noinline)) static Value new_object(int id, size_t size) {
  Obj *o = calloc(1, size);
  o->id = id;
  return OBJ_VAL(o);
}

__attribute__((noinline)) static void build(void) {
  ValueArray *a = calloc(1, sizeof *a);
  write_value_array(a, new_object(1, 101));
  for (int i = 0; i < 20; i++) /* grows the array: realloc moves it */
    write_value_array(a, number_val(i + 0.5));
  write_value_array(a, new_object(2, 203));
  a->values[a->count - 1] = number_val(-1.0); /* the 203-byte object leaks */
  constants = a;
}

__attribute__((noinline)) static void show(void) {
  Value v = constants->values[0];
  fprintf(stderr, "%d values: [0] is %s id %d, [20] = %g, [21] = %g\n",
          constants->count, IS_OBJ(v) ? "object" : "number", AS_OBJ(v)->id,
          as_number(constants->values[20]),
          as_number(constants->values[21]));
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: 22 values: [0] is object id 1, [20] = 19.5, [21] = -1
// PRECISE-NOT: leak of 101 byte
// PRECISE: Direct leak of 203 byte(s) in 1 object(s)
// PRECISE-NOT: leak of 101 byte
// PRECISE: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).

// CONS: 22 values: [0] is object id 1, [20] = 19.5, [21] = -1
// CONS-DAG: Direct leak of 203 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 101 byte(s) in 1 object(s)
// CONS: SUMMARY: leakcc: 304 byte(s) leaked in 2 allocation(s).
