// Where the example keeps its state: font, pid files and foggy's journal, all under .state/.
import {mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const exampleDir = fileURLToPath(new URL('.', import.meta.url));
export const stateDir = join(exampleDir, '.state');
export const fontFile = join(stateDir, 'font');
export const dbPidFile = join(stateDir, 'db.pid');
export const sitePidFile = join(stateDir, 'site.pid');
mkdirSync(stateDir, {recursive: true});
