#!/usr/bin/env bash
# Builds the relay's container image, pushes it to Amazon ECR and deploys (creates or updates)
# the CloudFormation stack of cloudformation/relay.yaml. Run with --help for the options.
set -euo pipefail

PROG=deploy.sh
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TEMPLATE="$ROOT/cloudformation/relay.yaml"

usage() {
  cat <<'EOF'
Usage: scripts/deploy.sh [OPTIONS]

Builds the function image (docker build --provenance=false), logs in to Amazon ECR, creates the
ECR repository if it is missing, pushes the image, deploys cloudformation/relay.yaml with
"aws cloudformation deploy" and prints how to check the result with crash.

Each option can also be given as the environment variable in brackets; an option wins.

Required:
  --jdbc-url URL            sink JDBC URL, jdbc:postgresql://HOST:5432/doc?sslmode=require [CRATEDB_JDBC_URL]
  --db-user NAME            database user [CRATEDB_USER]
  --secret-arn ARN          Secrets Manager secret holding the password [PASSWORD_SECRET_ARN]
  --region REGION           AWS region; defaults to the AWS CLI's configured region [AWS_REGION]

Optional:
  --stack-name NAME         CloudFormation stack (default dynamodb-cratedb-relay) [STACK_NAME]
  --repository NAME         ECR repository (default dynamodb-cratedb-relay) [ECR_REPOSITORY]
  --tag TAG                 image tag (default: git commit and UTC time) [IMAGE_TAG]
  --architecture ARCH       x86_64 (default) or arm64; the image is built for it [ARCHITECTURE]
  --image-uri URI           deploy this ECR image; skips build and push (docker not needed) [IMAGE_URI]
  --source-type TYPE        KinesisDataStreams (default) or DynamoDBStreams [SOURCE_TYPE]
  --existing-table NAME     use this DynamoDB table instead of creating one [EXISTING_TABLE_NAME]
  --existing-stream-arn ARN its DynamoDB stream (DynamoDBStreams with an existing table) [EXISTING_STREAM_ARN]
  --sink-table NAME         one sink table for every DynamoDB table [SINK_TABLE]
  --alarm-topic-arn ARN     SNS topic the alarms notify [ALARM_TOPIC_ARN]
  --parameter KEY=VALUE     any other template parameter, e.g. BatchSize=500 (repeatable)
  -h, --help                show this help

Parameters that are not given keep their previous value when the stack already exists, and
the template's default when it is created.

Example:
  AWS_REGION=eu-west-1 scripts/deploy.sh \
    --jdbc-url 'jdbc:postgresql://my-cluster.aks1.westeurope.azure.cratedb.net:5432/doc?sslmode=require' \
    --db-user admin \
    --secret-arn arn:aws:secretsmanager:eu-west-1:123456789012:secret:cratedb-relay-AbCdEf
EOF
}

die() {
  echo "$PROG: $*" >&2
  exit 1
}

usage_error() {
  echo "$PROG: $*" >&2
  echo "Run '$PROG --help' for the options." >&2
  exit 2
}

# ---- Inputs ---------------------------------------------------------------------------------

STACK_NAME=${STACK_NAME:-dynamodb-cratedb-relay}
ECR_REPOSITORY=${ECR_REPOSITORY:-dynamodb-cratedb-relay}
IMAGE_TAG=${IMAGE_TAG:-}
IMAGE_URI=${IMAGE_URI:-}
ARCHITECTURE=${ARCHITECTURE:-x86_64}
REGION=${AWS_REGION:-${AWS_DEFAULT_REGION:-}}
CRATEDB_JDBC_URL=${CRATEDB_JDBC_URL:-}
CRATEDB_USER=${CRATEDB_USER:-}
PASSWORD_SECRET_ARN=${PASSWORD_SECRET_ARN:-}
SOURCE_TYPE=${SOURCE_TYPE:-}
EXISTING_TABLE_NAME=${EXISTING_TABLE_NAME:-}
EXISTING_STREAM_ARN=${EXISTING_STREAM_ARN:-}
SINK_TABLE=${SINK_TABLE:-}
ALARM_TOPIC_ARN=${ALARM_TOPIC_ARN:-}
EXTRA_PARAMETERS=()

while [ $# -gt 0 ]; do
  option=$1
  case "$option" in
    -h | --help)
      usage
      exit 0
      ;;
    --*=*)
      # --name=value: split and handle as "--name value".
      set -- "${option%%=*}" "${option#*=}" "${@:2}"
      continue
      ;;
    --stack-name | --repository | --tag | --image-uri | --architecture | --region | --jdbc-url | \
      --db-user | --secret-arn | --source-type | --existing-table | --existing-stream-arn | \
      --sink-table | --alarm-topic-arn | --parameter)
      [ $# -ge 2 ] || usage_error "$option needs a value"
      value=$2
      shift 2
      ;;
    *)
      usage_error "unknown option: $option"
      ;;
  esac
  case "$option" in
    --stack-name) STACK_NAME=$value ;;
    --repository) ECR_REPOSITORY=$value ;;
    --tag) IMAGE_TAG=$value ;;
    --image-uri) IMAGE_URI=$value ;;
    --architecture) ARCHITECTURE=$value ;;
    --region) REGION=$value ;;
    --jdbc-url) CRATEDB_JDBC_URL=$value ;;
    --db-user) CRATEDB_USER=$value ;;
    --secret-arn) PASSWORD_SECRET_ARN=$value ;;
    --source-type) SOURCE_TYPE=$value ;;
    --existing-table) EXISTING_TABLE_NAME=$value ;;
    --existing-stream-arn) EXISTING_STREAM_ARN=$value ;;
    --sink-table) SINK_TABLE=$value ;;
    --alarm-topic-arn) ALARM_TOPIC_ARN=$value ;;
    --parameter)
      [[ $value == [A-Za-z]*=* ]] || usage_error "--parameter takes KEY=VALUE, got '$value'"
      EXTRA_PARAMETERS+=("$value")
      ;;
  esac
done

# ---- Checks before touching anything ----------------------------------------------------------

need_tool() { # tool, what to do about it
  command -v "$1" > /dev/null 2>&1 || die "$1 not found on PATH: $2"
}

need_tool aws "install the AWS CLI (https://docs.aws.amazon.com/cli/) and configure credentials"
if [ -z "$IMAGE_URI" ]; then
  need_tool docker "install Docker with the buildx plugin, or pass --image-uri to deploy an image already in ECR"
  docker buildx version > /dev/null 2>&1 ||
    die "docker buildx is missing (needed for --provenance=false): install the Docker buildx plugin"
fi

if [ -z "$REGION" ]; then
  REGION=$(aws configure get region 2> /dev/null || true)
fi

missing=()
[ -n "$CRATEDB_JDBC_URL" ] || missing+=("--jdbc-url (or CRATEDB_JDBC_URL)")
[ -n "$CRATEDB_USER" ] || missing+=("--db-user (or CRATEDB_USER)")
[ -n "$PASSWORD_SECRET_ARN" ] || missing+=("--secret-arn (or PASSWORD_SECRET_ARN)")
[ -n "$REGION" ] || missing+=("--region (or AWS_REGION, or a region in 'aws configure')")
if [ "${#missing[@]}" -gt 0 ]; then
  for m in "${missing[@]}"; do echo "$PROG: missing required parameter: set $m" >&2; done
  usage_error "${#missing[@]} required parameter(s) missing"
fi

[[ $CRATEDB_JDBC_URL == jdbc:postgresql://* ]] ||
  usage_error "--jdbc-url must start with jdbc:postgresql:// (got '$CRATEDB_JDBC_URL')"
[[ $PASSWORD_SECRET_ARN =~ ^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+ ]] ||
  usage_error "--secret-arn must be a Secrets Manager secret ARN (got '$PASSWORD_SECRET_ARN')"
case "$ARCHITECTURE" in
  x86_64) PLATFORM=linux/amd64 ;;
  arm64) PLATFORM=linux/arm64 ;;
  *) usage_error "--architecture must be x86_64 or arm64 (got '$ARCHITECTURE')" ;;
esac
case "$SOURCE_TYPE" in
  "" | KinesisDataStreams | DynamoDBStreams) ;;
  *) usage_error "--source-type must be KinesisDataStreams or DynamoDBStreams (got '$SOURCE_TYPE')" ;;
esac
if [ "$SOURCE_TYPE" = DynamoDBStreams ] && [ -n "$EXISTING_TABLE_NAME" ] && [ -z "$EXISTING_STREAM_ARN" ]; then
  usage_error "with --source-type DynamoDBStreams and --existing-table, set --existing-stream-arn (or EXISTING_STREAM_ARN) to the table's LatestStreamArn"
fi
[ -f "$TEMPLATE" ] || die "template not found: $TEMPLATE"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

step() { printf '\n==> %s\n' "$*"; }

# ---- Account and registry -------------------------------------------------------------------

step "Checking AWS credentials ($REGION)"
ACCOUNT=$(aws sts get-caller-identity --region "$REGION" --query Account --output text 2> "$TMP/sts.err") || {
  cat "$TMP/sts.err" >&2
  die "the AWS CLI has no valid credentials: run 'aws configure' or 'aws sso login', then re-run"
}
echo "account $ACCOUNT"

if [ -z "$IMAGE_URI" ]; then
  REGISTRY="$ACCOUNT.dkr.ecr.$REGION.amazonaws.com"
  REPOSITORY_URI="$REGISTRY/$ECR_REPOSITORY"
  if [ -z "$IMAGE_TAG" ]; then
    commit=$(git -C "$ROOT" rev-parse --short=12 HEAD 2> /dev/null || echo local)
    IMAGE_TAG="$commit-$(date -u +%Y%m%dT%H%M%SZ)"
  fi

  step "ECR repository $ECR_REPOSITORY"
  if aws ecr describe-repositories --region "$REGION" --repository-names "$ECR_REPOSITORY" > /dev/null 2> "$TMP/ecr.err"; then
    echo "exists"
  elif grep -q RepositoryNotFoundException "$TMP/ecr.err"; then
    aws ecr create-repository --region "$REGION" --repository-name "$ECR_REPOSITORY" \
      --image-scanning-configuration scanOnPush=true > /dev/null
    echo "created"
  else
    cat "$TMP/ecr.err" >&2
    die "could not look up the ECR repository $ECR_REPOSITORY"
  fi

  step "Building $REPOSITORY_URI:$IMAGE_TAG ($PLATFORM)"
  if ! docker build --provenance=false --platform "$PLATFORM" -t "$REPOSITORY_URI:$IMAGE_TAG" "$ROOT" 2>&1 | tee "$TMP/build.log"; then
    if grep -Eqi 'public\.ecr\.aws.*(expired|denied|403|unauthorized)|(expired|denied|403|unauthorized).*public\.ecr\.aws' "$TMP/build.log"; then
      die "pulling the base image from public.ecr.aws was refused, usually a stale login: run 'docker logout public.ecr.aws' and re-run"
    fi
    die "docker build failed (see above)"
  fi

  step "Logging in to $REGISTRY"
  if ! aws ecr get-login-password --region "$REGION" | docker login --username AWS --password-stdin "$REGISTRY"; then
    die "could not log in to ECR at $REGISTRY: check your AWS credentials and that Docker is running"
  fi

  step "Pushing $REPOSITORY_URI:$IMAGE_TAG"
  if ! docker push "$REPOSITORY_URI:$IMAGE_TAG" 2>&1 | tee "$TMP/push.log"; then
    if grep -Eqi 'authorization token has expired|no basic auth credentials|unauthorized|authentication required|denied|403 forbidden' "$TMP/push.log"; then
      echo "$PROG: ECR refused the push: the registry login has expired (ECR logins last 12 hours) or is missing." >&2
      echo "$PROG: log in again and re-run this script:" >&2
      echo "  aws ecr get-login-password --region $REGION | docker login --username AWS --password-stdin $REGISTRY" >&2
      exit 1
    fi
    die "docker push failed (see above)"
  fi

  # Deploy by digest: a new image under an old tag is still a change CloudFormation sees.
  DIGEST=$(aws ecr describe-images --region "$REGION" --repository-name "$ECR_REPOSITORY" \
    --image-ids imageTag="$IMAGE_TAG" --query 'imageDetails[0].imageDigest' --output text)
  [[ $DIGEST =~ ^sha256:[0-9a-f]{64}$ ]] || die "could not read the digest of $REPOSITORY_URI:$IMAGE_TAG (got '$DIGEST')"
  IMAGE_URI="$REPOSITORY_URI@$DIGEST"
fi

# ---- Stack ----------------------------------------------------------------------------------

PARAMETERS=(
  "ImageUri=$IMAGE_URI"
  "Architecture=$ARCHITECTURE"
  "CrateDbJdbcUrl=$CRATEDB_JDBC_URL"
  "CrateDbUser=$CRATEDB_USER"
  "PasswordSecretArn=$PASSWORD_SECRET_ARN"
)
[ -z "$SOURCE_TYPE" ] || PARAMETERS+=("SourceType=$SOURCE_TYPE")
[ -z "$EXISTING_TABLE_NAME" ] || PARAMETERS+=("ExistingTableName=$EXISTING_TABLE_NAME")
[ -z "$EXISTING_STREAM_ARN" ] || PARAMETERS+=("ExistingStreamArn=$EXISTING_STREAM_ARN")
[ -z "$SINK_TABLE" ] || PARAMETERS+=("SinkTable=$SINK_TABLE")
[ -z "$ALARM_TOPIC_ARN" ] || PARAMETERS+=("AlarmTopicArn=$ALARM_TOPIC_ARN")
# (The ${a[@]+...} form keeps bash 3.2, macOS's /bin/bash, happy with an empty array under set -u.)
PARAMETERS+=(${EXTRA_PARAMETERS[@]+"${EXTRA_PARAMETERS[@]}"})

step "Deploying stack $STACK_NAME with $IMAGE_URI"
aws cloudformation deploy \
  --region "$REGION" \
  --stack-name "$STACK_NAME" \
  --template-file "$TEMPLATE" \
  --capabilities CAPABILITY_IAM \
  --no-fail-on-empty-changeset \
  --parameter-overrides "${PARAMETERS[@]}" ||
  die "the deployment failed: see the stack's events with
  aws cloudformation describe-stack-events --region $REGION --stack-name $STACK_NAME --max-items 20"

step "Stack outputs"
aws cloudformation describe-stacks --region "$REGION" --stack-name "$STACK_NAME" \
  --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text

# ---- How to verify --------------------------------------------------------------------------

# The database host from the JDBC URL: jdbc:postgresql://HOST[:PORT][,HOST2...]/DB?...
hostport=${CRATEDB_JDBC_URL#jdbc:postgresql://}
hostport=${hostport%%[/?]*}
hostport=${hostport%%,*}
if [[ $hostport == \[* ]]; then
  host="${hostport%%]*}]"
else
  host=${hostport%%:*}
fi

step "Verify"
cat <<EOF
Write an item to the DynamoDB table, then look at the sink with crash (CrateDB's shell; it
asks for the password, or takes it from the environment variable CRATEPW):

  crash --hosts https://$host:4200 -U $CRATEDB_USER -c 'SELECT * FROM relay_dead_letters ORDER BY failed_at DESC LIMIT 10'

No rows in relay_dead_letters means no record was rejected. The function's log:

  aws logs tail --region $REGION --follow \$(aws cloudformation describe-stacks --region $REGION \\
    --stack-name $STACK_NAME --query "Stacks[0].Outputs[?OutputKey=='LogGroupName'].OutputValue" --output text)
EOF
