/**
 * The values of a Kubernetes Secret: base64 under `data:` (or plain under `stringData:`), whatever their key's
 * name, in the YAML and JSON that kubectl and helm print. A document is a Secret when it says `kind: Secret`;
 * its data values are masked, their keys kept. Several documents (YAML's ---) are told apart.
 */

const SECRET_KIND = /(?:^|\n)[ \t]*kind:[ \t]*["']?Secret["']?[ \t]*(?:\r?\n|$)|"kind"\s*:\s*"Secret"/;
const YAML_DATA = /^([ \t]*)(?:data|stringData):[ \t]*\r?$/;
const JSON_DATA = /("(?:data|stringData)"\s*:\s*\{)([^{}]*)(\})/g;
const JSON_VALUE = /("[^"\\]*(?:\\.[^"\\]*)*"\s*:\s*)"((?:[^"\\]|\\.)*)"/g;

export function maskKubernetesSecrets(text: string, mark: string): string {
  if (!text.includes('Secret')) return text;
  if (!SECRET_KIND.test(text)) return text;
  return text
    .split(/(\n---[^\n]*\n)/)
    .map((document) => (SECRET_KIND.test(document) ? maskDocument(document, mark) : document))
    .join('');
}

function maskDocument(document: string, mark: string): string {
  const json = document.replace(JSON_DATA, (_, open: string, body: string, close: string) => `${open}${body.replace(JSON_VALUE, (__, key: string, value: string) => (value ? `${key}"${mark}"` : `${key}""`))}${close}`);
  const lines = json.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const data = YAML_DATA.exec(lines[i]);
    if (!data) continue;
    const indent = data[1].length;
    for (let j = i + 1; j < lines.length; j++) {
      const entry = /^([ \t]*)([^\s:#][^:]*:)([ \t]*)(.*?)(\r?)$/.exec(lines[j]);
      if (!entry || entry[1].length <= indent) break;
      // A block scalar (password: |): its lines are the value.
      if (/^[|>][-+]?$/.test(entry[4])) {
        const inner = entry[1].length;
        for (let k = j + 1; k < lines.length && (/^\s*$/.test(lines[k]) || /^[ \t]*/.exec(lines[k])![0].length > inner); k++) {
          if (lines[k].trim()) lines[k] = `${/^[ \t]*/.exec(lines[k])![0]}${mark}`;
          j = k;
        }
        continue;
      }
      if (entry[4] && entry[4] !== '""' && entry[4] !== "''") lines[j] = `${entry[1]}${entry[2]}${entry[3]}${mark}${entry[5]}`;
    }
  }
  return lines.join('\n');
}
