# Shared by infra/up, infra/test, infra/reel, infra/mvn and infra/java: find a JDK, install OS packages, build.
# Sourced, not run. Every step says what it does and what to do when it cannot.

REEL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

say() { printf '\033[1m[reel]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[reel]\033[0m %s\n' "$*" >&2; exit 1; }

# The major version of the JDK at $1 (a JAVA_HOME), or nothing.
jdk_major() {
  [ -x "$1/bin/javac" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null
}

# Exports JAVA_HOME: the given one if it is 21+, else the newest JDK 21+ under /usr/lib/jvm or on PATH.
ensure_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ "$(jdk_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    export JAVA_HOME; return
  fi
  local best="" best_major=0 candidate major
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* \
                   "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")"; do
    [ -d "$candidate" ] || continue
    major="$(jdk_major "$candidate")"
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  [ -n "$best" ] || die "Reel needs a JDK 21 or newer and found none (looked at JAVA_HOME, /usr/lib/jvm, /opt, PATH).
       Install one (e.g. Eclipse Temurin 21 or 25: https://adoptium.net/installation/linux/) and set JAVA_HOME."
  export JAVA_HOME="$best"
  say "using JDK $best_major at $JAVA_HOME"
}

# Installs the Debian packages that are missing, with apt-get when we are root (or have sudo).
# Usage: ensure_packages REQUIRED|OPTIONAL pkg:command...
ensure_packages() {
  local need="$1"; shift
  local missing=() spec pkg cmd
  for spec in "$@"; do
    pkg="${spec%%:*}"; cmd="${spec##*:}"
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  if command -v apt-get >/dev/null 2>&1 && { [ -z "$sudo" ] || sudo -n true 2>/dev/null; }; then
    say "installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >/dev/null \
      && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      && return 0
    say "apt-get could not install ${missing[*]}"
  fi
  if [ "$need" = REQUIRED ]; then
    die "missing ${missing[*]}: install them with your package manager (Debian/Ubuntu: apt-get install ${missing[*]})"
  fi
  say "warning: missing ${missing[*]} (install with: apt-get install ${missing[*]}); the parts that use them will not run"
}

# Builds and installs every module, skipping tests (infra/test runs them).
build_reel() {
  say "building Reel (./mvnw install -DskipTests)"
  (cd "$REEL_ROOT" && ./mvnw -B -q -ntp install -DskipTests -Dspotless.check.skip=true) || die "the build failed: see the Maven output above"
}
