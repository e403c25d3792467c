// Writes schema/json/NAME.schema.json, the published shape of each command's --json output, from the
// output types in src/cli/outputs.ts: the schema cannot drift from what the code returns, and the
// end-to-end tests validate every --json output they see against it.
import {mkdirSync, writeFileSync} from 'node:fs';
import {createGenerator} from 'ts-json-schema-generator';

export const OUTPUTS = {
  status: 'StatusOutput',
  action: 'ActionOutput',
  services: 'ServicesOutput',
  log: 'LogOutput',
  'log-follow': 'LogFollowOutput',
  'log-show': 'LogShowOutput',
  outbox: 'OutboxOutput',
  'outbox-flush': 'OutboxFlushOutput',
  doctor: 'DoctorOutput',
  login: 'LoginOutput',
  logout: 'LogoutOutput',
  watch: 'WatchOutput',
  report: 'ReportOutput',
  silence: 'SilenceOutput',
  uptime: 'UptimeOutput',
  'api-services': 'ApiServicesOutput',
  'api-service': 'ApiServiceOutput',
  'api-uptime': 'ApiUptimeOutput',
  'api-incidents': 'ApiIncidentsOutput',
  'api-runs': 'ApiRunsOutput',
  error: 'ErrorOutput',
};

const generator = createGenerator({path: 'src/cli/outputs.ts', tsconfig: 'tsconfig.json', type: '*', skipTypeCheck: true, additionalProperties: false, expose: 'export', topRef: false});
mkdirSync('schema/json', {recursive: true});
for (const [name, type] of Object.entries(OUTPUTS)) {
  const schema = generator.createSchema(type);
  schema.$id = `https://foggy.dev/schema/json/${name}.schema.json`;
  schema.title = name.startsWith('api-') ? `foggy status page: GET /api/v1/${name.slice(4)}` : `foggy ${name.replace('-', ' ')} --json`;
  writeFileSync(`schema/json/${name}.schema.json`, JSON.stringify(schema, null, 2) + '\n');
}
console.error(`wrote ${Object.keys(OUTPUTS).length} JSON Schemas into schema/json/`);
