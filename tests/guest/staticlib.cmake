# The validator archives (stateless/guest/staticlib) linked the way a zkVM vendor links them:
# the vendor's library first (here guest-rt's backends stand in for a vendor SDK: _start,
# read_input, write_output, abort, the accelerators, memcpy & co.), then the archive, with the
# backend's linker script. tests/release/staticlib_test.cpp compares these ELFs with the
# validator ELFs built from source.
#   staticlib_validator_accel.stelevm   libstele_validator.a + stelevm   (~ validator_accel.stelevm)
#   staticlib_validator.stelevm         libstele_validator_software.a + stelevm (~ validator.stelevm)
#   staticlib_validator.linux           libstele_validator_software.a + linux   (~ validator.linux)
# The linux backend serves no accelerators, so the accelerated archive is not linked with it.
foreach(link "staticlib_validator_accel|libstele_validator|stelevm"
    "staticlib_validator|libstele_validator_software|stelevm"
    "staticlib_validator|libstele_validator_software|linux")
  string(REPLACE "|" ";" link "${link}")
  list(GET link 0 name)
  list(GET link 1 archive)
  list(GET link 2 backend)
  set(t ${name}.${backend})
  add_executable(${t} $<TARGET_OBJECTS:guest_rt_${backend}>)
  set_target_properties(${t} PROPERTIES SUFFIX .elf LINKER_LANGUAGE CXX
    LINK_DEPENDS "${GUEST_RT_LINKER_SCRIPT};${STELE_STATICLIB_DIR}/${archive}.a")
  target_link_options(${t} PRIVATE -T ${GUEST_RT_LINKER_SCRIPT})
  target_link_libraries(${t} PRIVATE ${STELE_STATICLIB_DIR}/${archive}.a)
  add_dependencies(${t} ${archive})
  stele_guest_test(elfcheck.${t} LABELS guest
    COMMAND ${STELE_HOST_BIN_DIR}/cli/stele elf check $<TARGET_FILE:${t}>)
endforeach()
