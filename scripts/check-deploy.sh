#!/usr/bin/env bash
# Offline checks of the deployment assets (no AWS account, no Docker engine needed):
#
#   1. cloudformation/relay.yaml against the CloudFormation resource specification, and the
#      validator's own failing examples (cloudformation/test/spec/);
#   2. the cfn-guard policy rules (cloudformation/rules/relay.guard): relay.yaml passes all of
#      them, and each failing example in cloudformation/test/guard/ breaks exactly its rule;
#   3. shellcheck on every shell script of the repository (mvnw excluded);
#   4. the Dockerfile, the image's bootstrap and .dockerignore against the image contract;
#   5. scripts/deploy.sh against stand-ins for aws and docker (help, missing tools and
#      parameters, an expired ECR login, a complete run).
#
# Installs what it needs when missing: the npm tools (exact versions of
# cloudformation/package.json) into cloudformation/node_modules, and shellcheck with apt-get
# when running as root. Ends with the line "N passed, M failed"; exits 1 if anything failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CFN="$ROOT/cloudformation"
cd "$ROOT"
PASSED=0
FAILED=0
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

pass() {
  PASSED=$((PASSED + 1))
  echo "PASS $*"
}

fail() {
  FAILED=$((FAILED + 1))
  echo "FAIL $*"
}

section() { printf '\n== %s\n' "$*"; }

# Runs a checker that prints "PASS ..." / "FAIL ..." lines and adds them to the counts. A checker
# that exits non-zero without a FAIL line, or that checked nothing, counts as one failure.
run_counted() { # label, command...
  local label=$1 out rc=0 p f
  shift
  out=$("$@" 2>&1) || rc=$?
  printf '%s\n' "$out"
  p=$(grep -c '^PASS ' <<< "$out" || true)
  f=$(grep -c '^FAIL ' <<< "$out" || true)
  PASSED=$((PASSED + p))
  FAILED=$((FAILED + f))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    fail "$label (exit status $rc)"
  elif [ "$rc" -eq 0 ] && [ "$p" -eq 0 ]; then
    fail "$label checked nothing"
  fi
}

# ---- Tools ----------------------------------------------------------------------------------

npm_tools_installed() {
  # shellcheck disable=SC2016 # the ${...} are JavaScript template literals
  node --input-type=module -e '
    import { readFileSync, existsSync } from "node:fs";
    const dir = process.argv[1];
    const deps = JSON.parse(readFileSync(`${dir}/package.json`, "utf8")).dependencies ?? {};
    for (const [name, version] of Object.entries(deps)) {
      const file = `${dir}/node_modules/${name}/package.json`;
      if (!existsSync(file) || JSON.parse(readFileSync(file, "utf8")).version !== version) process.exit(1);
    }' "$CFN"
}

NODE_OK=false
section "Tools"
if ! command -v node > /dev/null 2>&1 || ! command -v npm > /dev/null 2>&1; then
  fail "tools: node and npm are needed for the template checks (install Node.js 18 or newer)"
elif npm_tools_installed; then
  pass "tools: npm tools of cloudformation/package.json are installed"
  NODE_OK=true
else
  echo "installing the npm tools of cloudformation/package.json into cloudformation/node_modules"
  if (cd "$CFN" && npm install --no-audit --no-fund --no-package-lock --loglevel=error) && npm_tools_installed; then
    pass "tools: npm tools of cloudformation/package.json installed"
    NODE_OK=true
  else
    fail "tools: npm install in cloudformation/ failed"
  fi
fi

if ! command -v shellcheck > /dev/null 2>&1 && [ "$(id -u)" -eq 0 ] && command -v apt-get > /dev/null 2>&1; then
  echo "installing shellcheck with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq shellcheck > /dev/null 2>&1 ||
    { apt-get update -qq > /dev/null 2>&1 && apt-get install -y -qq shellcheck > /dev/null 2>&1; } || true
fi
if command -v shellcheck > /dev/null 2>&1; then
  pass "tools: $(shellcheck --version | sed -n 's/^version: /shellcheck /p')"
  SHELLCHECK_OK=true
else
  fail "tools: shellcheck not found (apt-get install shellcheck, as root)"
  SHELLCHECK_OK=false
fi
echo "note: hadolint is not packaged for npm or Debian 12; the Dockerfile is checked against the image contract below"

# ---- 1 and 2: the template ------------------------------------------------------------------

if [ "$NODE_OK" = true ]; then
  section "CloudFormation resource specification"
  run_counted "spec validation" node cloudformation/validate-template.mjs \
    cloudformation/relay.yaml cloudformation/test/guard/*.yaml
  run_counted "spec validator's failing examples" node cloudformation/validate-template.mjs --expect-fail \
    cloudformation/test/spec/*.yaml

  section "cfn-guard policy rules"
  run_counted "cfn-guard rules" node cloudformation/check-guard.mjs
fi

# ---- 3: shellcheck --------------------------------------------------------------------------

section "shellcheck"
if [ "$SHELLCHECK_OK" = true ]; then
  scripts=()
  while IFS= read -r f; do scripts+=("$f"); done < <(
    {
      find "$ROOT" \( -name node_modules -o -name .git -o -name target \) -prune -o -type f -name '*.sh' -print
      # Scripts without the .sh suffix (such as .ci/run): anything in scripts/, .ci/ or src/main/docker/ that starts
      # with a shell #! line.
      for f in "$ROOT"/scripts/* "$ROOT"/.ci/* "$ROOT"/src/main/docker/*; do
        [ -f "$f" ] && head -n 1 "$f" | grep -Eq '^#!.*[/ ](ba|da)?sh( |$)' && echo "$f"
      done
    } | grep -v '/mvnw$' | sort -u
  )
  for f in "${scripts[@]}"; do
    name=${f#"$ROOT"/}
    if out=$(shellcheck -x "$f" 2>&1); then
      pass "shellcheck: $name"
    else
      fail "shellcheck: $name"
      printf '%s\n' "$out" | sed 's/^/    /'
    fi
  done
fi

# ---- 4: Dockerfile --------------------------------------------------------------------------

section "Dockerfile"
DOCKERFILE="$ROOT/Dockerfile"
file_has() { # label, file, description, extended regex (matched against the file with continuations joined)
  # grep reads to the end (no -q): with pipefail, a grep that stops at its first match may leave sed writing into a
  # closed pipe, and the pipeline then fails.
  if [ -f "$2" ] && sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$2" | grep -E -- "$4" > /dev/null; then
    pass "$1: $3"
  else
    fail "$1: $3"
  fi
}
dockerfile_has() { file_has Dockerfile "$DOCKERFILE" "$@"; }
dockerfile_has "build stage on a JDK 17+ image (overridable ARG)" \
  '^ARG BUILD_IMAGE=[^ ]*(temurin|jdk|corretto)[^ ]*(-|:)(1[7-9]|[2-9][0-9])'
dockerfile_has "build stage is FROM \${BUILD_IMAGE} AS build" '^FROM \$\{BUILD_IMAGE\} AS build$'
dockerfile_has "builds with ./mvnw -B -DskipTests package" '\./mvnw -B -DskipTests package'
dockerfile_has "run stage on public.ecr.aws/lambda/java:25 (overridable ARG)" \
  '^ARG LAMBDA_BASE_IMAGE=public\.ecr\.aws/lambda/java:25$'
dockerfile_has "run stage is FROM \${LAMBDA_BASE_IMAGE}" '^FROM \$\{LAMBDA_BASE_IMAGE\}$'
dockerfile_has "copies the function's jar to \${LAMBDA_TASK_ROOT}/lib/" \
  '^COPY --from=build [^ ]*/target/dynamodb-cratedb-relay-function\.jar \$\{LAMBDA_TASK_ROOT\}/lib/$'
dockerfile_has "copies target/dependency jars to \${LAMBDA_TASK_ROOT}/lib/" \
  '^COPY --from=build [^ ]*/target/dependency(/|/\*)? \$\{LAMBDA_TASK_ROOT\}/lib/$'
dockerfile_has "CMD is the FunctionInvoker handler" \
  '^CMD \["org\.springframework\.cloud\.function\.adapter\.aws\.FunctionInvoker::handleRequest"\]$'
dockerfile_has "MAIN_CLASS is dev.ddbrelay.RelayApplication" '^ENV .*MAIN_CLASS=dev\.ddbrelay\.RelayApplication( |$)'
dockerfile_has "copies the bootstrap, executable, to \${LAMBDA_TASK_ROOT}/bootstrap" \
  '^COPY --chmod=755 src/main/docker/bootstrap \$\{LAMBDA_TASK_ROOT\}/bootstrap$'
dockerfile_has "ENTRYPOINT is the bootstrap in the task root" '^ENTRYPOINT \["/var/task/bootstrap"\]$'
dockerfile_has "a RUN trains the archive with the bootstrap and checks it was written" \
  '^RUN .*"\$\{LAMBDA_TASK_ROOT\}/bootstrap" --train org\.springframework\.cloud\.function\.adapter\.aws\.FunctionInvoker::handleRequest;.*test -s "\$\{LAMBDA_TASK_ROOT\}/relay\.aot" \|\| test -s "\$\{LAMBDA_TASK_ROOT\}/relay\.jsa"'
if [ -f "$DOCKERFILE" ] && awk '/^FROM /{n++} n==2 && /bootstrap" --train/{found=1} END{exit !found}' "$DOCKERFILE"; then
  pass "Dockerfile: the archive is trained in the run stage (by the JVM that uses it)"
else
  fail "Dockerfile: the archive is trained in the run stage (by the JVM that uses it)"
fi
if [ -f "$DOCKERFILE" ] && grep -Eq '^ENV .*(JAVA_TOOL_OPTIONS|_JAVA_OPTIONS)=' "$DOCKERFILE"; then
  fail "Dockerfile: no JVM options in ENV (they are the bootstrap's; a function's own JAVA_TOOL_OPTIONS would replace them)"
else
  pass "Dockerfile: no JVM options in ENV (they are the bootstrap's; a function's own JAVA_TOOL_OPTIONS would replace them)"
fi

section "bootstrap"
BOOTSTRAP="$ROOT/src/main/docker/bootstrap"
bootstrap_has() { file_has bootstrap "$BOOTSTRAP" "$@"; }
if [ -x "$BOOTSTRAP" ] && sh -n "$BOOTSTRAP"; then
  pass "bootstrap: an executable POSIX shell script"
else
  fail "bootstrap: an executable POSIX shell script"
fi
# shellcheck disable=SC2016 # regexes of the script's text: its $ are literal
{
  bootstrap_has "stops tiered compilation at level 1" '^exec "\$java" .*-XX:TieredStopAtLevel=1 '
  bootstrap_has "starts Spring from its AOT code" '^exec "\$java" .*-Dspring\.aot\.enabled=true '
  bootstrap_has "names the archive it finds (AOT cache or class-data sharing archive)" \
    'archive="-XX:AOTCache=\$task_root/relay\.aot"'
  bootstrap_has "puts every jar of lib/ on the class path and runs the runtime interface client" \
    '-cp "\$task_root/lib/\*" com\.amazonaws\.services\.lambda\.runtime\.api\.client\.AWSLambda "\$handler"$'
  bootstrap_has "runs under the Runtime Interface Emulator outside Lambda" 'exec /usr/local/bin/aws-lambda-rie "\$0" "\$handler"'
}
# Without a Runtime API and without the emulator it says what is wrong and stops.
if out=$(env -i PATH=/usr/bin:/bin LAMBDA_TASK_ROOT="$WORK" sh "$BOOTSTRAP" handler 2>&1); then
  fail "bootstrap: without AWS_LAMBDA_RUNTIME_API it stops"
elif [ -x /usr/local/bin/aws-lambda-rie ] || printf '%s' "$out" | grep -q 'AWS_LAMBDA_RUNTIME_API is not set'; then
  pass "bootstrap: without AWS_LAMBDA_RUNTIME_API it stops with a message"
else
  fail "bootstrap: without AWS_LAMBDA_RUNTIME_API it stops with a message (got: $out)"
fi
if out=$(env -i PATH=/usr/bin:/bin AWS_LAMBDA_RUNTIME_API=127.0.0.1:9 sh "$BOOTSTRAP" 2>&1); then
  fail "bootstrap: without a handler it stops"
elif printf '%s' "$out" | grep -q 'no handler'; then
  pass "bootstrap: without a handler it stops with a message"
else
  fail "bootstrap: without a handler it stops with a message (got: $out)"
fi
if [ -f "$DOCKERFILE" ] && grep -Eiq '^(ENV|ARG)[^#]*(PASSWORD|SECRET|TOKEN|AWS_ACCESS_KEY|AWS_SECRET)' "$DOCKERFILE"; then
  fail "Dockerfile: no credentials in ENV or ARG"
else
  pass "Dockerfile: no credentials in ENV or ARG"
fi
if [ -f "$DOCKERFILE" ] && [ "$(grep -c '^FROM ' "$DOCKERFILE")" -eq 2 ]; then
  pass "Dockerfile: two stages (build, run)"
else
  fail "Dockerfile: two stages (build, run)"
fi
DOCKERIGNORE="$ROOT/.dockerignore"
if [ -f "$DOCKERIGNORE" ] && [ "$(grep -Ev '^\s*(#|$)' "$DOCKERIGNORE" | head -n 1)" = "*" ] &&
  grep -qx '!src/' "$DOCKERIGNORE" && grep -qx 'src/test/' "$DOCKERIGNORE"; then
  pass ".dockerignore: sends only the Maven project, without tests"
else
  fail ".dockerignore: sends only the Maven project, without tests"
fi

# ---- 5: deploy.sh against stand-ins for aws and docker --------------------------------------

section "deploy.sh"
DEPLOY="$ROOT/scripts/deploy.sh"
SANDBOX="$WORK/bin-base" # only the ordinary tools deploy.sh uses: no aws, no docker
STUBS="$WORK/bin-stubs"
mkdir -p "$SANDBOX" "$STUBS"
for tool in bash env dirname mktemp rm cat grep date tee git sed; do
  if path=$(command -v "$tool"); then ln -s "$path" "$SANDBOX/$tool"; fi
done
cat > "$STUBS/aws" << 'EOF'
#!/usr/bin/env bash
# Stand-in for the AWS CLI: answers like it for the calls deploy.sh makes, and logs them.
echo "aws $*" >> "$STUB_LOG"
case "$1 $2" in
  "configure get") exit 1 ;;
  "sts get-caller-identity") echo 123456789012 ;;
  "ecr describe-repositories")
    echo "An error occurred (RepositoryNotFoundException) when calling the DescribeRepositories operation" >&2
    exit 254 ;;
  "ecr create-repository") echo '{}' ;;
  "ecr get-login-password") echo stand-in-token ;;
  "ecr describe-images") echo sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ;;
  "cloudformation deploy") echo "Successfully created/updated stack - $*" ;;
  "cloudformation describe-stacks") printf 'FunctionName\trelay-Function-1\n' ;;
  *) echo "stand-in aws: unexpected call: $*" >&2; exit 1 ;;
esac
EOF
cat > "$STUBS/docker" << 'EOF'
#!/usr/bin/env bash
# Stand-in for docker: succeeds, except that the push can be told to fail like an expired ECR login.
echo "docker $*" >> "$STUB_LOG"
case "$1" in
  buildx | build) ;;
  login) cat > /dev/null; echo "Login Succeeded" ;;
  push)
    if [ -n "${STUB_PUSH_EXPIRED:-}" ]; then
      echo "denied: Your authorization token has expired. Reauthenticate and try again." >&2
      exit 1
    fi ;;
  *) echo "stand-in docker: unexpected call: $*" >&2; exit 1 ;;
esac
EOF
chmod +x "$STUBS/aws" "$STUBS/docker"

# Runs deploy.sh in a clean environment; sets RC and OUT (stdout and stderr together).
deploy() { # PATH, then arguments; extra environment comes from DEPLOY_ENV
  local path=$1
  shift
  : > "$WORK/stub.log"
  RC=0
  OUT=$(env -i HOME="$WORK" PATH="$path" STUB_LOG="$WORK/stub.log" ${DEPLOY_ENV[@]+"${DEPLOY_ENV[@]}"} \
    "$DEPLOY" "$@" 2>&1) || RC=$?
}
verdict() { # description, status (0 = as expected)
  if [ "$2" -eq 0 ]; then
    pass "deploy.sh: $1"
  else
    fail "deploy.sh: $1"
    printf '%s\n' "$OUT" | tail -n 20 | sed 's/^/    /'
  fi
}
contains() { grep -qF -- "$1" <<< "$OUT"; }
logged() { grep -qF -- "$1" "$WORK/stub.log"; }
REQUIRED=(--jdbc-url 'jdbc:postgresql://db.example.com:5432/doc?sslmode=require' --db-user relay
  --secret-arn 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:relay-AbCdEf')
REPO=123456789012.dkr.ecr.eu-west-1.amazonaws.com/dynamodb-cratedb-relay
DIGEST=sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
ONLY_AWS="$WORK/bin-only-aws"
mkdir -p "$ONLY_AWS"
ln -s "$STUBS/aws" "$ONLY_AWS/aws"

if [ ! -x "$DEPLOY" ]; then
  fail "deploy.sh: scripts/deploy.sh exists and is executable"
else
  DEPLOY_ENV=()
  deploy "$SANDBOX" --help
  [ "$RC" -eq 0 ] && contains "Usage: scripts/deploy.sh" && contains "--jdbc-url" && ok=0 || ok=1
  verdict "--help prints the usage and exits 0" "$ok"

  deploy "$SANDBOX" "${REQUIRED[@]}" --region eu-west-1
  [ "$RC" -ne 0 ] && contains "aws not found on PATH" && ok=0 || ok=1
  verdict "a missing aws CLI is named" "$ok"

  deploy "$ONLY_AWS:$SANDBOX" "${REQUIRED[@]}" --region eu-west-1
  [ "$RC" -ne 0 ] && contains "docker not found on PATH" && ok=0 || ok=1
  verdict "a missing docker is named" "$ok"

  deploy "$STUBS:$SANDBOX"
  [ "$RC" -eq 2 ] && contains "set --jdbc-url (or CRATEDB_JDBC_URL)" && contains "set --db-user (or CRATEDB_USER)" &&
    contains "set --secret-arn (or PASSWORD_SECRET_ARN)" && contains "set --region (or AWS_REGION" && ok=0 || ok=1
  verdict "missing parameters are named with their flag and variable (exit 2)" "$ok"

  deploy "$STUBS:$SANDBOX" "${REQUIRED[@]}" --region eu-west-1 --source-type DynamoDBStreams --existing-table orders
  [ "$RC" -eq 2 ] && contains "set --existing-stream-arn (or EXISTING_STREAM_ARN)" && ok=0 || ok=1
  verdict "DynamoDB Streams with an existing table asks for the stream ARN" "$ok"

  DEPLOY_ENV=(STUB_PUSH_EXPIRED=1 AWS_REGION=eu-west-1)
  deploy "$STUBS:$SANDBOX" "${REQUIRED[@]}"
  [ "$RC" -ne 0 ] && contains "login has expired" &&
    contains "docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com" &&
    ! logged "cloudformation deploy" && ok=0 || ok=1
  verdict "an expired ECR login is recognised, explained, and stops before deploying" "$ok"

  DEPLOY_ENV=(AWS_REGION=eu-west-1 CRATEDB_JDBC_URL='jdbc:postgresql://db.example.com:5432/doc?sslmode=require'
    CRATEDB_USER=relay PASSWORD_SECRET_ARN='arn:aws:secretsmanager:eu-west-1:123456789012:secret:relay-AbCdEf')
  deploy "$STUBS:$SANDBOX" --tag test-1 --parameter BatchSize=500
  [ "$RC" -eq 0 ] &&
    logged "aws ecr create-repository --region eu-west-1 --repository-name dynamodb-cratedb-relay" &&
    logged "docker build --provenance=false --platform linux/amd64 -t $REPO:test-1 $ROOT" &&
    logged "docker push $REPO:test-1" &&
    logged "aws cloudformation deploy --region eu-west-1 --stack-name dynamodb-cratedb-relay --template-file $ROOT/cloudformation/relay.yaml --capabilities CAPABILITY_IAM" &&
    logged "ImageUri=$REPO@$DIGEST Architecture=x86_64 CrateDbJdbcUrl=jdbc:postgresql://db.example.com:5432/doc?sslmode=require CrateDbUser=relay PasswordSecretArn=arn:aws:secretsmanager:eu-west-1:123456789012:secret:relay-AbCdEf BatchSize=500" &&
    contains "crash --hosts https://db.example.com:4200 -U relay -c 'SELECT * FROM relay_dead_letters ORDER BY failed_at DESC LIMIT 10'" &&
    ok=0 || ok=1
  verdict "a complete run builds, pushes, deploys by digest and prints the crash command" "$ok"

  DEPLOY_ENV=()
  deploy "$ONLY_AWS:$SANDBOX" "${REQUIRED[@]}" --region=eu-west-1 --image-uri "$REPO@$DIGEST" --architecture arm64
  [ "$RC" -eq 0 ] && ! logged "docker " && logged "ImageUri=$REPO@$DIGEST Architecture=arm64" && ok=0 || ok=1
  verdict "--image-uri deploys an existing image without docker (and --name=value works)" "$ok"
fi

echo
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
