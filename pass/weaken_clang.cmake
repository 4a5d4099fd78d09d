# cmake -DNM=llvm-nm -DOBJCOPY=llvm-objcopy -DINPUT=in.o -DOUTPUT=out.o -P weaken_clang.cmake
#
# Copies INPUT to OUTPUT with every undefined clang symbol (mangled names
# containing the namespace "5clang") made weak.  In clang those symbols
# resolve to the host's libclang-cpp; in opt they resolve to null and
# register.cpp never touches them.
execute_process(COMMAND ${NM} --undefined-only --format=just-symbols ${INPUT}
                OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "weaken_clang: ${NM} failed on ${INPUT}")
endif()
string(REGEX MATCHALL "[^\n]*5clang[^\n]*" clang_symbols "${symbols}")
if(NOT clang_symbols)
  message(FATAL_ERROR "weaken_clang: no clang symbols in ${INPUT}: the filter is stale")
endif()
list(JOIN clang_symbols "\n" text)
file(WRITE ${OUTPUT}.symbols "${text}\n")
execute_process(COMMAND ${OBJCOPY} --weaken-symbols=${OUTPUT}.symbols ${INPUT} ${OUTPUT}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "weaken_clang: ${OBJCOPY} failed on ${INPUT}")
endif()
