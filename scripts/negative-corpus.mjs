// Builds test/fixtures/negative-corpus.txt: lines ops people need to read, which masking must leave exactly as
// they are. Commit SHAs (short and long), UUIDs, trace and span ids, image digests, versions and build numbers,
// timestamps, host names and URLs without credentials, each in every notation output writes them in
// (key=value, JSON, YAML, --flag value, and plain text), and lines of deploy, CI, kubectl, docker, terraform,
// helm, ansible, npm and system logs. Seeded: the same file every time.
//
//   node scripts/negative-corpus.mjs
import {writeFileSync} from 'node:fs';

let seed = 20261206;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = (items) => items[Math.floor(random() * items.length)];
const int = (low, high) => low + Math.floor(random() * (high - low + 1));
const chars = (alphabet, n) => Array.from({length: n}, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
const hex = (n) => chars('0123456789abcdef', n);
const uuid = () => `${hex(8)}-${hex(4)}-${pick(['1', '4', '7'])}${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
const ulid = () => `01${chars('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 24)}`;
const semver = () => `${int(0, 9)}.${int(0, 30)}.${int(0, 40)}`;
const time = () => `2026-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}T${String(int(0, 23)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}`;
const epochMs = () => String(1_764_000_000_000 + int(0, 99_999_999));
const host = () => `${pick(['web', 'api', 'db-primary', 'cache', 'worker', 'ingress'])}-${int(1, 9)}.${pick(['prod', 'staging', 'eu-west-1', 'us-east-2'])}.${pick(['internal', 'example.com', 'corp.example.net'])}`;
const word = () => pick(['web', 'api', 'worker', 'billing', 'search', 'auth-proxy', 'ingest', 'frontend']);

/** One value in each notation, under a key. */
function notations(key, value) {
  return [`${key}=${value}`, `export ${key}=${value}`, `"${key}": "${value}"`, `{"${key}":"${value}","ok":true}`, `${key}: ${value}`, `  ${key}: "${value}"`, `--${key.toLowerCase().replaceAll('_', '-')} ${value}`, `--${key.toLowerCase().replaceAll('_', '-')}=${value}`, `${key} ${value}`];
}

const lines = new Set();
const add = (...items) => items.forEach((item) => lines.add(item));

// Commit SHAs, long and short, under the names CI systems and tools give them.
for (const key of ['GIT_COMMIT', 'GITHUB_SHA', 'CI_COMMIT_SHA', 'commit', 'sha', 'git_sha', 'revision', 'head_sha', 'commitId', 'SOURCE_VERSION', 'BUILDKITE_COMMIT', 'CIRCLE_SHA1', 'vcs-ref']) add(...notations(key, hex(40)));
for (const key of ['CI_COMMIT_SHORT_SHA', 'short_sha', 'GIT_COMMIT_SHORT', 'rev']) add(...notations(key, hex(pick([7, 8, 12]))));
for (let i = 0; i < 12; i++) {
  const sha = hex(40);
  add(`commit ${sha}`, `HEAD is now at ${sha.slice(0, 7)} Merge pull request #${int(10, 999)} from acme/fix-${word()}`, `[main ${sha.slice(0, 7)}] Fix the ${word()} timeout`, `* ${sha.slice(0, 7)} (HEAD -> main, origin/main) Bump ${word()} to ${semver()}`, `${sha}\trefs/tags/v${semver()}`, `Checking out ${sha}`, `git checkout -q ${sha}`, `Run actions/checkout@${hex(40)}`, `v${semver()}-${int(1, 40)}-g${sha.slice(0, 7)}`, `${semver()}+${time().slice(0, 10).replaceAll('-', '')}.sha.${sha.slice(0, 7)}`);
}
// UUIDs, trace and span ids, request ids.
for (const key of ['trace_id', 'traceId', 'request_id', 'requestId', 'X-Request-Id', 'correlation_id', 'correlationId', 'uid', 'BUILDKITE_BUILD_ID', 'CIRCLE_WORKFLOW_ID', 'deployment_id', 'event_id', 'tenant_id']) add(...notations(key, uuid()));
for (const key of ['trace_id', 'traceId', 'X-B3-TraceId', 'x-datadog-trace-id']) add(...notations(key, hex(32)));
for (const key of ['span_id', 'spanId', 'parent_id', 'X-B3-SpanId']) add(...notations(key, hex(16)));
for (const key of ['deploy_id', 'run_id', 'job_id', 'event_id', 'request_id']) add(...notations(key, ulid()));
for (let i = 0; i < 10; i++) {
  add(`traceparent: 00-${hex(32)}-${hex(16)}-01`, `"traceparent":"00-${hex(32)}-${hex(16)}-00"`, `uber-trace-id: ${hex(16)}:${hex(16)}:0:1`, `X-Amzn-Trace-Id: Root=1-${hex(8)}-${hex(24)};Parent=${hex(16)};Sampled=1`, `request ${uuid().toUpperCase()} finished in ${int(1, 900)}ms`, `${time()}Z INFO request_id=${uuid()} method=GET path=/api/v1/${word()} status=200 duration=${int(1, 99)}ms`);
}
// Image digests and container ids.
for (let i = 0; i < 12; i++) {
  const digest = `sha256:${hex(64)}`;
  add(`image: ghcr.io/acme/${word()}@${digest}`, `Digest: ${digest}`, `writing image ${digest} done`, `naming to docker.io/library/${word()}:${semver()} done`, `${hex(12)}: Pull complete`, ` ---> ${hex(12)}`, `Successfully built ${hex(12)}`, `containerID: containerd://${hex(64)}`, `    Container ID:   docker://${hex(64)}`, `    Image ID:       docker.io/library/redis@${digest}`, `{"image":"registry.example.com/${word()}:${semver()}","digest":"${digest}"}`, `integrity sha512-${Buffer.from(hex(64), 'hex').toString('base64')}`);
}
for (const key of ['digest', 'image_digest', 'IMAGE_DIGEST', 'checksum', 'etag', 'md5', 'sha256']) add(...notations(key, pick([`sha256:${hex(64)}`, hex(64), hex(32)])));
// Versions and build numbers.
for (const key of ['version', 'VERSION', 'app_version', 'chart_version', 'image_tag', 'tag', 'release', 'BUILD_NUMBER', 'GITHUB_RUN_NUMBER', 'CI_PIPELINE_ID', 'CI_JOB_ID', 'GITHUB_RUN_ID', 'build_id']) {
  add(...notations(key, pick([semver(), `v${semver()}`, `${semver()}-rc.${int(1, 9)}`, `${semver()}-rc.${int(1, 9)}+build.${int(1, 999)}`, String(int(1, 99_999)), String(int(1_000_000_000, 9_999_999_999)), `${time().slice(0, 10).replaceAll('-', '')}.${int(1, 40)}`])));
}
add(`node v24.21.0, npm 11.19.1`, `Terraform v1.9.8 on linux_amd64`, `Client Version: v1.31.2`, `go version go1.23.4 linux/amd64`, `Python 3.12.7`, `psql (PostgreSQL) 16.4 (Debian 16.4-1.pgdg120+2)`, `helm.sh/chart: web-0.4.12`, `app.kubernetes.io/version: "2.14.3"`, `npm warn deprecated inflight@1.0.6: This module is not supported`);
// Timestamps.
for (let i = 0; i < 10; i++) {
  add(`${time()}Z`, `${time()}.${int(100, 999)}+01:00 WARN slow query`, `started_at=${time()}Z`, `"timestamp": ${epochMs()}`, `"ts":${epochMs().slice(0, 10)}.${int(100, 999)}`, `started_ns=${epochMs()}${int(100_000, 999_999)}`, `Nov ${int(10, 28)} 14:0${int(0, 9)}:11 ${host().split('.')[0]} systemd[1]: Started ${word()}.service.`, `Date: Tue, 25 Nov 2026 14:02:${String(int(10, 59))} GMT`, `[25/Nov/2026:14:02:${int(10, 59)} +0000] "GET /healthz HTTP/1.1" 200 2 "-" "foggy"`);
}
for (const key of ['created_at', 'updatedAt', 'timestamp', 'started', 'expires', 'lastTransitionTime']) add(...notations(key, `${time()}Z`));
// Host names and URLs without credentials.
for (let i = 0; i < 12; i++) {
  add(`GET https://${host()}/v1/${word()}?page=${int(1, 9)}&per_page=50 200`, `Connecting to ${host()}:5432`, `ssh deploy@${host()}`, `curl -fsS https://status.example.org/healthz`, `upstream: http://10.0.${int(0, 255)}.${int(1, 254)}:8080/`, `redis://${host()}:6379/0`, `s3://acme-artifacts/releases/${word()}-${semver()}.tar.gz`, `https://github.com/acme/${word()}/actions/runs/${int(1e9, 9e9)}/job/${int(1e10, 9e10)}`, `https://grafana.example.com/d/${chars('abcdefghijklmnopqrstuvwxyz0123456789', 9)}/${word()}?orgId=1&from=now-6h`, `http://[::1]:${int(1024, 65535)}/metrics`);
}
for (const key of ['host', 'hostname', 'DATABASE_HOST', 'url', 'endpoint', 'upstream', 'HEALTH_URL']) add(...notations(key, pick([host(), `https://${host()}/health`, `http://${host()}:8080/`])));
// Kubernetes, docker, terraform, helm, ansible, npm, systemd, nginx, stack traces.
for (let i = 0; i < 12; i++) {
  const pod = `${word()}-${hex(9)}-${chars('abcdefghijklmnopqrstuvwxyz0123456789', 5)}`;
  add(
    `pod/${pod} condition met`,
    `deployment.apps/${word()} configured`,
    `replicaset.apps/${word()}-${hex(10)} created`,
    `${pod}   1/1     Running   0          ${int(1, 59)}m${int(1, 59)}s`,
    `Waiting for deployment "${word()}" rollout to finish: ${int(1, 2)} of 3 updated replicas are available...`,
    `secret/${word()}-tls configured`,
    `configmap/${word()}-config unchanged`,
    `  uid: ${uuid()}`,
    `  resourceVersion: "${int(1e8, 9e8)}"`,
    `  Normal  Pulled  ${int(1, 59)}s  kubelet  Successfully pulled image "nginx:1.27.3" in 1.2${int(1, 9)}s`,
    `=> [internal] load metadata for docker.io/library/node:24-alpine`,
    `=> CACHED [${int(2, 6)}/6] WORKDIR /app`,
    `Status: Downloaded newer image for nginx:1.27.${int(0, 9)}`,
    `aws_instance.${word()}: Refreshing state... [id=i-0${hex(16)}]`,
    `module.vpc.aws_subnet.private[${int(0, 2)}]: Creation complete after ${int(1, 9)}s [id=subnet-0${hex(16)}]`,
    `arn:aws:iam::${int(1e11, 9e11)}:role/deploy-${word()}`,
    `kms_key_id = "arn:aws:kms:eu-west-1:${int(1e11, 9e11)}:key/${uuid()}"`,
    `/subscriptions/${uuid()}/resourceGroups/rg-${word()}/providers/Microsoft.Web/sites/${word()}`,
    `Plan: ${int(0, 9)} to add, ${int(0, 9)} to change, 0 to destroy.`,
    `Release "${word()}" has been upgraded. Happy Helming!`,
    `REVISION: ${int(1, 99)}`,
    `TASK [deploy : restart ${word()}] ***************************************`,
    `changed: [${host()}] => (item=${word()})`,
    `ok: [${host().split('.')[0]}]`,
    `added ${int(100, 900)} packages, and audited ${int(100, 900)} packages in ${int(2, 40)}s`,
    `● ${word()}.service - ${word()} daemon`,
    `     Loaded: loaded (/etc/systemd/system/${word()}.service; enabled; preset: enabled)`,
    `10.0.${int(0, 255)}.${int(1, 254)} - - [25/Nov/2026:14:02:11 +0000] "POST /api/v1/${word()} HTTP/1.1" 201 ${int(10, 9999)} "-" "curl/8.5.0"`,
    `\tat com.acme.${word()}.Handler.handle(Handler.java:${int(10, 400)})`,
    `main.main()\n\t/app/cmd/${word()}/main.go:${int(10, 300)} +0x${hex(3)}`.split('\n')[1],
    `goroutine ${int(1, 99)} [running]:`,
    `ami-0${hex(16)} available`,
    `Fingerprint: SHA256:${Buffer.from(hex(64), 'hex').toString('base64').replace(/=+$/, '')}`,
    `The key fingerprint is SHA256:${Buffer.from(hex(64), 'hex').toString('base64').replace(/=+$/, '')} deploy@${host().split('.')[0]}`,
  );
}
// Base64 of ordinary text, as config dumps and CI variables carry it.
for (const text of ['Hello World', 'deploy finished', 'status: all services up', 'restart db please', 'version two of the site', 'apiVersion: v1\nkind: ConfigMap', 'server { listen 80; }']) add(Buffer.from(text).toString('base64'), `payload=${Buffer.from(text).toString('base64')}`, `echo ${Buffer.from(text).toString('base64')} | base64 -d`);

const all = [...lines].filter((line) => !line.includes('\n'));
writeFileSync(new URL('../test/fixtures/negative-corpus.txt', import.meta.url), `${all.join('\n')}\n`);
console.error(`wrote ${all.length} lines into test/fixtures/negative-corpus.txt`);
