import type {ReportResult} from '../../core/app/results.js';
import {formatDuration, formatSpan} from '../../core/text/duration.js';
import {printable} from '../../core/text/printable.js';
import type {Band, FourKeys} from '../../core/report/metrics.js';
import {table, type Ui} from '../ui.js';
import {formatCount} from '../../core/text/count.js';

const SPARKS = '▁▂▃▄▅▆▇█';

/** A week per character: the week's count against the period's busiest week; a dot for none. */
export function sparkline(values: number[]): string {
  const max = Math.max(0, ...values);
  return values.map((value) => (value === 0 || max === 0 ? '·' : SPARKS[Math.min(SPARKS.length - 1, Math.ceil((value / max) * SPARKS.length) - 1)])).join('');
}

const number = (value: number, digits = 1) => (Number.isInteger(value) ? formatCount(value) : value.toFixed(digits));
const duration = (ms: number | null) => (ms === null ? '–' : formatDuration(ms));

function band(ui: Ui, value: Band): string {
  const paint = {elite: ui.color.green, high: ui.color.cyan, medium: ui.color.yellow, low: ui.color.red, 'no data': ui.color.dim}[value];
  return paint(value);
}

/** The four keys as rows: the figure, the counts behind it, the DORA band. */
function keyRows(ui: Ui, keys: FourKeys): string[][] {
  const {deploymentFrequency: f, leadTime: l, changeFailureRate: c, timeToRestore: t} = keys;
  const reasons = (['failed', 'restart', 'incident', 'rollback'] as const).map((why) => [why, c.failingDeploys.filter((d) => d.why === why).length] as const).filter(([, n]) => n > 0);
  return [
    ['Deployment frequency', f.perDay === null ? 'no data' : `${number(f.perDay, 2)}/day, ${number(f.perWeek!, 1)}/week`, `${number(f.deploys)} successful deploy${f.deploys === 1 ? '' : 's'} in ${number(f.days)} day${f.days === 1 ? '' : 's'}`, band(ui, f.band)],
    ['Lead time for changes', l.medianMs === null ? 'no data' : `median ${duration(l.medianMs)}, p90 ${duration(l.p90Ms)}`, `${number(l.withCommitTime)} with a commit time, ${number(l.withoutCommitTime)} without`, band(ui, l.band)],
    ['Change failure rate', c.rate === null ? 'no data' : `${number(c.failing)}/${number(c.deploys)} = ${(c.rate * 100).toFixed(1)}%`, reasons.length > 0 ? reasons.map(([why, n]) => `${why} ${number(n)}`).join(', ') : `${number(c.deploys)} finished deploy${c.deploys === 1 ? '' : 's'}`, band(ui, c.band)],
    ['Time to restore', t.medianMs === null ? 'no data' : `median ${duration(t.medianMs)}, p90 ${duration(t.p90Ms)}`, `${number(t.resolved)} resolved${t.rolledBack > 0 ? `, ${number(t.rolledBack)} rolled back` : ''}, ${number(t.open)} open`, band(ui, t.band)],
  ];
}

export function renderReport(ui: Ui, result: ReportResult, options: {verbose: boolean}): void {
  const day = (iso: string) => iso.replace('T', ' ').replace(/:00\.000Z$|\.\d{3}Z$/, '').replace(/ 00:00$/, '');
  const from = result.source === 'channel' ? `the channel ${printable(result.channel ?? '')}` : 'the local journal';
  ui.out(ui.color.bold(`foggy report: ${day(result.period.from)} → ${day(result.period.to)} (${number(result.period.days)} ${result.period.days === 1 ? 'day' : 'days'}, UTC)${result.services.length > 0 ? `, ${result.services.map(printable).join(', ')}` : ''}`));
  ui.out(ui.color.dim(`From ${from}: ${formatCount(result.read.entries)} entries read, back to ${day(result.read.since)}.`));
  ui.out();
  for (const line of table(keyRows(ui, result.overall), ['KEY', 'VALUE', 'COUNTED', 'DORA 2023'])) ui.out(line);

  if (result.perService.length > 1 || (result.perService.length === 1 && result.services.length === 0)) {
    ui.out();
    const rows = result.perService.map(({service, ...keys}) => [
      printable(service),
      String(keys.deploymentFrequency.deploys),
      keys.deploymentFrequency.perWeek === null ? '–' : number(keys.deploymentFrequency.perWeek),
      duration(keys.leadTime.medianMs),
      keys.changeFailureRate.rate === null ? '–' : `${keys.changeFailureRate.failing}/${keys.changeFailureRate.deploys} = ${(keys.changeFailureRate.rate * 100).toFixed(1)}%`,
      keys.timeToRestore.medianMs === null ? '–' : `${duration(keys.timeToRestore.medianMs)} (${keys.timeToRestore.resolved})`,
      String(keys.timeToRestore.open),
    ]);
    for (const line of table(rows, ['SERVICE', 'DEPLOYS', 'PER WEEK', 'LEAD TIME', 'FAILURE RATE', 'RESTORE (N)', 'OPEN'])) ui.out(line);
  }

  ui.out();
  const deploys = result.weeks.map((week) => week.deploys);
  const incidents = result.weeks.map((week) => week.incidents);
  ui.out(`Deploys per week     ${ui.color.green(sparkline(deploys))}  ${result.weeks.length} ${result.weeks.length === 1 ? 'week' : 'weeks'} from ${result.weeks[0]?.start ?? '–'}, at most ${Math.max(0, ...deploys)}`);
  ui.out(`Incidents per week   ${ui.color.red(sparkline(incidents))}  at most ${Math.max(0, ...incidents)}`);

  ui.out();
  const {counts} = result;
  const outcomes = Object.entries(counts.deploys).map(([outcome, n]) => `${number(n ?? 0)} ${outcome.replace('_', ' ')}`);
  const total = Object.values(counts.deploys).reduce((sum, n) => sum + (n ?? 0), 0);
  ui.out(`Counted: ${number(total)} deploy${total === 1 ? '' : 's'}${outcomes.length > 0 ? ` (${outcomes.join(', ')})` : ''}; ${number(counts.restarts)} restart${counts.restarts === 1 ? '' : 's'}; incidents ${number(counts.incidents.opened)} opened, ${number(counts.incidents.resolved)} resolved, ${number(counts.incidents.open)} open.`);
  const {quiet} = result;
  const quietParts = [
    quiet.actions.runs > 0 ? `${number(quiet.actions.runs)} deploy${quiet.actions.runs === 1 ? '' : 's'}, restart${quiet.actions.runs === 1 ? '' : 's'} or rollback${quiet.actions.runs === 1 ? '' : 's'} and their grace ${formatSpan(quiet.actions.ms)}` : '',
    quiet.silences.count > 0 ? `${number(quiet.silences.count)} silence${quiet.silences.count === 1 ? '' : 's'} ${formatSpan(quiet.silences.ms)}` : '',
    quiet.windows.count > 0 ? `${number(quiet.windows.count)} maintenance window${quiet.windows.count === 1 ? '' : 's'} ${formatSpan(quiet.windows.ms)}` : '',
  ].filter(Boolean);
  if (quietParts.length > 0 || quiet.incidentsLeftOut > 0) {
    ui.out(`Quiet: ${quietParts.join(', ') || 'none'}${quiet.incidentsLeftOut > 0 ? `; ${number(quiet.incidentsLeftOut)} incident${quiet.incidentsLeftOut === 1 ? '' : 's'} inside it not counted` : ''}.`);
  }
  const {skipped} = counts;
  ui.out(`Not counted: ${skipped.refused} refused, ${skipped.unknownOutcome} with an unknown outcome, ${skipped.running} still running, ${skipped.malformed} unreadable, ${skipped.duplicates} seen twice (counted once); dry runs are never recorded.`);
  if (options.verbose) {
    ui.out();
    ui.out('Rules:');
    for (const [key, rule] of Object.entries(result.rules)) ui.out(`  ${key}: ${rule}.`);
    const failing = result.overall.changeFailureRate.failingDeploys;
    if (failing.length > 0) {
      ui.out();
      for (const line of table(failing.map((deploy) => [printable(deploy.id), printable(deploy.service), deploy.why, printable(deploy.by ?? '')]), ['FAILING DEPLOY', 'SERVICE', 'WHY', 'BY'])) ui.out(line);
    }
  } else ui.note('--verbose lists the failing deploys and the rules; "foggy log show ID" shows any entry.');
}
