import {chatConfigured} from '../catalog/lookup.js';
import type {Catalog} from '../catalog/types.js';
import {describeEnvironmentProxies} from '../checks/http-proxy.js';
import {closeSync, openSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {FoggyError} from '../errors/foggy-error.js';
import {describeFsError, remedy} from '../errors/environment.js';
import {writableStateDir} from '../journal/open.js';
import {Outbox} from '../journal/outbox.js';
import {settingsFile} from '../settings/settings.js';
import {SCOPES, SERVE_SCOPES} from '../slack/connection.js';
import {SlackApi} from '../slack/api.js';
import {coordinationOf, type Coordination} from '../coordination/settings.js';
import {PERMANENT_HINTS, SlackFailure, slackRemedy} from '../slack/failure.js';
import type {AppContext} from './context.js';
import type {DoctorResult, Finding} from './results.js';


const TIMEOUT_MS = 5_000;
const CLOCK_SKEW_LIMIT_MS = 60_000;

/** `foggy doctor`: checks everything foggy depends on, and says for each problem how to fix it. */
export async function doctor(app: AppContext, options: {configPath?: string; channel?: string}): Promise<DoctorResult> {
  const findings = await app.io.progress('Checking…', () => diagnose(app, options));
  return {ok: findings.every((finding) => finding.ok), findings};
}

async function diagnose(app: AppContext, options: {configPath?: string; channel?: string}): Promise<Finding[]> {
  const env = app.env;
  const findings: Finding[] = [];

  let catalog: Catalog | undefined;
  try {
    catalog = await app.catalog(options.configPath);
    findings.push({check: 'config', ok: true, detail: `${catalog.file}: ${catalog.services.size} service${catalog.services.size === 1 ? '' : 's'}`});
  } catch (error) {
    const failure = error as Partial<FoggyError>;
    findings.push({check: 'config', ok: false, detail: (error as Error).message, ...(failure.hint || failure.remedy ? {fix: failure.hint, remedies: failure.remedy && [failure.remedy]} : {fix: 'Fix foggy.yml as the message says.'})});
  }

  const proxies = describeEnvironmentProxies(env);
  findings.push({check: 'proxy', ...proxies, fix: proxies.ok ? undefined : 'Set HTTPS_PROXY and HTTP_PROXY to http:// or https:// proxy URLs.'});

  findings.push(stateHealth(env));
  const coordination = await coordinationHealth(env, catalog);
  if (coordination) findings.push(coordination);
  const outboxFinding = outboxHealth(new Outbox(app.stateDir));
  const settingsProblem = app.settingsProblem;
  if (settingsProblem) findings.push({check: 'settings', ok: false, detail: settingsProblem, remedies: [{do: 'rewrite-settings'}]});

  const slack = app.connection({channel: options.channel, catalog});
  if (!slack) {
    findings.push({check: 'token', ok: false, detail: 'no Slack token: runs are recorded in the local journal only', remedies: [{do: 'connect'}]});
    findings.push(outboxFinding);
    return findings;
  }
  findings.push({check: 'token', ok: true, detail: `from ${slack.source === 'login' ? settingsFile(env) : slack.source}${slack.trimmed ? ' (spaces or a line break around it were dropped)' : ''}; API ${slack.apiUrl}`});

  const api = slack.api(TIMEOUT_MS, AbortSignal.timeout(TIMEOUT_MS * 3));
  let scopes: string[] = [];
  try {
    const auth = await api.call('auth.test');
    scopes = auth.response_metadata?.scopes ?? [];
    findings.push({check: 'auth', ok: true, detail: `workspace ${String(auth.team)} as ${String(auth.user)}`});
  } catch (error) {
    const failure = error instanceof SlackFailure ? error : new SlackFailure('ambiguous', String(error));
    findings.push({check: 'auth', ok: false, detail: `auth.test failed: ${failure.code}`, ...(failure.remedy || failure.hint ? {fix: failure.hint, remedies: failure.remedy && [failure.remedy]} : {fix: 'Check the network, FOGGY_SLACK_API_URL, and that Slack is up.', remedies: [{do: 'check-setup'}]})});
    findings.push(outboxFinding);
    return findings;
  }

  const missing = SCOPES.filter((s) => s.required && !scopes.includes(s.scope));
  findings.push(
    missing.length === 0
      ? {check: 'scopes', ok: true, detail: scopes.join(', ')}
      : {check: 'scopes', ok: false, detail: `missing ${missing.map((s) => `${s.scope} (${s.for})`).join(', ')}`, remedies: [{do: 'connect', because: 'scopes_missing'}]},
  );

  const serve = await serveHealth(env, catalog, scopes, slack.apiUrl);
  if (serve) findings.push(serve);

  if (slack.channel) {
    try {
      const id = await slack.channels.id(slack.channel, api);
      const info = (await api.call('conversations.info', {channel: id})).channel as {name: string; is_member?: boolean; is_archived?: boolean; is_private?: boolean};
      if (info.is_archived) findings.push({check: 'channel', ok: false, detail: `${slack.channel} is archived`, fix: 'Unarchive it, or choose another channel.'});
      else if (!info.is_member && (info.is_private || !scopes.includes('chat:write.public'))) {
        findings.push({check: 'channel', ok: false, detail: `the bot is not in ${slack.channel}`, fix: `Invite it: /invite @foggy in ${slack.channel}${info.is_private ? '' : ', or add the chat:write.public scope'}.`});
      } else findings.push({check: 'channel', ok: true, detail: `${slack.channel} (${id})${info.is_member ? '' : ', posting through chat:write.public'}`});
    } catch (error) {
      const failure = error instanceof SlackFailure ? error : new SlackFailure('ambiguous', String(error));
      findings.push({check: 'channel', ok: false, detail: `${slack.channel}: ${failure.code}`, fix: failure.hint, remedies: failure.remedy && [failure.remedy]});
    }
  } else {
    findings.push({check: 'channel', ok: false, detail: 'no channel is set', remedies: [{do: 'choose-channel'}]});
  }

  findings.push(outboxFinding);

  if (api.lastServerDate) {
    const skew = Date.now() - api.lastServerDate.getTime();
    findings.push(
      Math.abs(skew) <= CLOCK_SKEW_LIMIT_MS
        ? {check: 'clock', ok: true, detail: `within ${Math.max(1, Math.ceil(Math.abs(skew) / 1000))}s of Slack`}
        : {check: 'clock', ok: false, detail: `${Math.round(skew / 1000)}s off Slack's clock: entry times will look wrong`, fix: 'Synchronise the clock (NTP: timedatectl set-ntp true).'},
    );
  }
  return findings;
}

/**
 * What foggy serve needs, checked when it is set up (an app-level token) or wanted (chat rules in foggy.yml):
 * the app token opens a Socket Mode connection, and the bot has the scopes serve uses.
 */
async function serveHealth(env: NodeJS.ProcessEnv, catalog: Catalog | undefined, scopes: string[], apiUrl: string): Promise<Finding | undefined> {
  const appToken = env.FOGGY_SLACK_APP_TOKEN?.trim();
  const wanted = catalog && chatConfigured(catalog);
  if (!appToken && !wanted) return undefined;
  if (!appToken) return {check: 'serve', ok: false, detail: 'foggy.yml has chat rules, but FOGGY_SLACK_APP_TOKEN is not set', fix: 'For foggy serve: Basic Information → App-Level Tokens → Generate (scope connections:write), then set FOGGY_SLACK_APP_TOKEN=xapp-…'};
  if (!appToken.startsWith('xapp-')) return {check: 'serve', ok: false, detail: 'FOGGY_SLACK_APP_TOKEN is not an app-level token (xapp-…)', fix: 'The bot token goes in FOGGY_SLACK_TOKEN; the app-level token is under Basic Information → App-Level Tokens.'};
  try {
    await new SlackApi({token: appToken, apiUrl, requestTimeoutMs: TIMEOUT_MS}).call('apps.connections.open');
  } catch (error) {
    const code = error instanceof SlackFailure ? error.code : String(error);
    return {check: 'serve', ok: false, detail: `the app token cannot open a Socket Mode connection: ${code}`, fix: 'Turn on Socket Mode in the app\'s settings, and give the app-level token the connections:write scope (slack/manifest.yml has both).'};
  }
  const groups = catalog ? JSON.stringify([catalog.chat.allow, ...[...catalog.services.values()].map((s) => s.chat)]).includes('"S') : false;
  const missing = SERVE_SCOPES.filter((s) => (!s.onlyWithGroups || groups) && !scopes.includes(s.scope));
  if (missing.length > 0) return {check: 'serve', ok: false, detail: `the app token works; the bot lacks ${missing.map((s) => `${s.scope} (${s.for})`).join(', ')}`, fix: 'Add the scopes (slack/manifest.yml lists them), reinstall the app to the workspace, and use the new bot token.'};
  return {check: 'serve', ok: true, detail: `the app token opens Socket Mode; scopes ${SERVE_SCOPES.filter((s) => scopes.includes(s.scope)).map((s) => s.scope).join(', ')}`};
}

/** The team's database, when coordination is on: reachable, its schema, and which watcher is the active one. */
async function coordinationHealth(env: NodeJS.ProcessEnv, catalog: Catalog | undefined): Promise<Finding | undefined> {
  let coordination: Coordination;
  try {
    coordination = coordinationOf(env, catalog);
  } catch (error) {
    return {check: 'database', ok: false, detail: (error as Error).message, fix: (error as {hint?: string}).hint ?? 'Fix FOGGY_DATABASE_URL or coordination: in foggy.yml.'};
  }
  if (coordination.kind === 'local') return undefined;
  const {openDatabase} = await import('../coordination/database.js');
  const {currentHolder} = await import('../coordination/leases.js');
  try {
    const db = await openDatabase(coordination);
    try {
      const [schema] = await db.query<{version: number}>('select max(version) as version from foggy.schema_migrations');
      const {holder} = await currentHolder(db, 'watch');
      const leader = holder ? `active watcher ${holder.user}@${holder.host} (pid ${holder.pid}, since ${holder.since.slice(0, 16).replace('T', ' ')} UTC)` : 'no active watcher';
      const [held] = await db.query<{count: string}>('select count(*) as count from foggy.leases where name like $1 and expires_at > now()', ['service:%']);
      return {check: 'database', ok: true, detail: `${coordination.shown}: schema v${schema.version}, lease TTL ${Math.round(coordination.ttlMs / 1000)}s; ${leader}; ${Number(held.count)} service lock${Number(held.count) === 1 ? '' : 's'} held`};
    } finally {
      await db.close();
    }
  } catch (error) {
    return {check: 'database', ok: false, detail: (error as Error).message, fix: coordination.fallback === 'local' ? 'Deploys use this machine\'s lock meanwhile (coordination.fallback: local); check the URL, the network and the server.' : 'Deploys and restarts refuse while it is away: check the URL, the network and the server (or set coordination.fallback: local).'};
  }
}

/** The state directory: where every run is journaled before it starts. Written to, not only looked at: a full disk shows. */
function stateHealth(env: NodeJS.ProcessEnv): Finding {
  let dir: string;
  try {
    dir = writableStateDir(env);
  } catch (error) {
    const failure = error as FoggyError;
    return {check: 'state', ok: false, detail: failure.message.replace(/ Nothing ran\.$/, ''), fix: failure.hint, remedies: failure.remedy && [failure.remedy]};
  }
  const journal = join(dir, 'journal.jsonl');
  for (const [path, probe] of [
    [join(dir, `.doctor-${process.pid}`), (file: string) => {
      writeFileSync(file, 'foggy doctor writes here to know it can\n'.repeat(64));
      rmSync(file);
    }],
    [journal, (file: string) => closeSync(openSync(file, 'a'))],
  ] as [string, (file: string) => void][]) {
    try {
      probe(path);
    } catch (error) {
      rmSync(path === journal ? '' : path, {force: true});
      return {check: 'state', ok: false, detail: `Cannot write ${path}: ${describeFsError(error)}`, fix: remedy(error, 'state')};
    }
  }
  return {check: 'state', ok: true, detail: `${dir} (journal, outbox, locks)`};
}

function outboxHealth(outbox: Outbox): Finding {
  let entries: ReturnType<Outbox['list']>;
  try {
    entries = outbox.list();
  } catch (error) {
    return {check: 'outbox', ok: false, detail: (error as Error).message, fix: (error as FoggyError).hint, remedies: (error as FoggyError).remedy && [(error as FoggyError).remedy!]};
  }
  const unreadable = outbox.skipped > 0 ? ` (${outbox.skipped} unreadable file${outbox.skipped === 1 ? '' : 's'} skipped)` : '';
  if (entries.length === 0) return {check: 'outbox', ok: true, detail: `empty${unreadable}`};
  const refused = entries.filter((entry) => entry.delivery?.refused);
  const waiting = entries.length - refused.length;
  const parts: string[] = [];
  if (waiting > 0) parts.push(`${waiting} entr${waiting === 1 ? 'y has' : 'ies have'} not reached the channel yet`);
  if (refused.length > 0) {
    const codes = [...new Set(refused.map((entry) => entry.delivery!.refused!.code))];
    parts.push(`${refused.length} set aside: Slack refused ${refused.length === 1 ? 'it' : 'them'} for good (${codes.join(', ')})`);
    const hints = codes.map((code) => PERMANENT_HINTS[code]).filter(Boolean);
    const remedies = codes.map((code) => slackRemedy(code)).filter((remedy) => remedy !== undefined);
    return {check: 'outbox', ok: false, detail: parts.join('; '), fix: hints.length > 0 ? hints.join(' ') : undefined, remedies: [...remedies, {do: 'see-outbox', then: 'retry-or-drop'}]};
  }
  return {check: 'outbox', ok: false, detail: parts.join('; '), remedies: [{do: 'see-outbox', then: 'deliver'}]};
}
