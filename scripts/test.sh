#!/usr/bin/env bash
# scripts/test.sh: the one command that runs every check of giaoban.
#
#   scripts/test.sh           everything (what CI runs, through .ci/run)
#   scripts/test.sh --quick   tools, gofmt, vet, PostgreSQL and go test only:
#                             no fuzzing, benchmarks or cross builds
#
# Steps: tools (installs missing Debian packages when root), gofmt, go vet,
# a throwaway PostgreSQL cluster, go test, short fuzz runs, benchmarks at a
# small scale, cross builds for linux/amd64 and windows/amd64. Every step
# runs even when an earlier one failed; the last line says
# "N passed, N failed" and the exit status is non-zero if any step failed.
#
# Environment:
#   GIAOBAN_TEST_POSTGRES  base DSN of a PostgreSQL server where the user may
#                          CREATE DATABASE; when set, no cluster is started
#   GIAOBAN_CHROMIUM       Chromium for browser tests (default /usr/bin/chromium)
#   CI=true                missing tools and PostgreSQL fail instead of skip
#   FUZZTIME               time per fuzz target (default 5s)
#   GO_TEST_TIMEOUT        go test -timeout (default 15m)
#   GO_TEST_FLAGS          extra flags for go test, e.g. "-race -run TestX"
#   RACE=1                 add -race to go test (needs cgo; slow on 2 cores)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

QUICK=0
for arg in "$@"; do
	case $arg in
	--quick) QUICK=1 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "test.sh: unknown argument $arg (try --help)" >&2; exit 2 ;;
	esac
done

is_ci() { [[ ${CI:-} == true || ${CI:-} == 1 ]]; }
is_root() { [[ $(id -u) == 0 ]]; }

FUZZTIME=${FUZZTIME:-5s}
GO_TEST_TIMEOUT=${GO_TEST_TIMEOUT:-15m}
export GIAOBAN_CHROMIUM=${GIAOBAN_CHROMIUM:-/usr/bin/chromium}
# The store suites need PostgreSQL in CI: dbtest fails (never skips) then.
if is_ci; then export GIAOBAN_REQUIRE_POSTGRES=1; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/giaoban-test.XXXXXX")
PGDIR= PGBIN= PGRUN=()

# pg_as CMD…: runs a PostgreSQL program as the cluster's owner, from its
# folder (the postgres user may not be allowed into the current one).
pg_as() { (cd "$PGDIR" && "${PGRUN[@]}" "$@"); }

cleanup() {
	local rc=$?
	# Runs once; with the console gone (… | head) writes just fail.
	trap - EXIT
	trap '' PIPE HUP INT TERM
	if [[ -n $PGDIR && -f $PGDIR/data/postmaster.pid ]]; then
		echo "==> stopping the throwaway PostgreSQL" 2>/dev/null || true
		pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	[[ -n $PGDIR ]] && rm -rf "$PGDIR"
	rm -rf "$WORK"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

# ---------------------------------------------------------------- reporting

PASSED=0 FAILED=0 STEPNO=0
RESULTS=()

header() {
	STEPNO=$((STEPNO + 1))
	echo
	echo "================================================================"
	echo "==> [$STEPNO] $*"
	echo "================================================================"
}

record() { # record NAME RC SECONDS
	if [[ $2 == 0 ]]; then
		PASSED=$((PASSED + 1))
		RESULTS+=("ok    $1 (${3}s)")
		echo "--> $1: ok (${3}s)"
	else
		FAILED=$((FAILED + 1))
		RESULTS+=("FAIL  $1 (${3}s)")
		echo "--> $1: FAILED (${3}s)"
	fi
}

# run_step NAME FUNCTION: runs FUNCTION in a subshell with errexit on (a
# function called from `if` or `||` would run with errexit off), so the
# first failing command ends the step, not the script.
run_step() {
	local name=$1 fn=$2 rc start=$SECONDS
	header "$name"
	set +e
	(set -e; "$fn")
	rc=$?
	set -e
	record "$name" "$rc" $((SECONDS - start))
}

# -------------------------------------------------------------------- tools

# Tells whether a tool (named after its Debian package) is installed.
have_pkg_tool() {
	case $1 in
	postgresql) compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null ;;
	chromium) [[ -x /usr/bin/chromium ]] ;;
	fonts-liberation2) [[ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ]] ;;
	poppler-utils) command -v pdftotext >/dev/null ;;
	libreoffice) command -v soffice >/dev/null ;;
	zbar-tools) command -v zbarimg >/dev/null ;;
	*) return 1 ;;
	esac
}

# Debian's name for a tool's package; LibreOffice Writer comes without the
# GUI where the archive has that variant (soffice --headless is all we use).
debian_pkg() {
	if [[ $1 != libreoffice ]]; then
		echo "$1"
		return
	fi
	local p
	for p in libreoffice-writer-nogui libreoffice-writer; do
		if apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
			echo "$p"
			return
		fi
	done
	echo libreoffice-writer-nogui
}

step_tools() {
	local tools=(postgresql chromium fonts-liberation2 poppler-utils libreoffice zbar-tools)
	local missing=() t
	command -v go >/dev/null || { echo "go is not on PATH"; return 1; }
	go version
	for t in "${tools[@]}"; do
		have_pkg_tool "$t" || missing+=("$t")
	done
	if ((${#missing[@]} == 0)); then
		echo "all tools present: ${tools[*]}"
		return 0
	fi
	echo "missing: ${missing[*]}"
	if is_root && command -v apt-get >/dev/null; then
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -q
		local pkgs=()
		for t in "${missing[@]}"; do pkgs+=("$(debian_pkg "$t")"); done
		echo "installing Debian packages: ${pkgs[*]}"
		apt-get install -y -q --no-install-recommends "${pkgs[@]}"
		local still=()
		for t in "${missing[@]}"; do have_pkg_tool "$t" || still+=("$t"); done
		if ((${#still[@]} > 0)); then
			echo "still missing after apt-get install: ${still[*]}"
			return 1
		fi
		echo "installed: ${pkgs[*]}"
		return 0
	fi
	local how="install them as root: apt-get install"
	for t in "${missing[@]}"; do how+=" $(debian_pkg "$t")"; done
	echo "$how"
	if is_ci; then
		echo "CI=true: missing tools are an error"
		return 1
	fi
	echo "(not CI: going on; tests that need them will skip or fail as they decide)"
}

# ------------------------------------------------------------ gofmt and vet

step_gofmt() {
	local files out
	files=$(find . \( -name .git -o -name node_modules -o -name vendor -o -name testdata -o -name '.*' ! -name . \) -prune -o -name '*.go' -print)
	[[ -n $files ]] || { echo "no Go files"; return 0; }
	out=$(gofmt -l $files)
	if [[ -n $out ]]; then
		echo "these files are not gofmt-ed (run gofmt -w on them):"
		echo "$out"
		return 1
	fi
	echo "$(wc -w <<<"$files") files formatted"
}

step_vet() {
	go vet ./...
}

# --------------------------------------------------------------- PostgreSQL

# A port nobody listens on at 127.0.0.1 (the start is retried if we lose a race).
free_port() {
	local p i
	for i in $(seq 1 200); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# Runs in the main shell (it exports GIAOBAN_TEST_POSTGRES for later steps),
# so every failure is handled by hand.
start_postgres() {
	if [[ -n ${GIAOBAN_TEST_POSTGRES:-} ]]; then
		echo "GIAOBAN_TEST_POSTGRES is set; using that server, not starting one"
		return 0
	fi
	PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	if [[ -z $PGBIN || ! -x $PGBIN/initdb ]]; then
		echo "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (Debian package postgresql)"
		if is_ci; then return 1; fi
		echo "(not CI: the PostgreSQL halves of the store suites will skip)"
		return 0
	fi
	echo "using $PGBIN"
	# In memory when there is room: creating a database per test is ten
	# times faster there than on disk.
	local base=${TMPDIR:-/tmp}
	if [[ -d /dev/shm && -w /dev/shm ]] && (($(df -Pk /dev/shm | awk 'NR == 2 {print $4}') > 2 * 1024 * 1024)); then
		base=/dev/shm
	fi
	PGDIR=$(mktemp -d "$base/giaoban-pg.XXXXXX")
	PGRUN=()
	if is_root; then
		# initdb and pg_ctl refuse to run as root.
		if ! id postgres >/dev/null 2>&1; then
			echo "running as root but there is no postgres user to run the server as"
			return 1
		fi
		chown postgres: "$PGDIR"
		PGRUN=(runuser -u postgres --)
	fi
	local locale=(--no-locale)
	if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale=(--locale=C.UTF-8); fi
	if ! pg_as "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 "${locale[@]}" --no-sync >"$PGDIR/initdb.log" 2>&1; then
		cat "$PGDIR/initdb.log"
		echo "initdb failed"
		return 1
	fi
	local port try
	for try in 1 2 3; do
		port=$(free_port) || { echo "no free port found"; return 1; }
		# A test cluster: fast and throwaway, reachable from this machine only.
		cat >"$PGDIR/data/postgresql.auto.conf" <<-EOF
			listen_addresses = '127.0.0.1'
			port = $port
			unix_socket_directories = '$PGDIR'
			max_connections = 300
			fsync = off
			synchronous_commit = off
			full_page_writes = off
			log_min_messages = warning
			log_min_error_statement = panic
		EOF
		[[ -z ${PGRUN[*]} ]] || chown postgres: "$PGDIR/data/postgresql.auto.conf"
		if pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 start >/dev/null; then
			export GIAOBAN_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
			echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$port (data in $PGDIR)"
			echo "GIAOBAN_TEST_POSTGRES=$GIAOBAN_TEST_POSTGRES"
			return 0
		fi
		echo "start on port $port failed (attempt $try):"
		tail -n 20 "$PGDIR/server.log" 2>/dev/null || true
	done
	return 1
}

step_postgres() {
	local rc start=$SECONDS
	header "PostgreSQL for the store suites"
	set +e
	start_postgres
	rc=$?
	set -e
	record "PostgreSQL" "$rc" $((SECONDS - start))
}

# ------------------------------------------------------------------ go test

# -race is off by default: it needs cgo, and on the 2-core CI machine it makes
# the whole suite several times slower (SQLite in pure Go is heavy under the
# race detector). Developers turn it on with RACE=1 or GO_TEST_FLAGS=-race.
step_test() {
	local flags=(-count=1 "-timeout=$GO_TEST_TIMEOUT")
	if [[ ${RACE:-} == 1 ]]; then flags+=(-race); export CGO_ENABLED=1; fi
	# shellcheck disable=SC2206
	[[ -z ${GO_TEST_FLAGS:-} ]] || flags+=($GO_TEST_FLAGS)
	echo "go test ${flags[*]} ./...   (GIAOBAN_TEST_POSTGRES=${GIAOBAN_TEST_POSTGRES:-unset}, GIAOBAN_CHROMIUM=$GIAOBAN_CHROMIUM)"
	local log=$WORK/gotest.log rc
	set +e
	go test "${flags[@]}" ./... 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	set -e
	local ok failed none
	ok=$(grep -cE '^ok[[:space:]]' "$log" || true)
	failed=$(grep -cE '^FAIL[[:space:]]+[^[:space:]]' "$log" || true)
	none=$(grep -cE '^\?[[:space:]]' "$log" || true)
	echo
	echo "go test: $ok packages ok, $failed packages FAIL, $none without tests"
	if ((failed > 0)); then
		echo "failed packages:"
		grep -E '^FAIL[[:space:]]+[^[:space:]]' "$log" | sed 's/^/    /'
	fi
	return "$rc"
}

# --------------------------------------------------------------------- fuzz

# fuzz_one fuzzes one target and prints its output. Go 1.26's fuzzing
# coordinator can end a -fuzztime run with a bare "context deadline
# exceeded" when a worker is mid-input at the deadline on a loaded machine
# (go.dev/issue/75804, fixed in Go 1.27): no input failed and nothing is
# written. Such a run is tried once more; a real finding always writes
# "Failing input written to testdata/fuzz/…" and fails at once.
fuzz_one() {
	local name=$1 dir=$2 out attempt before after
	for attempt in 1 2; do
		before=$(ls "$dir/testdata/fuzz/$name" 2>/dev/null | wc -l)
		out=$(go test -run='^$' -fuzz="^${name}\$" -fuzztime="$FUZZTIME" -timeout=10m "$dir" 2>&1) && { echo "$out"; return 0; }
		echo "$out"
		after=$(ls "$dir/testdata/fuzz/$name" 2>/dev/null | wc -l)
		if ((after != before)) || grep -qE 'Failing input written|panic:' <<<"$out" || ! grep -q 'context deadline exceeded' <<<"$out"; then
			return 1
		fi
		echo "--- fuzz $name: the coordinator's deadline race (go.dev/issue/75804), no failing input; trying again"
	done
	return 1
}

step_fuzz() {
	local targets line file name dir fails=0 n=0
	targets=$(grep -rEo --include='*_test.go' --exclude-dir=.git --exclude-dir=node_modules --exclude-dir=vendor --exclude-dir=testdata \
		'^func Fuzz[A-Za-z0-9_]*\(' . | sed 's/($//' | sort -u || true)
	if [[ -z $targets ]]; then
		echo "no fuzz targets (func FuzzXxx in *_test.go)"
		return 0
	fi
	while IFS= read -r line; do
		file=${line%%:*}
		name=${line##*func }
		dir=$(dirname "$file")
		n=$((n + 1))
		echo "--- fuzz $name in $dir for $FUZZTIME"
		if ! fuzz_one "$name" "$dir"; then
			echo "--- fuzz $name FAILED (a failing input is saved under $dir/testdata/fuzz/$name/)"
			fails=$((fails + 1))
		fi
	done <<<"$targets"
	echo "fuzz: $n targets, $fails failed"
	((fails == 0))
}

# --------------------------------------------------------------- benchmarks

# Small scale: one iteration each, to prove they run; figures come from
# `giaoban bench` by hand.
step_bench() {
	go test -run='^$' -bench=. -benchtime=1x -timeout="$GO_TEST_TIMEOUT" ./...
}

# ------------------------------------------------------------- cross builds

step_cross() {
	if ! compgen -G 'cmd/giaoban/*.go' >/dev/null; then
		echo "cmd/giaoban has no Go files: the giaoban command is missing, nothing to build"
		return 1
	fi
	local os ext out
	for os in linux windows; do
		ext=; [[ $os == windows ]] && ext=.exe
		out=$WORK/giaoban-$os-amd64$ext
		echo "--- CGO_ENABLED=0 GOOS=$os GOARCH=amd64 go build ./cmd/giaoban"
		CGO_ENABLED=0 GOOS=$os GOARCH=amd64 go build -trimpath -o "$out" ./cmd/giaoban
		echo "    $(basename "$out"): $(($(wc -c <"$out") / 1024 / 1024)) MiB"
	done
	[[ $(head -c 2 "$WORK/giaoban-windows-amd64.exe") == MZ ]] || { echo "the .exe is not a Windows executable"; return 1; }
	[[ $(head -c 4 "$WORK/giaoban-linux-amd64" | tail -c 3) == ELF ]] || { echo "the linux binary is not ELF"; return 1; }
}

# --------------------------------------------------------------------- main

echo "giaoban tests in $ROOT ($( ((QUICK)) && echo quick || echo full), CI=${CI:-unset}, user $(id -un))"

run_step "tools" step_tools
run_step "gofmt" step_gofmt
run_step "go vet" step_vet
step_postgres
run_step "go test" step_test
if ((QUICK)); then
	echo
	echo "(--quick: no fuzzing, benchmarks or cross builds)"
else
	run_step "fuzz ($FUZZTIME per target)" step_fuzz
	run_step "benchmarks (1 iteration)" step_bench
	run_step "cross builds" step_cross
fi

echo
echo "================================================================"
printf '%s\n' "${RESULTS[@]}"
echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
