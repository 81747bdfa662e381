# One libFuzzer smoke run (cmake -P; FUZZER, CORPUS, SEEDS dir or empty, SECONDS). A fresh
# corpus each time, so runs are comparable; a crash or sanitizer report fails the test.
file(REMOVE_RECURSE ${CORPUS})
file(MAKE_DIRECTORY ${CORPUS})
if(SEEDS)
  file(GLOB seed_files ${SEEDS}/*.elf)
  file(COPY ${seed_files} DESTINATION ${CORPUS})
endif()
execute_process(COMMAND ${FUZZER} -max_total_time=${SECONDS} -timeout=10 -print_final_stats=1
                        -artifact_prefix=${CORPUS}/../ ${CORPUS}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} found a failure (exit ${rc}); the input is next to the corpus")
endif()
