# CMake toolchain file: freestanding RV64IM (LP64, soft-float) guests built with Debian's
# riscv64-linux-gnu GCC. The target is riscv64im_zicclsm-unknown-none-elf; GCC 12's assembler
# has no spelling for Zicclsm (it has no encoding), so -march=rv64im is the exact equivalent.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv64)

set(STELE_GUEST_TRIPLE riscv64-linux-gnu CACHE STRING "Prefix of the cross toolchain")
find_program(CMAKE_C_COMPILER ${STELE_GUEST_TRIPLE}-gcc REQUIRED)
find_program(CMAKE_CXX_COMPILER ${STELE_GUEST_TRIPLE}-g++ REQUIRED)
set(CMAKE_ASM_COMPILER ${CMAKE_C_COMPILER})
find_program(CMAKE_OBJDUMP ${STELE_GUEST_TRIPLE}-objdump)

# Nothing can be linked before guest-rt exists, so compiler checks build static libraries.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(_stele_shim "${CMAKE_CURRENT_LIST_DIR}/include-shim")
set(_stele_arch "-march=rv64im -mabi=lp64 -mcmodel=medany")
# -fno-pic/-fno-plt: static executable. -fno-asynchronous-unwind-tables: no .eh_frame, since
# nothing unwinds without exceptions. -ffile-prefix-map is added by the top-level build.
set(_stele_common "${_stele_arch} -ffreestanding -fno-stack-protector -fno-pic -fno-plt \
-ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables \
-isystem ${_stele_shim}")
set(CMAKE_C_FLAGS_INIT "${_stele_common}")
set(CMAKE_CXX_FLAGS_INIT "${_stele_common} -nostdlib -fno-exceptions -fno-rtti \
-fno-threadsafe-statics")
set(CMAKE_ASM_FLAGS_INIT "${_stele_arch}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -nostartfiles -static -no-pie -Wl,--gc-sections \
-Wl,--build-id=none -Wl,-z,norelro -Wl,--no-warn-rwx-segments")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(STELE_GUEST ON CACHE BOOL "Building the RV64IM guest tree" FORCE)

# Deterministic static archives (zero timestamps, uids, gids, modes) regardless of whether the
# installed binutils defaults to them (Debian's does; upstream's does not): reproducible builds.
foreach(lang C CXX ASM)
  set(CMAKE_${lang}_ARCHIVE_CREATE "<CMAKE_AR> qcD <TARGET> <LINK_FLAGS> <OBJECTS>")
  set(CMAKE_${lang}_ARCHIVE_APPEND "<CMAKE_AR> qD <TARGET> <LINK_FLAGS> <OBJECTS>")
  set(CMAKE_${lang}_ARCHIVE_FINISH "<CMAKE_RANLIB> -D <TARGET>")
endforeach()
