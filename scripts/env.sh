# shellcheck shell=bash
# Shared by every script in scripts/ (sourced, not run). It
#   - finds a JDK >= 21: JAVA_HOME, then PATH, then the usual install folders;
#   - builds the project once with the Maven wrapper and reuses the build until a source changes;
#   - runs a main class of a module with the right classpath and JVM flags.
#
# Variables a user may set:
#   JAVA_HOME     a JDK to prefer (used when it is 21 or newer)
#   JAVA_OPTS     extra JVM flags for the tools, e.g. JAVA_OPTS=-Xmx8g
#   DR_REBUILD=1  force a rebuild before running
#   DR_VERBOSE=1  say which JDK was picked and why others were not
#   DR_JDK_DIRS   folders to search for JDKs instead of the usual install folders (space-separated globs)

DR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DR_MIN_JAVA=21
DR_BUILD_DIR="$DR_ROOT/.build"

dr_log() { printf '%s\n' "$*" >&2; }
dr_die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# The feature version (17, 21, 25…) of the java binary $1, or nothing if it does not run.
dr_java_feature() {
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1)
  case "$v" in
    1.*) v=${v#1.} ;;
  esac
  case "$v" in
    '' | *[!0-9]*) return 1 ;;
  esac
  printf '%s' "$v"
}

# Sets DR_JAVA_HOME to a JDK >= DR_MIN_JAVA (a javac next to java: Maven compiles with it).
dr_find_java() {
  [ -n "${DR_JAVA_HOME:-}" ] && return 0
  local looked=() home v candidates=() best_home="" best_v=0
  if [ -n "${JAVA_HOME:-}" ]; then
    if [ -x "$JAVA_HOME/bin/java" ] && v=$(dr_java_feature "$JAVA_HOME/bin/java") && [ "$v" -ge "$DR_MIN_JAVA" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
      DR_JAVA_HOME="$JAVA_HOME"
    else
      looked+=("JAVA_HOME=$JAVA_HOME (Java ${v:-?}${v:+, or no javac})")
    fi
  fi
  if [ -z "${DR_JAVA_HOME:-}" ] && command -v java > /dev/null 2>&1; then
    home=$(cd "$(dirname "$(readlink -f "$(command -v java)")")/.." && pwd)
    if v=$(dr_java_feature "$home/bin/java") && [ "$v" -ge "$DR_MIN_JAVA" ] && [ -x "$home/bin/javac" ]; then
      DR_JAVA_HOME="$home"
    else
      looked+=("java on PATH: $home (Java ${v:-?})")
    fi
  fi
  if [ -z "${DR_JAVA_HOME:-}" ]; then
    local pattern patterns
    if [ -n "${DR_JDK_DIRS:-}" ]; then
      # shellcheck disable=SC2206 # globs on purpose
      patterns=($DR_JDK_DIRS)
    else
      patterns=(/usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/*jdk*
        "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* "$HOME"/.local/share/mise/installs/java/*
        "$HOME"/.asdf/installs/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home
        /opt/homebrew/opt/openjdk*/libexec/openjdk.jdk/Contents/Home
        /usr/local/opt/openjdk*/libexec/openjdk.jdk/Contents/Home)
    fi
    for pattern in "${patterns[@]}"; do
      [ -x "$pattern/bin/java" ] && [ -x "$pattern/bin/javac" ] && candidates+=("$pattern")
    done
    for home in "${candidates[@]}"; do
      if v=$(dr_java_feature "$home/bin/java") && [ "$v" -ge "$DR_MIN_JAVA" ] && [ "$v" -gt "$best_v" ]; then
        best_home="$home"
        best_v="$v"
      fi
    done
    [ -n "$best_home" ] && DR_JAVA_HOME="$best_home"
    looked+=("install folders (/usr/lib/jvm, /opt, ~/.sdkman, ~/.jdks, /Library/Java…): ${#candidates[@]} JDK(s), none ${DR_MIN_JAVA}+")
  fi
  if [ -z "${DR_JAVA_HOME:-}" ]; then
    {
      echo "error: no JDK ${DR_MIN_JAVA} or newer found. This project targets Java ${DR_MIN_JAVA}."
      echo "  looked at:"
      printf '    - %s\n' "${looked[@]}"
      echo "  install one, then run this again (or point JAVA_HOME at it):"
      echo "    Debian/Ubuntu:    sudo apt install openjdk-21-jdk"
      echo "    Fedora/RHEL:      sudo dnf install java-21-openjdk-devel"
      echo "    macOS (Homebrew): brew install openjdk@21"
      echo "    any OS:           https://adoptium.net/temurin/releases/?version=21"
    } >&2
    exit 1
  fi
  export JAVA_HOME="$DR_JAVA_HOME"
  DR_JAVA="$DR_JAVA_HOME/bin/java"
  [ -n "${DR_VERBOSE:-}" ] && dr_log "using JDK $(dr_java_feature "$DR_JAVA") at $DR_JAVA_HOME"
  return 0
}

# Runs the Maven wrapper from the repository root with the JDK found above.
dr_mvn() {
  dr_find_java
  (cd "$DR_ROOT" && ./mvnw "$@")
}

# The first source file changed since the last build, if any.
dr_changed_since() {
  find "$DR_ROOT" \( -path "$DR_ROOT/.git" -o -path "$DR_ROOT/.build" -o -name target -o -path "$DR_ROOT/runs" \) -prune -o \
    \( -name pom.xml -o -path '*/src/main/*' -o -path "$DR_ROOT/configs/defaults.yaml" -o -path "$DR_ROOT/.mvn/*" \) \
    -type f -newer "$1" -print -quit
}

# Builds once (no tests), then reuses the build until a pom, a main source or the defaults change.
dr_build() {
  dr_find_java
  mkdir -p "$DR_BUILD_DIR"
  local stamp="$DR_BUILD_DIR/stamp"
  if [ -z "${DR_REBUILD:-}" ] && [ -f "$stamp" ] && [ -z "$(dr_changed_since "$stamp")" ]; then
    return 0
  fi
  (
    # One build at a time when several scripts start together.
    if command -v flock > /dev/null 2>&1; then
      exec 9> "$DR_BUILD_DIR/lock"
      flock 9
    fi
    if [ -z "${DR_REBUILD:-}" ] && [ -f "$stamp" ] && [ -z "$(dr_changed_since "$stamp")" ]; then
      exit 0
    fi
    dr_log "building DeepResearcher-JVM (once; later runs reuse the build)…"
    local started
    started=$(date +%s)
    touch "$DR_BUILD_DIR/stamp.next"
    if ! (cd "$DR_ROOT" && ./mvnw -B -q -DskipTests -Dspotless.check.skip=true package) > "$DR_BUILD_DIR/build.log" 2>&1; then
      tail -n 40 "$DR_BUILD_DIR/build.log" >&2
      dr_die "the build failed; the full log is $DR_BUILD_DIR/build.log"
    fi
    mv "$DR_BUILD_DIR/stamp.next" "$stamp"
    dr_log "built in $(($(date +%s) - started)) s"
  ) || exit 1
}

# JVM flags every tool gets: offline DJL, the opens that DJL and Ray need (PLATFORM.md), and native
# access for the JNI libraries (SQLite, Snappy, PyTorch) without warnings on newer JDKs.
dr_jvm_flags() {
  local feature
  feature=$(dr_java_feature "$DR_JAVA")
  if [ "$feature" -ge 23 ]; then
    # parquet-java and Ray still call sun.misc.Unsafe's memory methods.
    printf '%s\n' --sun-misc-unsafe-memory-access=allow
  fi
  # DJL reports its engine set-up at INFO and, on machines without a usable CUDA driver, a failed
  # GPU probe at WARN: both are noise for a tool's user (set JAVA_OPTS to see them).
  printf '%s\n' -Dorg.slf4j.simpleLogger.log.ai.djl=warn -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda=error
  printf '%s\n' -Ddr.root="$DR_ROOT" -Dai.djl.offline=true --enable-native-access=ALL-UNNAMED \
    --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
    --add-opens=java.base/java.math=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED \
    --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
}

# dr_run <module> <main class> [args…]: builds if needed, then runs the class with the module's classpath.
dr_run() {
  local module="$1" main="$2"
  shift 2
  dr_build
  local cpfile="$DR_ROOT/$module/target/classpath.txt"
  [ -f "$cpfile" ] || dr_die "missing $cpfile; rebuild with DR_REBUILD=1 $0"
  local cp flags=()
  cp="$DR_ROOT/$module/target/classes:$(cat "$cpfile")"
  mapfile -t flags < <(dr_jvm_flags)
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags on purpose.
  exec "$DR_JAVA" "${flags[@]}" ${JAVA_OPTS:-} -cp "$cp" "$main" "$@"
}
