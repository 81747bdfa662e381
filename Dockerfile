# Reproducible build of the stele guest ELFs. The image's only content is the release tree that
# scripts/build-guests writes (named ELFs, SHA256SUMS, manifest.json), so
#
#   docker build --output type=local,dest=out \
#     --build-arg SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) \
#     --build-arg STELE_SOURCE_COMMIT=$(git rev-parse HEAD) .
#
# leaves in out/ the same bytes that `scripts/release` signs and that CI builds: this file is only
# a pinned environment around scripts/build-guests, which also runs directly (CI runs it directly,
# and scripts/repro-check builds with it twice and compares).
#
# Without Docker Hub (the pinned base cannot be pulled) the same file builds with buildah on
# Debian from a base made of Debian's own packages (README, "Releases"):
#   debootstrap --variant=minbase bookworm rootfs http://deb.debian.org/debian
#   tar -C rootfs -c . | podman import - localhost/stele-debian:bookworm-debootstrap
#   buildah bud --isolation chroot --from localhost/stele-debian:bookworm-debootstrap \
#     --build-arg DEBIAN_ARCHIVE=http://deb.debian.org/debian \
#     --build-arg DEBIAN_SECURITY_ARCHIVE=http://deb.debian.org/debian-security \
#     --build-arg SOURCE_DATE_EPOCH=... --build-arg STELE_SOURCE_COMMIT=... \
#     --output type=local,dest=out .

# debian:bookworm (Debian 12), pinned by the digest of its multi-arch image index, as recorded by
# the Docker official-images team in docker-library/repo-info, repos/debian/remote/bookworm.md
# (commit 05f354f0a08a211fdfed2f21845d1fccd389921d; the image built 2026-08-03 from
# snapshot.debian.org @1785715200). The linux/amd64 manifest in that index is
# sha256:88a7d30d49e1d13f0aac17b0e5fb9e291717e3a7c4a512fe56636db576383b8a.
FROM debian:bookworm@sha256:813017f3d62be4b5891a7acca6a01bdcd4b8513daa81b1ab99d3a50385b26931 AS build

# Packages come from a fixed snapshot of the Debian archive, so the whole dependency closure is
# frozen; the toolchain packages are also pinned by version (those of Debian 12 that the project's
# machines run, `dpkg-query -W`), so any drift fails loudly instead of changing the ELFs.
ARG DEBIAN_SNAPSHOT=20261119T000000Z
# Where apt fetches from: the snapshot by default. A build machine that cannot reach
# snapshot.debian.org may name a mirror instead (e.g. http://deb.debian.org/debian and
# http://deb.debian.org/debian-security): the version pins below still hold every toolchain
# package to the same bytes, or fail the build.
ARG DEBIAN_ARCHIVE=http://snapshot.debian.org/archive/debian/${DEBIAN_SNAPSHOT}
ARG DEBIAN_SECURITY_ARCHIVE=http://snapshot.debian.org/archive/debian-security/${DEBIAN_SNAPSHOT}
# Optional: build jobs (ninja's default is all cores + 2); does not change the ELFs.
ARG CMAKE_BUILD_PARALLEL_LEVEL
ARG SOURCE_DATE_EPOCH=0
ARG STELE_SOURCE_COMMIT=unknown
ENV LC_ALL=C TZ=UTC DEBIAN_FRONTEND=noninteractive

RUN rm -f /etc/apt/sources.list.d/debian.sources \
 && printf 'deb [check-valid-until=no] %s bookworm main\n' "$DEBIAN_ARCHIVE" > /etc/apt/sources.list \
 && printf 'deb [check-valid-until=no] %s bookworm-updates main\n' "$DEBIAN_ARCHIVE" >> /etc/apt/sources.list \
 && printf 'deb [check-valid-until=no] %s bookworm-security main\n' "$DEBIAN_SECURITY_ARCHIVE" \
      >> /etc/apt/sources.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends \
      cmake=3.25.1-1 \
      cmake-data=3.25.1-1 \
      ninja-build=1.11.1-2~deb12u1 \
      g++-riscv64-linux-gnu=4:12.2.0-5 \
      gcc-riscv64-linux-gnu=4:12.2.0-5 \
      cpp-riscv64-linux-gnu=4:12.2.0-5 \
      g++-12-riscv64-linux-gnu=12.2.0-13cross1 \
      gcc-12-riscv64-linux-gnu=12.2.0-13cross1 \
      cpp-12-riscv64-linux-gnu=12.2.0-13cross1 \
      gcc-12-riscv64-linux-gnu-base=12.2.0-13cross1 \
      gcc-12-cross-base-ports=12.2.0-13cross1 \
      libgcc-12-dev-riscv64-cross=12.2.0-13cross1 \
      libstdc++-12-dev-riscv64-cross=12.2.0-13cross1 \
      libstdc++6-riscv64-cross=12.2.0-13cross1 \
      libgcc-s1-riscv64-cross=12.2.0-13cross1 \
      libc6-dev-riscv64-cross=2.36-8cross1 \
      libc6-riscv64-cross=2.36-8cross1 \
      linux-libc-dev-riscv64-cross=6.1.4-1cross1 \
      binutils-riscv64-linux-gnu=2.40-2 \
      binutils-common=2.40-2 \
      libbinutils=2.40-2 \
      libctf0=2.40-2 \
      libctf-nobfd0=2.40-2 \
      libgprofng0=2.40-2 \
      libcc1-0=12.2.0-14+deb12u1 \
      libisl23=0.25-1.1 \
      libmpc3=1.3.1-1 \
      libmpfr6=4.2.0-1 \
      libjansson4=2.14-2 \
 && rm -rf /var/lib/apt/lists/*

# A fixed source path (the build does not depend on it: -ffile-prefix-map, and repro-check builds
# from two different paths to prove it).
WORKDIR /src
COPY . /src
RUN scripts/build-guests --out /out

FROM scratch
COPY --from=build /out/ /
