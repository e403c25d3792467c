// Where the example keeps its state: font, pid files and foggy's journal, all under .state/ (or HELLO_STATE_DIR),
// and the ports its servers listen on (HELLO_SITE_PORT, HELLO_DB_PORT), which foggy.yml's checks read too.
import {mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const exampleDir = fileURLToPath(new URL('.', import.meta.url));
export const stateDir = process.env.HELLO_STATE_DIR || join(exampleDir, '.state');
export const sitePort = Number(process.env.HELLO_SITE_PORT || 18080);
export const dbPort = Number(process.env.HELLO_DB_PORT || 15433);
export const fontFile = join(stateDir, 'font');
export const dbPidFile = join(stateDir, 'db.pid');
export const sitePidFile = join(stateDir, 'site.pid');
mkdirSync(stateDir, {recursive: true});
